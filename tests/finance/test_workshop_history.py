"""Removing a hotspot from a workshop (migration 0006): the log keeps every value it had; the
theme as a whole cannot be removed; an old database gains the log without losing a row."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from adaptatie.db.engine import alembic_config, migrate
from adaptatie.dialogue.register import register
from adaptatie.dialogue.workshops import WorkshopBook, WorkshopError
from adaptatie.finance.ledger import Ledger

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ledger-2026-12-01.sqlite"


def _workshop(book: WorkshopBook) -> int:
    return book.create(
        region_kind="gemeente",
        region_code="GM0114",
        region_name="Emmen",
        boundary_year=2024,
        held_on=dt.date(2026, 5, 4),
        place="Raadzaal Emmen",
        participants="raad",
        themes=("wateroverlast", "hitte"),
        user="F",
    ).id


def test_a_removed_hotspot_leaves_the_list_and_stays_in_the_log(db_url: str) -> None:
    with Ledger.open(db_url) as ledger:
        book = WorkshopBook(ledger.engine)
        workshop = _workshop(book)
        book.pick_hotspot(
            workshop, "wateroverlast", "H1 Centrum", "wo|0.3|H1", "POINT (1 2)", user="F"
        )
        book.save_field(
            workshop, "wateroverlast", "H1 Centrum", "acceptable", "onwenselijk", user="F"
        )
        book.save_field(
            workshop, "wateroverlast", "H1 Centrum", "decision_date", "2026-06-01", user="F"
        )
        book.save_field(workshop, "wateroverlast", "Markt", "actions", "wadi", user="F")
        book.save_field(workshop, "wateroverlast", "", "acceptable", "acceptabel", user="F")

        removed = book.remove_hotspot(workshop, "wateroverlast", "H1 Centrum", user="Anna")
        assert removed.acceptable == "onwenselijk"
        remaining = {(o.theme, o.hotspot) for o in book.outcomes(workshop)}
        assert remaining == {("wateroverlast", ""), ("wateroverlast", "Markt")}
        assert "H1 Centrum" not in set(register(book, "gemeente", "GM0114")["hotspot"])
        (entry,) = book.removals(workshop)
        assert (entry.user, entry.theme, entry.hotspot) == ("Anna", "wateroverlast", "H1 Centrum")
        assert entry.values == {
            "acceptable": "onwenselijk",
            "decision_date": "2026-06-01",
            "hotspot_ref": "wo|0.3|H1",
            "hotspot_wkt": "POINT (1 2)",
            "updated_by": "F",
        }
        assert entry.at.tzinfo is not None
        # The same name can be put on the list again, as a new hotspot.
        book.save_field(workshop, "wateroverlast", "H1 Centrum", "notes", "opnieuw", user="F")
        again = {o.hotspot: o for o in book.outcomes(workshop)}["H1 Centrum"]
        assert (again.acceptable, again.notes) == ("", "opnieuw")


def test_what_cannot_be_removed_is_refused_and_nothing_changes(db_url: str) -> None:
    with Ledger.open(db_url) as ledger:
        book = WorkshopBook(ledger.engine)
        workshop = _workshop(book)
        book.save_field(workshop, "hitte", "", "acceptable", "acceptabel", user="F")
        book.save_field(workshop, "hitte", "Marktplein", "notes", "schaduw", user="F")
        before = book.outcomes(workshop)
        with pytest.raises(WorkshopError, match="hitte als geheel blijft staan"):
            book.remove_hotspot(workshop, "hitte", "  ", user="Anna")
        with pytest.raises(WorkshopError, match="'Stadspark' staat niet \\(meer\\) bij hitte"):
            book.remove_hotspot(workshop, "hitte", "Stadspark", user="Anna")
        with pytest.raises(WorkshopError, match="Uw naam ontbreekt"):
            book.remove_hotspot(workshop, "hitte", "Marktplein", user=" ")
        assert book.outcomes(workshop) == before
        assert book.removals(workshop) == []


def test_migration_0006_on_an_old_database_keeps_every_row(tmp_path: Path) -> None:
    copy = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURE, copy)
    engine = create_engine(f"sqlite:///{copy}")
    with engine.connect() as conn:
        tables = ("measures", "audit_entries", "workshops", "workshop_outcomes", "dpra_history")
        before = {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in tables}
    migrate(engine)  # 0003 -> head
    assert "workshop_history" in inspect(engine).get_table_names()
    with engine.connect() as conn:
        after = {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in tables}
    assert after == before and before["workshop_outcomes"] == 2
    engine.dispose()
    with Ledger.open(f"sqlite:///{copy}") as ledger:  # and the log works on it
        book = WorkshopBook(ledger.engine)
        (workshop,) = book.all()
        book.remove_hotspot(workshop.id, "wateroverlast", "Centrum", user="Anna")
        (entry,) = book.removals(workshop.id)
        assert entry.values["actions"] == "wadi bij de school"
    engine = create_engine(f"sqlite:///{copy}")
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0005_risk_register")
    assert "workshop_history" not in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM workshop_outcomes")).scalar() == 1
    engine.dispose()
