"""Money as integer euro cents: exact parsing of what people type and nl-NL display.

Parsing accepts ``€ 1.234.567,89``, ``1.234.567``, ``1234567,5``, ``€1.234``, ``1234567.89`` and
``EUR 12``. The rules for separators (a single separator is ambiguous):

* both ``.`` and ``,`` present: the last one is the decimal separator, the other groups thousands;
* several of the same separator: thousands groups (``1.234.567`` or ``1,234,567``);
* one ``,``: decimal comma when followed by 1 or 2 digits (``1234567,5``); with 3 digits
  (``1,234``) it is ambiguous and refused;
* one ``.``: thousands when followed by exactly 3 digits (``€1.234`` = 1234 euro, the Dutch
  reading), else a decimal point (``1234567.89``, as exported by many programs).

More than two decimals, negative amounts and text are refused with a Dutch explanation.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from adaptatie import fmt

_GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class AmountError(ValueError):
    """A text is not a usable amount; the message is Dutch and says what to write instead."""


def format_cents(cents: int) -> str:
    """``123456789`` -> ``€ 1.234.567,89`` (always two decimals, exact integer arithmetic)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}€ {fmt.number(euros)},{rest:02d}"


def format_euros(cents: int | None, unknown: str = "onbekend") -> str:
    """Whole euros without cents when there are none: ``540000000`` -> ``€ 5.400.000``."""
    if cents is None:
        return unknown
    if cents % 100 == 0:
        sign = "-" if cents < 0 else ""
        return f"{sign}€ {fmt.number(abs(cents) // 100)}"
    return format_cents(cents)


def cents_to_euros(cents: int | None) -> float | None:
    """Cents as a euro number for JSON output (two decimals)."""
    return None if cents is None else round(cents / 100, 2)


def cents_to_decimal(cents: int) -> Decimal:
    """Cents as an exact :class:`Decimal` number of euros (``Decimal('1234.50')``)."""
    return Decimal(cents).scaleb(-2)


def decimal_to_cents(value: Decimal, text: str) -> int:
    """Exact conversion; refuses fractions of a cent."""
    cents = value * 100
    if cents != cents.to_integral_value():
        raise AmountError(
            f"'{text}' heeft meer dan twee decimalen. Oplossing: rond af op hele centen, bijv. "
            f"{fmt.number(float(value), 2)}."
        )
    return int(cents)


def parse_amount(text: str) -> int | None:
    """Parse a typed euro amount into cents; empty text gives ``None``.

    Raises :class:`AmountError` for text that is not an amount, ambiguous separators, more than
    two decimals and negative amounts.
    """
    raw = text
    cleaned = _SPACES.sub("", text.strip())
    cleaned = re.sub(r"^(?:€|eur|euro)|(?:€|eur|euro)$", "", cleaned, flags=re.IGNORECASE)
    cleaned = cleaned.replace("€", "")
    if cleaned in ("", "-"):
        return None
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if cleaned[:1] in "-−":
        negative, cleaned = True, cleaned[1:]
    cleaned = re.sub(r"^(?:€|eur)", "", cleaned, flags=re.IGNORECASE)
    if cleaned.endswith((",-", ".-")):  # "1.250,-" means whole euros
        cleaned = cleaned[:-2]
    if not re.fullmatch(r"[\d.,]+", cleaned) or not re.search(r"\d", cleaned):
        raise AmountError(
            f"'{raw}' is geen bedrag. Oplossing: schrijf een bedrag in euro's, bijv. "
            "1.234.567,89 of 1234567 (zonder tekst zoals 'ca.' of 'mln')."
        )
    number = _normalise(cleaned, raw)
    try:
        value = Decimal(number)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regexes above
        raise AmountError(f"'{raw}' is geen bedrag. Oplossing: schrijf bijv. 1.234,56.") from exc
    if negative and value != 0:
        raise AmountError(
            f"'{raw}' is negatief. Oplossing: bedragen zijn nul of positief; laat een onbekend "
            "bedrag leeg."
        )
    return decimal_to_cents(value, raw)


def _normalise(text: str, raw: str) -> str:
    """Return a plain ``1234567.89`` string (see the module docstring for the rules)."""
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        thousands_sep = "," if decimal_sep == "." else "."
        whole, _, frac = text.rpartition(decimal_sep)
        if decimal_sep in whole or not _GROUPED.fullmatch(whole) or thousands_sep not in whole:
            raise _bad_grouping(raw)
        return f"{whole.replace(thousands_sep, '')}.{frac}"
    sep = "." if has_dot else "," if has_comma else ""
    if not sep:
        return text
    if text.count(sep) > 1:
        if not _GROUPED.fullmatch(text):
            raise _bad_grouping(raw)
        return text.replace(sep, "")
    whole, _, frac = text.partition(sep)
    if not whole or not frac:
        raise _bad_grouping(raw)
    if len(frac) == 3:
        if sep == ",":
            raise AmountError(
                f"'{raw}' is dubbelzinnig: bedoelt u {whole}.{frac} euro (duizendtallen) of "
                f"{whole},{frac} (drie decimalen)? Oplossing: schrijf {whole}{frac} of "
                f"{whole}.{frac},00."
            )
        return whole + frac
    return f"{whole}.{frac}"


def _bad_grouping(raw: str) -> AmountError:
    return AmountError(
        f"'{raw}' heeft een onduidelijke schrijfwijze van punten en komma's. Oplossing: schrijf "
        "bijv. 1.234.567,89 (punt voor duizendtallen, komma voor centen) of 1234567,89."
    )
