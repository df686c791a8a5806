"""DPRA progress per municipality and werkregio, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from adaptatie.db.errors import ConflictError
from adaptatie.finance.ledger import Ledger
from adaptatie.progress.book import Progress, ProgressBook, ProgressError

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def book(ledger: Ledger) -> ProgressBook:
    return ProgressBook(ledger.engine, today=lambda: TODAY)


def test_save_read_back_and_history(book: ProgressBook) -> None:
    assert book.get("gemeente", "GM0114").version == 0  # nothing recorded yet
    saved = book.save(
        Progress("gemeente", "GM0114", 1, 2019, risk_dialogue_date=dt.date(2020, 3, 12)),
        user="Facilitator",
    )
    assert saved.version == 1
    assert saved.steps_done == 2
    again = book.save(replace(saved, strategy_date=dt.date(2021, 6, 30)), user="Griffie")
    assert again.version == 2
    assert book.get("gemeente", "GM0114") == again
    changes = book.history("gemeente", "GM0114")
    newest = changes[0]
    assert (newest.field, newest.old, newest.new, newest.user) == (
        "strategy_date",
        None,
        "2021-06-30",
        "Griffie",
    )
    assert {c.field for c in changes} == {
        "stress_test_round",
        "stress_test_year",
        "risk_dialogue_date",
        "strategy_date",
    }


def test_second_save_from_an_old_version_is_a_conflict(book: ProgressBook) -> None:
    first = book.save(Progress("werkregio", "WR-FLU", 1, 2019), user="A")
    book.save(replace(first, agenda_date=dt.date(2022, 1, 10)), user="B")
    with pytest.raises(ConflictError, match="intussen gewijzigd door B"):
        book.save(replace(first, note="van A"), user="A")
    assert book.get("werkregio", "WR-FLU").note == ""


@pytest.mark.parametrize(
    ("progress", "message"),
    [
        (Progress("buurt", "BU01"), "soort 'buurt' is onbekend"),
        (Progress("gemeente", "GM0114", 3, 2019), "stresstestronde 3 bestaat niet"),
        (Progress("gemeente", "GM0114", 1, 2025), "stresstestjaar 2025 past niet bij ronde 1"),
        (Progress("gemeente", "GM0114", None, 2019), "hoort een ronde"),
        (Progress("gemeente", "GM0114", 2, 2027), "stresstestjaar 2027 ligt in de toekomst"),
        (
            Progress("gemeente", "GM0114", risk_dialogue_date=dt.date(2026, 11, 28)),
            "risicodialoog \\(28-11-2026\\) ligt in de toekomst",
        ),
    ],
)
def test_invalid_records_are_refused_and_nothing_is_written(
    book: ProgressBook, progress: Progress, message: str
) -> None:
    with pytest.raises(ProgressError, match=message):
        book.save(progress, user="A")
    assert book.all() == {}


def test_today_itself_is_allowed(book: ProgressBook) -> None:
    saved = book.save(Progress("gemeente", "GM0114", agenda_date=TODAY), user="A")
    assert saved.agenda_date == TODAY
