"""Backups of the ledger database.

* SQLite: :func:`backup_sqlite` copies the live database with the sqlite3 online backup API; the
  copy is a complete ledger database (open it with ``sqlite:///copy.sqlite``).
* PostgreSQL (or any backend on request): :func:`dump_json` writes all tables to one JSON file in
  a single consistent snapshot (REPEATABLE READ); :func:`restore_json` loads such a dump into an
  empty ledger database of either backend. For large shared servers ``pg_dump`` remains the tool
  of the database administrator; this dump needs no PostgreSQL client programs.

A backup never overwrites an existing file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.sql.sqltypes import Date

from adaptatie.accounts.models import AccountRow
from adaptatie.db import orm
from adaptatie.db.engine import current_revision, head_revision, make_engine, migrate
from adaptatie.db.errors import BackupError
from adaptatie.oserrors import describe, position

DUMP_FORMAT = "adaptatie-finance-dump"
DUMP_VERSION = 1
TABLES = (
    orm.Allocation.__table__,
    orm.Measure.__table__,
    orm.AuditEntry.__table__,
    orm.DpraProgress.__table__,
    orm.DpraHistory.__table__,
    orm.Workshop.__table__,
    orm.WorkshopOutcome.__table__,
    AccountRow.__table__,  # users and password hashes; login sessions are not kept
)


def backup_database(engine: Engine, target: str | Path, *, as_json: bool | None = None) -> Path:
    """Copy the database to ``target`` (which must not exist yet).

    SQLite: a consistent copy with the sqlite3 online backup API (the copy is itself a complete
    database). PostgreSQL (or ``as_json=True``): a JSON dump of all tables, restorable with
    :func:`restore_json`.
    """
    path = Path(target)
    sqlite = engine.dialect.name == "sqlite"
    use_json = not sqlite if as_json is None else as_json
    if not use_json and not sqlite:
        raise BackupError(
            "Een bestandskopie kan alleen van een SQLite-database. Oplossing: maak een "
            "JSON-dump (standaard voor PostgreSQL) of gebruik pg_dump."
        )
    return dump_json(engine, path) if use_json else backup_sqlite(engine, path)


def _refuse_existing(target: Path) -> None:
    if target.exists():
        raise BackupError(
            f"Het back-upbestand {target} bestaat al; een back-up overschrijft nooit een ander "
            "bestand. Oplossing: kies een nieuwe bestandsnaam, bijv. met de datum erin."
        )
    if not target.parent.is_dir():
        raise BackupError(
            f"De map {target.parent} bestaat niet. Oplossing: maak de map eerst aan of kies "
            "een andere plek."
        )


def backup_sqlite(engine: Engine, target: Path) -> Path:
    """Copy a SQLite ledger to ``target`` with the online backup API (safe while in use)."""
    _refuse_existing(target)
    partial = target.with_name(target.name + ".part")
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
        partial.replace(target)
    finally:
        raw.close()
        partial.unlink(missing_ok=True)
    return target


def dump_json(engine: Engine, target: Path) -> Path:
    """Write every ledger table to a JSON file (one consistent snapshot)."""
    _refuse_existing(target)
    options: dict[str, Any] = {}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    with engine.connect().execution_options(**options) as conn, conn.begin():
        tables = {
            table.name: [
                {k: _jsonable(v) for k, v in row._mapping.items()}
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in TABLES
        }
    revision = current_revision(engine)
    document = {
        "format": DUMP_FORMAT,
        "format_version": DUMP_VERSION,
        "schema_revision": revision,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "backend": engine.dialect.name,
        "tables": tables,
    }
    fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(document, out, ensure_ascii=False, indent=1)
        Path(partial).replace(target)
    finally:
        Path(partial).unlink(missing_ok=True)
    return target


def restore_json(source: Path, url: str | None = None) -> dict[str, int]:
    """Load a JSON dump into an empty ledger database at ``url``; returns rows per table.

    The schema is created (migrated) first; a database that already holds measures, allocations
    or audit entries is refused, so a restore never mixes with or replaces existing data.
    """
    try:
        document = json.loads(Path(source).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(
            f"Back-up {source} kan niet worden gelezen ({_why(exc)}). Oplossing: kies een "
            "JSON-dump gemaakt met 'adaptatie db backup'."
        ) from exc
    if not isinstance(document, dict) or document.get("format") != DUMP_FORMAT:
        raise BackupError(
            f"{source} is geen back-up van adaptatie. Oplossing: kies een JSON-dump gemaakt met "
            "'adaptatie db backup'."
        )
    if document.get("schema_revision") != head_revision():
        raise BackupError(
            f"Back-up {source} heeft schemaversie {document.get('schema_revision')}, deze "
            f"software {head_revision()}. Oplossing: herstel met de versie van adaptatie "
            "waarmee de back-up is gemaakt."
        )
    engine = make_engine(url)
    try:
        migrate(engine)
        counts: dict[str, int] = {}
        with engine.begin() as conn:
            for table in TABLES:
                if conn.execute(select(func.count()).select_from(table)).scalar_one():
                    raise BackupError(
                        f"De doeldatabase is niet leeg (tabel {table.name} heeft al rijen). "
                        "Oplossing: herstel naar een nieuwe, lege database."
                    )
            for table in TABLES:
                rows = [_typed(table, r) for r in document["tables"].get(table.name, [])]
                if rows:
                    conn.execute(insert(table), rows)
                counts[table.name] = len(rows)
            if engine.dialect.name == "postgresql":
                conn.execute(
                    text(
                        "SELECT setval(pg_get_serial_sequence('audit_entries', 'id'), "
                        "COALESCE((SELECT MAX(id) FROM audit_entries), 0) + 1, false)"
                    )
                )
        return counts
    finally:
        engine.dispose()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _typed(table: Any, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for column in table.columns:
        value = row.get(column.name)
        if value is not None and isinstance(column.type, orm.UTCDateTime):
            value = dt.datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = dt.date.fromisoformat(value)
        out[column.name] = value
    return out


def _why(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return describe(exc)
    if isinstance(exc, UnicodeDecodeError):
        return "geen UTF-8-tekst"
    return f"geen geldige JSON, fout {position(exc)}"
