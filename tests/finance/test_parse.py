"""Parsing what people type: Dutch amounts, dates, themes, statuses, rounds; money display."""

from __future__ import annotations

import datetime as dt

import pytest

from adaptatie.finance import parse
from adaptatie.finance.money import AmountError, format_cents, format_euros, parse_amount
from adaptatie.finance.records import ClimateTheme, Status


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("€ 1.234.567,89", 123_456_789),
        ("1.234.567", 123_456_700),
        ("1234567,5", 123_456_750),
        ("€1.234", 123_400),
        ("1234567.89", 123_456_789),
        ("1,234,567.89", 123_456_789),
        ("1,234,567", 123_456_700),
        ("EUR 12", 1_200),
        ("12 €", 1_200),
        ("€ 1.250,-", 125_000),
        ("\u00a0€\u00a05.400.000\u00a0", 540_000_000),
        ("0", 0),
        ("0,01", 1),
        ("", None),
        ("   ", None),
    ],
)
def test_amounts(text: str, cents: int | None) -> None:
    assert parse_amount(text) == cents


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("ca. 5 mln", "geen bedrag"),
        ("n.v.t.", "geen bedrag"),
        ("-100", "negatief"),
        ("€ -1.234,00", "negatief"),
        ("(250)", "negatief"),
        ("1,234", "dubbelzinnig"),
        ("12,345", "dubbelzinnig"),
        ("1,2345", "meer dan twee decimalen"),
        ("1.2.3", "onduidelijke schrijfwijze"),
        ("1.234,56.7", "onduidelijke schrijfwijze"),
        ("12.34,5", "onduidelijke schrijfwijze"),
    ],
)
def test_bad_amounts(text: str, says: str) -> None:
    with pytest.raises(AmountError, match=says):
        parse_amount(text)


def test_excel_numbers_become_exact_cents() -> None:
    assert parse.amount(1234567) == 123_456_700
    assert parse.amount(1234567.89) == 123_456_789
    assert parse.amount(0.1 + 0.2) == 30  # float noise below a millionth of a euro
    with pytest.raises(parse.CellError, match="meer dan twee decimalen"):
        parse.amount(12.345)
    with pytest.raises(parse.CellError, match="negatief"):
        parse.amount(-5)
    assert parse.amount(None) is None


def test_money_display() -> None:
    assert format_cents(123_456_789) == "€ 1.234.567,89"
    assert format_cents(1) == "€ 0,01"
    assert format_cents(-150) == "-€ 1,50"
    assert format_euros(540_000_000) == "€ 5.400.000"
    assert format_euros(540_000_001) == "€ 5.400.000,01"
    assert format_euros(None) == "onbekend"


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("31-12-2027", dt.date(2027, 12, 31)),
        ("1-2-2026", dt.date(2026, 2, 1)),
        ("31/12/2027", dt.date(2027, 12, 31)),
        ("31.12.2027", dt.date(2027, 12, 31)),
        ("2027-12-31", dt.date(2027, 12, 31)),
        ("2027-12-31 00:00:00", dt.date(2027, 12, 31)),
        (dt.datetime(2027, 12, 31), dt.date(2027, 12, 31)),
        ("", None),
        (None, None),
    ],
)
def test_dates(value: object, day: dt.date | None) -> None:
    assert parse.date(value) == day


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("31-02-2027", "bestaat niet"),
        ("12-31-2027", "bestaat niet"),
        ("eind 2027", "geen datum"),
        ("31-12-27", "geen datum"),
    ],
)
def test_bad_dates(value: str, says: str) -> None:
    with pytest.raises(parse.CellError, match=says):
        parse.date(value)


def test_themes() -> None:
    assert parse.themes("wateroverlast;droogte") == {
        ClimateTheme.WATEROVERLAST,
        ClimateTheme.DROOGTE,
    }
    assert parse.themes("Wateroverlast, Hitte") == {ClimateTheme.WATEROVERLAST, ClimateTheme.HITTE}
    assert parse.themes("overstromingen / hittestress") == {
        ClimateTheme.OVERSTROMING,
        ClimateTheme.HITTE,
    }
    assert parse.themes("droogte en wateroverlast") == {
        ClimateTheme.DROOGTE,
        ClimateTheme.WATEROVERLAST,
    }
    assert parse.themes("") == frozenset()
    with pytest.raises(parse.CellError, match="'bodemdaling' is onbekend"):
        parse.themes("droogte; bodemdaling")


def test_statuses_and_rounds() -> None:
    assert parse.status("In uitvoering") is Status.IN_UITVOERING
    assert parse.status("in_uitvoering") is Status.IN_UITVOERING
    assert parse.status(" Toegekend ") is Status.TOEGEKEND
    with pytest.raises(parse.CellError, match=r"'klaar' is geen status.*gerealiseerd"):
        parse.status("klaar")
    with pytest.raises(parse.CellError, match="de status ontbreekt"):
        parse.status("")
    assert parse.round_year("2022") == 2022
    assert parse.round_year(2022.0) == 2022
    assert parse.round_year("Ronde 2023") == 2023
    assert parse.round_year("") is None
    with pytest.raises(parse.CellError, match="geen aanvraagronde"):
        parse.round_year("tweede")


def test_text_removes_our_formula_guard_only() -> None:
    assert parse.text("'=SOM(A1)") == "=SOM(A1)"
    assert parse.text("'s-Hertogenbosch") == "'s-Hertogenbosch"
    assert parse.text(1001.0) == "1001"
