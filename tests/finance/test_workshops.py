"""Risk-dialogue workshops on SQLite and PostgreSQL: saved as typed, shared, followed."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from adaptatie.dialogue.workshops import WorkshopBook, WorkshopError
from adaptatie.finance.ledger import Ledger


def new_workshop(book: WorkshopBook, **changes: object) -> object:
    values = {
        "region_kind": "gemeente",
        "region_code": "GM0114",
        "region_name": "Emmen",
        "boundary_year": 2024,
        "held_on": dt.date(2026, 11, 20),
        "place": "Raadzaal Emmen",
        "participants": "raadsleden, bewoners, waterschap",
        "themes": ("wateroverlast", "hitte"),
        "user": "Facilitator",
    }
    return book.create(**{**values, **changes})


def test_outcomes_survive_a_restart_and_two_clients_see_each_other(db_url: str) -> None:
    with Ledger.open(db_url) as first, Ledger.open(db_url) as second:
        laptop_a, laptop_b = WorkshopBook(first.engine), WorkshopBook(second.engine)
        workshop = new_workshop(laptop_a)
        laptop_a.save_field(
            workshop.id, "wateroverlast", "", "acceptable", "onacceptabel", user="A"
        )
        laptop_b.save_field(
            workshop.id, "wateroverlast", "", "actions", "wadi bij de school", user="B"
        )
        # Each laptop wrote one field of the same outcome; neither overwrote the other.
        (outcome,) = laptop_a.outcomes(workshop.id)
        assert (outcome.acceptable, outcome.actions) == ("onacceptabel", "wadi bij de school")
    with Ledger.open(db_url) as restarted:
        (outcome,) = WorkshopBook(restarted.engine).outcomes(workshop.id)
        assert outcome.actions == "wadi bij de school"
        assert outcome.updated_by == "B"


def test_presenter_step_is_followed(ledger: Ledger) -> None:
    book = WorkshopBook(ledger.engine)
    workshop = new_workshop(book)
    assert workshop.current_step == 0
    book.set_step(workshop.id, 1)
    assert book.get(workshop.id).current_step == 1  # what a following screen reads
    book.set_step(workshop.id, 9)  # past the last theme: stays on the last
    assert book.get(workshop.id).current_step == 1


def test_hotspots_and_export(ledger: Ledger) -> None:
    book = WorkshopBook(ledger.engine)
    workshop = new_workshop(book)
    book.save_field(workshop.id, "hitte", "Centrum", "priority", "hoog", user="A")
    book.save_field(workshop.id, "hitte", "Centrum", "notes", "=SOM(1;2)", user="A")
    rows = list(
        csv.DictReader(io.StringIO(book.export_csv(workshop.id).decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0]["hotspot"] == "Centrum"
    assert rows[0]["prioriteit"] == "hoog"
    assert rows[0]["notities"] == "'=SOM(1;2)"  # safe to open in a spreadsheet
    assert book.export_xlsx(workshop.id)[:2] == b"PK"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("acceptable", "misschien", "'misschien' is geen keuze"),
        ("priority", "urgent", "'urgent' is geen prioriteit"),
        ("kleur", "rood", "Onbekend veld 'kleur'"),
    ],
)
def test_bad_values_are_refused(ledger: Ledger, field: str, value: str, message: str) -> None:
    book = WorkshopBook(ledger.engine)
    workshop = new_workshop(book)
    with pytest.raises(WorkshopError, match=message):
        book.save_field(workshop.id, "hitte", "", field, value, user="A")
    assert book.outcomes(workshop.id) == []


def test_workshop_needs_place_and_themes(ledger: Ledger) -> None:
    with pytest.raises(WorkshopError, match="de plaats ontbreekt; kies ten minste één thema"):
        new_workshop(WorkshopBook(ledger.engine), place=" ", themes=())
    assert WorkshopBook(ledger.engine).all() == []


def test_a_locked_database_is_a_dutch_database_error_and_nothing_is_lost(
    tmp_path, monkeypatch
) -> None:
    import sqlite3

    import adaptatie.db.engine as engine_module
    from adaptatie.db.errors import DatabaseError
    from adaptatie.progress.book import Progress, ProgressBook

    monkeypatch.setattr(engine_module, "SQLITE_TIMEOUT_S", 0.1)
    path = tmp_path / "locked.sqlite"
    with Ledger.open(f"sqlite:///{path}") as ledger:
        book = WorkshopBook(ledger.engine)
        workshop = new_workshop(book)
        book.save_field(workshop.id, "hitte", "", "actions", "bomen planten", user="A")
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # another program holds the database
        try:
            with pytest.raises(DatabaseError, match="is bezet door een andere bewerking"):
                book.save_field(workshop.id, "hitte", "", "actions", "schaduw", user="B")
            with pytest.raises(DatabaseError, match="Oplossing"):
                ProgressBook(ledger.engine).save(Progress("gemeente", "GM0114", 1, 2019), user="B")
        finally:
            other.execute("ROLLBACK")
            other.close()
        (outcome,) = book.outcomes(workshop.id)
        assert (outcome.actions, outcome.updated_by) == ("bomen planten", "A")
        assert ProgressBook(ledger.engine).all() == {}
