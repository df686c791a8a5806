"""Backups: a SQLite copy via the online backup API, a JSON dump for PostgreSQL; both restore."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from adaptatie.db.backup import backup_database, restore_json
from adaptatie.db.engine import head_revision
from adaptatie.db.errors import BackupError
from adaptatie.finance.ledger import Ledger
from adaptatie.finance.records import AllocationBasis
from tests.finance.factories import measure


@pytest.fixture
def busy(ledger: Ledger) -> Ledger:
    first = ledger.add(measure(), user="Anna").measure
    ledger.update(dataclasses.replace(first, name="Wadi (gewijzigd)"), 1, user="Bob")
    ledger.add(measure(id="FLU-002", rijk_contribution_cents=5), user="Anna")
    ledger.delete("FLU-002", 1, user="Bob")
    ledger.set_allocation(
        "WR-GND",
        max_rijk_cents=12_345_600,
        basis=AllocationBasis.MAXIMUM,
        source="Beschikking (test)",
        date="2025-02-01",
        user="Beheer",
    )
    return ledger


def same_content(a: Ledger, b: Ledger) -> None:
    assert b.measures() == a.measures()
    assert b.allocations() == a.allocations()
    assert b.audit() == a.audit()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # PostgreSQL: JSON dump below
def test_sqlite_copy_is_a_complete_ledger(busy: Ledger, tmp_path: Path) -> None:
    target = backup_database(busy.engine, tmp_path / "kopie.sqlite")
    with Ledger.open(f"sqlite:///{target}") as copy:
        same_content(busy, copy)


def test_json_dump_restores_on_the_same_backend(
    busy: Ledger, new_db_url: Callable[[], str], tmp_path: Path
) -> None:
    target = backup_database(busy.engine, tmp_path / "dump.json", as_json=True)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["format"] == "adaptatie-finance-dump"
    assert document["schema_revision"] == head_revision()  # the newest migration
    assert {t: len(rows) for t, rows in document["tables"].items()} == {
        "allocations": 4,
        "measures": 1,
        "audit_entries": len(busy.audit()),
        "dpra_progress": 0,
        "dpra_history": 0,
        "workshops": 0,
        "workshop_outcomes": 0,
        "accounts": 0,
    }
    url = new_db_url()
    counts = restore_json(target, url)
    assert counts["measures"] == 1
    with Ledger.open(url) as restored:
        same_content(busy, restored)
        restored.add(measure(id="FLU-003", rijk_contribution_cents=7), user="Na herstel")
        assert restored.audit()[0].id > busy.audit()[0].id  # id sequence continues


def test_postgresql_backup_is_json_by_default(busy: Ledger, tmp_path: Path) -> None:
    target = backup_database(busy.engine, tmp_path / "backup.out")
    text = target.read_text(encoding="utf-8") if busy.backend == "postgresql" else None
    if busy.backend == "postgresql":
        assert json.loads(text)["backend"] == "postgresql"
        with pytest.raises(BackupError, match="alleen van een SQLite-database"):
            backup_database(busy.engine, tmp_path / "x.sqlite", as_json=False)
    else:
        assert target.read_bytes().startswith(b"SQLite format 3")


def test_dump_crosses_backends(busy: Ledger, tmp_path: Path) -> None:
    """A PostgreSQL dump restores into SQLite (and the other way round)."""
    target = backup_database(busy.engine, tmp_path / "dump.json", as_json=True)
    url = f"sqlite:///{tmp_path / 'uit-dump.sqlite'}"
    restore_json(target, url)
    with Ledger.open(url) as restored:
        same_content(busy, restored)


def test_backup_never_overwrites(busy: Ledger, tmp_path: Path) -> None:
    existing = tmp_path / "bestaat.json"
    existing.write_text("oud")
    with pytest.raises(BackupError, match="bestaat al"):
        backup_database(busy.engine, existing, as_json=True)
    assert existing.read_text() == "oud"


def test_restore_refuses_a_database_with_data(busy: Ledger, db_url: str, tmp_path: Path) -> None:
    target = backup_database(busy.engine, tmp_path / "dump.json", as_json=True)
    with pytest.raises(BackupError, match="niet leeg"):
        restore_json(target, db_url)
    assert len(busy.measures()) == 1


def test_restore_refuses_other_files(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"hallo": 1}')
    with pytest.raises(BackupError, match="geen back-up van adaptatie"):
        restore_json(path, f"sqlite:///{tmp_path / 'y.sqlite'}")
