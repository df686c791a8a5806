"""Dutch (nl-NL) formatting of numbers, money, shares and dates."""

from __future__ import annotations

import datetime as dt
import re

_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")


def number(value: float, decimals: int = 0) -> str:
    """``1234567.891`` -> ``1.234.567,89`` (with ``decimals=2``)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def number_g(value: float) -> str:
    """A threshold as short as it is exact: ``0.15`` -> ``0,15``, ``35.0`` -> ``35``."""
    return f"{value:g}".replace(".", ",")


def euro(value: float, cents: bool = False) -> str:
    """``5400000`` -> ``€ 5.400.000``; negative amounts as ``-€ 12``."""
    sign = "-" if value < 0 else ""
    return f"{sign}€ {number(abs(value), 2 if cents else 0)}"


def percent(share: float, decimals: int = 1) -> str:
    """A fraction as a Dutch percentage: ``0.125`` -> ``12,5 %``."""
    return f"{number(share * 100, decimals)} %"


def area_km2(value: float, decimals: int = 1) -> str:
    return f"{number(value, decimals)} km²"


def date(value: dt.date) -> str:
    """``2026-11-27`` -> ``27-11-2026``."""
    return value.strftime("%d-%m-%Y")


def date_text(text: str) -> str:
    """A date as stored in text, for people: an ISO date or date-time as ``dd-mm-jjjj``
    (``2024-04-24`` -> ``24-04-2024``), a year and month as ``mm-jjjj`` (``2021-09`` ->
    ``09-2021``); a year, an empty text or any other text unchanged."""
    text = text.strip()
    partial = _YEAR_MONTH.fullmatch(text)
    if partial:
        return f"{partial[2]}-{partial[1]}"
    try:
        return date(dt.datetime.fromisoformat(text).date())
    except ValueError:
        return text
