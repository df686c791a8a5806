"""Alembic environment of the ledger, run programmatically by :func:`adaptatie.db.engine.migrate`.

The caller passes an open SQLAlchemy connection in ``config.attributes["connection"]``; without
one the URL comes from ``-x url=...`` or :func:`adaptatie.db.engine.database_url`.

Adding a schema change (no alembic.ini needed): change ``db/orm.py``, then generate a
revision against a database that is at the current head and review it::

    ADAPTATIE_DB_URL=sqlite:////tmp/head.sqlite .venv/bin/python -c "
    from alembic import command
    from adaptatie.db.engine import alembic_config, make_engine, migrate
    migrate(make_engine())
    command.revision(alembic_config(), 'what changed', autogenerate=True, rev_id='0002')"

Keep names stable (the naming convention in ``models.NAMING``), write data migrations by hand,
and test the upgrade on SQLite and PostgreSQL (``tests/finance``).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from adaptatie.db.engine import database_url
from adaptatie.db.orm import full_metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=full_metadata(),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or database_url()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():  # pragma: no cover - offline SQL scripts are not used
    raise SystemExit("Offline migrations are not supported; run against a database.")
run_migrations_online()
