"""Database connection and schema migrations of the ledger.

The URL comes from ``ADAPTATIE_DB_URL`` (e.g. ``postgresql+psycopg://user:pw@host/adaptatie``);
without it the SQLite file ``adaptatie.sqlite`` in :func:`adaptatie.config.home_dir` is used.
:func:`migrate` upgrades the schema to the newest Alembic revision kept in
``adaptatie/db/migrations``; the ledger calls it on every open.

SQLite details: foreign keys are switched on for every connection, and a connection opened with
the execution option ``write=True`` starts its transaction with ``BEGIN IMMEDIATE`` so a
read-check-write sequence (the allocation rule) cannot interleave with another writer.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from adaptatie.config import home_dir
from adaptatie.db.diagnosis import DB_URL_ENV, explain, safe_url
from adaptatie.db.errors import ConfigurationError, DatabaseError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_TIMEOUT_S = 30
_ADVISORY_KEY = 0x61646170_7461  # "adaptatie" ledger: schema and seeding
_MIGRATION_LOCK = threading.Lock()


def database_url(url: str | None = None, home: str | Path | None = None) -> str:
    """The URL to use: the argument, ``$ADAPTATIE_DB_URL`` or ``adaptatie.sqlite`` in the home
    dir (:func:`adaptatie.config.home_dir`, ``home`` overriding it)."""
    if url:
        return url
    if os.environ.get(DB_URL_ENV):
        return os.environ[DB_URL_ENV]
    return f"sqlite:///{home_dir(home) / 'adaptatie.sqlite'}"


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``database_url(url)`` with the SQLite settings described above."""
    chosen = database_url(url)
    try:
        parsed = make_url(chosen)
        if parsed.get_backend_name() not in ("sqlite", "postgresql"):
            raise ConfigurationError(
                f"Database '{parsed.render_as_string()}' wordt niet ondersteund. Oplossing: "
                "gebruik sqlite:///pad/naar/bestand.sqlite of postgresql+psycopg://..."
            )
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(parsed, connect_args={"timeout": SQLITE_TIMEOUT_S})
            _sqlite_setup(engine)
            return engine
        return create_engine(parsed, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        if isinstance(exc, ConfigurationError):
            raise
        raise ConfigurationError(
            f"De database-URL is ongeldig ({safe_url(chosen)}: {exc}). Oplossing: zet "
            f"{DB_URL_ENV} op bijv. postgresql+psycopg://gebruiker:wachtwoord@host/adaptatie of "
            "sqlite:///pad/naar/adaptatie.sqlite."
        ) from exc


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        write = connection.get_execution_options().get("write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest migration revision shipped with this code."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def serialize(connection: Connection) -> None:
    """Let one writer at a time through the rest of this transaction.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: nothing to do, provided the
    transaction was begun with the ``write=True`` execution option (``BEGIN IMMEDIATE``).
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision`` in one transaction.

    Safe when several threads or processes open a fresh database at once: they are serialised
    (a lock in this process, plus :func:`serialize` across processes) and the later ones find the
    schema already up to date.
    """
    try:
        current = current_revision(engine)
        if current == head_revision() and revision == "head":
            return
        if current is not None and current not in _known_revisions():
            raise DatabaseError(
                f"De database heeft schemaversie {current}, die deze versie van adaptatie niet "
                "kent (de database is nieuwer dan de software). Oplossing: werk adaptatie bij."
            )
        with _MIGRATION_LOCK, engine.execution_options(write=True).begin() as connection:
            serialize(connection)
            config = alembic_config()  # alembic's command API is not re-entrant: one at a time
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except SQLAlchemyError as exc:
        raise explain(exc, str(engine.url), "geopend of bijgewerkt") from exc


def _known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


