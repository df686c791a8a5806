"""Cell parsers for import files: what people type in spreadsheets -> plain values.

Every parser takes a cell value as read from CSV (``str``) or Excel (``str``, ``int``,
``float``, ``datetime``, ``None``) and raises :class:`CellError` with a Dutch message that says
what was found and what to write instead. An empty cell gives ``None`` (or an empty set/text).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

from adaptatie.finance.money import AmountError, decimal_to_cents, parse_amount
from adaptatie.finance.records import ClimateTheme, Status
from adaptatie.safe_csv import FORMULA_START as SAFE_FORMULA_START

_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?")
_THEME_SPLIT = re.compile(r"[;,/+]|\s+en\s+")
_THEME_SYNONYMS = {
    "overstromingen": ClimateTheme.OVERSTROMING,
    "hittestress": ClimateTheme.HITTE,
    "wateroverlast": ClimateTheme.WATEROVERLAST,
    "droogte": ClimateTheme.DROOGTE,
    "overstroming": ClimateTheme.OVERSTROMING,
    "hitte": ClimateTheme.HITTE,
}
#: First characters that make a spreadsheet read a text cell as a formula.
FORMULA_START = SAFE_FORMULA_START


class CellError(ValueError):
    """A cell value cannot be used; the message is Dutch."""


def text(value: object) -> str:
    """A cell as trimmed text; Excel numbers like ``1001.0`` become ``1001``.

    A leading apostrophe that protects a formula character (as written by our export) is
    removed again, so exported files import unchanged.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    out = str(value).strip()
    if len(out) > 1 and out[0] == "'" and out[1] in FORMULA_START:
        out = out[1:]
    return out


def amount(value: object) -> int | None:
    """Euro amount -> cents (see :func:`adaptatie.finance.money.parse_amount`)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"'{value}' is geen bedrag. Oplossing: vul een bedrag in euro's in.")
    if isinstance(value, int):
        cents = value * 100
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(f"'{value}' is geen bedrag. Oplossing: vul een bedrag in euro's in.")
        exact = Decimal(repr(value))
        rounded = exact.quantize(Decimal("0.01"))
        if abs(exact - rounded) > Decimal("0.000001"):
            raise CellError(
                f"'{value}' heeft meer dan twee decimalen. Oplossing: rond af op hele centen."
            )
        cents = decimal_to_cents(rounded, str(value))
    else:
        try:
            cents = parse_amount(text(value))
        except AmountError as exc:
            raise CellError(str(exc)) from exc
        return cents
    if cents < 0:
        raise CellError(
            f"'{value}' is negatief. Oplossing: bedragen zijn nul of positief; laat een "
            "onbekend bedrag leeg."
        )
    return cents


def date(value: object) -> dt.date | None:
    """``31-12-2027``, ``31/12/2027``, ``31.12.2027``, ``2027-12-31`` or an Excel date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    if not raw:
        return None
    match = _DMY.fullmatch(raw)
    parts: tuple[str, str, str] | None = None
    if match:
        parts = (match.group(3), match.group(2), match.group(1))
    elif match := _ISO.fullmatch(raw):
        parts = (match.group(1), match.group(2), match.group(3))
    if parts is None:
        raise CellError(
            f"'{raw}' is geen datum. Oplossing: schrijf dd-mm-jjjj, bijv. 31-12-2027 "
            "(of 2027-12-31)."
        )
    year, month, day = (int(p) for p in parts)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(
            f"'{raw}' bestaat niet als datum (dag {day}, maand {month}, jaar {year}). "
            "Oplossing: controleer dag en maand (dd-mm-jjjj)."
        ) from None


def themes(value: object) -> frozenset[ClimateTheme]:
    """One or more themes separated by ``;`` or ``,`` (also ``/``, ``+``, ``en``)."""
    raw = text(value)
    found: set[ClimateTheme] = set()
    unknown = []
    for part in _THEME_SPLIT.split(raw.casefold()):
        word = " ".join(part.split())
        if not word:
            continue
        if word in _THEME_SYNONYMS:
            found.add(_THEME_SYNONYMS[word])
        else:
            unknown.append(word)
    if unknown:
        raise CellError(
            f"thema {', '.join(repr(u) for u in unknown)} is onbekend. Oplossing: kies uit "
            "wateroverlast, droogte, overstroming, hitte (meerdere gescheiden door ; of ,)."
        )
    return frozenset(found)


def status(value: object) -> Status:
    """One of the statuses (case, spaces, ``_`` and ``-`` are forgiven)."""
    raw = text(value)
    key = " ".join(raw.casefold().replace("_", " ").replace("-", " ").split())
    try:
        return Status(key)
    except ValueError:
        what = f"'{raw}' is geen status" if raw else "de status ontbreekt"
        raise CellError(
            f"{what}. Oplossing: kies uit {', '.join(s.value for s in Status)}."
        ) from None


def round_year(value: object) -> int | None:
    """Application round: a year (``2022``, ``ronde 2022``) or empty."""
    raw = text(value)
    if not raw:
        return None
    match = re.fullmatch(r"(?:ronde\s*)?(\d{4})", raw, flags=re.IGNORECASE)
    if not match:
        raise CellError(
            f"'{raw}' is geen aanvraagronde. Oplossing: schrijf het jaar 2021, 2022 of 2023, of "
            "laat de cel leeg."
        )
    return int(match.group(1))
