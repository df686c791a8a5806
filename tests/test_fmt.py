"""nl-NL formatting."""

from __future__ import annotations

import datetime as dt

from adaptatie import fmt


def test_numbers_money_shares_dates() -> None:
    assert fmt.number(1234567.891, 2) == "1.234.567,89"
    assert fmt.number(750187) == "750.187"
    assert fmt.euro(5_400_000) == "€ 5.400.000"
    assert fmt.euro(-12.5, cents=True) == "-€ 12,50"
    assert fmt.percent(0.125) == "12,5 %"
    assert fmt.area_km2(3099.58) == "3.099,6 km²"
    assert fmt.date(dt.date(2026, 11, 27)) == "27-11-2026"


def test_stored_dates_are_shown_dutch_at_their_precision() -> None:
    assert fmt.date_text("2024-04-24") == "24-04-2024"
    assert fmt.date_text("2026-12-02T00:27:20+00:00") == "02-12-2026"
    assert fmt.date_text("2021-09") == "09-2021"
    assert fmt.date_text("2023") == "2023"
    assert fmt.date_text("") == ""
    assert fmt.date_text("voorjaar 2019") == "voorjaar 2019"
