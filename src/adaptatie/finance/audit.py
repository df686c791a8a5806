"""Audit values: what is written to the audit log for a measure, and how it is shown in Dutch.

Values are stored as JSON text so the log is exact and independent of display: money as integer
cents, dates as ISO text, themes as a sorted list, ``null`` for empty.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from adaptatie import fmt
from adaptatie.finance.money import format_cents
from adaptatie.finance.records import FIELDS, MONEY_FIELDS, Measure

AUDITED_FIELDS = tuple(f for f in FIELDS if f[0] != "id")

try:
    _LOCAL = ZoneInfo("Europe/Amsterdam")
except ZoneInfoNotFoundError:  # pragma: no cover - tzdata missing
    _LOCAL = None


def json_value(measure: Measure, attribute: str) -> str | None:
    """The JSON text of one attribute, ``None`` when empty ('' and None alike)."""
    value = getattr(measure, attribute)
    if value is None or value == "" or value == frozenset():
        return None
    if isinstance(value, frozenset):
        value = sorted(str(v) for v in value)
    elif isinstance(value, dt.date):
        value = value.isoformat()
    elif not isinstance(value, int):
        value = str(value)
    return json.dumps(value, ensure_ascii=False)


def diff(old: Measure | None, new: Measure | None) -> list[tuple[str, str | None, str | None]]:
    """``(field, old_json, new_json)`` for every audited field that differs."""
    out = []
    for column, attribute in AUDITED_FIELDS:
        before = json_value(old, attribute) if old is not None else None
        after = json_value(new, attribute) if new is not None else None
        if before != after:
            out.append((column, before, after))
    return out


def display_value(field: str, raw: str | None) -> str:
    """A stored audit value in Dutch: ``€ 1.234,50``, ``31-12-2027``, ``droogte, hitte``."""
    if raw is None:
        return "(leeg)"
    value = json.loads(raw)
    if value is None:
        return "(leeg)"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if field in MONEY_FIELDS or field == "max_rijk":
        return format_cents(int(value))
    if field == "gereed_datum":
        return fmt.date(dt.date.fromisoformat(value))
    if field == "datum":  # of an allocation's source, at its precision: 2021-09 is 09-2021
        return fmt.date_text(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def format_time(moment: dt.datetime) -> str:
    """An aware datetime as Dutch local time: ``27-11-2026 14:05``."""
    if _LOCAL is None:  # pragma: no cover
        return moment.astimezone(dt.UTC).strftime("%d-%m-%Y %H:%M UTC")
    return moment.astimezone(_LOCAL).strftime("%d-%m-%Y %H:%M")
