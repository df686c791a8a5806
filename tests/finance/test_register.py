"""The risk register as data (migration 0005): acceptance classes, owner, decision date, picked
hotspots, rounds, comparison between rounds; the migration of old outcomes up and down."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import shapely
from alembic import command
from sqlalchemy import create_engine, text

from adaptatie.db.engine import alembic_config, migrate
from adaptatie.dialogue.records import round_of
from adaptatie.dialogue.register import compare, register, register_csv
from adaptatie.dialogue.workshops import WorkshopBook, WorkshopError
from adaptatie.finance.ledger import Ledger

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ledger-2026-12-01.sqlite"


def _workshop(book: WorkshopBook, held_on: dt.date) -> int:
    return book.create(
        region_kind="gemeente",
        region_code="GM0114",
        region_name="Emmen",
        boundary_year=2024,
        held_on=held_on,
        place="Raadzaal Emmen",
        participants="raad",
        themes=("wateroverlast", "hitte"),
        user="F",
    ).id


def test_round_of_the_dialogue_follows_the_date() -> None:
    assert round_of(dt.date(2019, 5, 1)) == round_of(dt.date(2024, 12, 31)) == 1
    assert round_of(dt.date(2025, 1, 1)) == 2


def test_register_per_round_and_comparison(db_url: str) -> None:
    with Ledger.open(db_url) as ledger:
        book = WorkshopBook(ledger.engine)
        first, second = _workshop(book, dt.date(2020, 3, 12)), _workshop(book, dt.date(2026, 5, 4))
        square = shapely.box(0, 0, 100, 100).wkt
        moved = shapely.box(50, 0, 150, 100).wkt  # overlaps the first: the same place
        book.pick_hotspot(first, "wateroverlast", "H1 Centrum", "wo|0.3|H1", square, user="F")
        book.pick_hotspot(second, "wateroverlast", "H4 Centrum-Oost", "wo|0.3|H4", moved, user="F")
        book.save_field(first, "wateroverlast", "H1 Centrum", "acceptable", "onwenselijk", user="F")
        book.save_field(
            second, "wateroverlast", "H4 Centrum-Oost", "acceptable", "onacceptabel", user="F"
        )
        book.save_field(
            second, "wateroverlast", "H4 Centrum-Oost", "owner_kind", "waterschap", user="F"
        )
        book.save_field(
            second, "wateroverlast", "H4 Centrum-Oost", "decision_date", "2026-06-01", user="F"
        )
        book.save_field(first, "hitte", "", "acceptable", "acceptabel", user="F")
        book.save_field(second, "hitte", "", "acceptable", "acceptabel", user="F")
        book.save_field(second, "hitte", "Marktplein", "acceptable", "onwenselijk", user="F")
        frame = register(book, "gemeente", "GM0114")
        assert sorted(frame["ronde"]) == [1, 1, 2, 2, 2]
        later = frame[(frame["ronde"] == 2) & (frame["hotspot"] == "H4 Centrum-Oost")].iloc[0]
        assert (later["eigenaar"], later["besluitdatum"]) == ("waterschap", "01-06-2026")
        changes = compare(frame)
        as_rows = {
            (r["thema"], r.iloc[1], r.iloc[2]): r["verandering"] for _, r in changes.iterrows()
        }
        assert as_rows == {
            ("wateroverlast", "H1 Centrum", "H4 Centrum-Oost"): "strenger",  # matched by place
            ("hitte", "(thema als geheel)", "(thema als geheel)"): "gelijk",
            ("hitte", "", "Marktplein"): "nieuw",
        }
        assert b"H4 Centrum-Oost" in register_csv(frame)


def test_bad_register_values_are_refused_and_nothing_is_written(db_url: str) -> None:
    with Ledger.open(db_url) as ledger:
        book = WorkshopBook(ledger.engine)
        workshop = _workshop(book, dt.date(2026, 5, 4))
        with pytest.raises(WorkshopError, match=r"geen keuze.*onwenselijk"):
            book.save_field(workshop, "hitte", "", "acceptable", "niet acceptabel", user="F")
        with pytest.raises(WorkshopError, match="geen eigenaar"):
            book.save_field(workshop, "hitte", "", "owner_kind", "de buurman", user="F")
        with pytest.raises(WorkshopError, match="geen datum"):
            book.save_field(workshop, "hitte", "", "decision_date", "31-02-2026", user="F")
        with pytest.raises(WorkshopError, match="ronde 3"):
            book.create(
                region_kind="gemeente",
                region_code="GM0114",
                region_name="Emmen",
                boundary_year=2024,
                held_on=dt.date(2026, 1, 1),
                place="X",
                participants="",
                themes=("hitte",),
                user="F",
                dialogue_round=3,
            )
        assert book.outcomes(workshop) == []


def test_migration_0005_up_and_down_on_an_old_database(tmp_path: Path) -> None:
    copy = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURE, copy)
    engine = create_engine(f"sqlite:///{copy}")
    migrate(engine, "0005_risk_register")
    with engine.connect() as conn:
        classes = set(conn.execute(text("SELECT acceptable FROM workshop_outcomes")).scalars())
        rounds = conn.execute(text("SELECT held_on, dialogue_round FROM workshops")).all()
    assert "onacceptabel" in classes and "niet acceptabel" not in classes
    assert all(r == (2 if str(h) >= "2025" else 1) for h, r in rounds)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    with engine.connect() as conn:
        classes = set(conn.execute(text("SELECT acceptable FROM workshop_outcomes")).scalars())
    assert "niet acceptabel" in classes
    engine.dispose()
