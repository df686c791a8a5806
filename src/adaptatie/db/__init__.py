"""The database of adaptatie: one SQLAlchemy schema for the ledger, DPRA progress and workshops.

``engine`` (URL, SQLite settings, :func:`~adaptatie.db.engine.migrate` to the newest Alembic
revision), ``orm`` (the tables), ``migrations`` (Alembic history, revision ids unchanged since
they lived in ``adaptatie/finance/migrations``), ``session`` (read and write transactions that
turn every SQLAlchemy error into a Dutch :class:`~adaptatie.db.errors.DatabaseError`),
``backup`` (SQLite copy, JSON dump and restore) and ``errors``.
"""
