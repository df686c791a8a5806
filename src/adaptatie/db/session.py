"""Sessions that turn every SQLAlchemy error into a Dutch :class:`DatabaseError`.

The ledger, the DPRA progress and the risk-dialogue workshops all read and write through
:func:`reading` and :func:`writing`, so a locked or unreachable database is reported the same way
everywhere and nothing half-written is kept (one transaction per block).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from adaptatie.db.diagnosis import driver_text, explain
from adaptatie.db.errors import DatabaseError

log = logging.getLogger(__name__)


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A session in one read transaction."""
    try:
        with Session(engine) as s, s.begin():
            yield s
    except SQLAlchemyError as exc:
        raise explain(exc, str(engine.url), "gelezen") from exc


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """A session in one write transaction (``BEGIN IMMEDIATE`` on SQLite).

    ``StaleDataError`` (optimistic locking) passes through for the caller to explain.
    """
    try:
        with Session(engine.execution_options(write=True), autoflush=False) as s, s.begin():
            yield s
    except StaleDataError:
        raise
    except IntegrityError as exc:
        log.warning("database refused a change: %s", driver_text(exc))
        raise DatabaseError(
            "De database weigerde de wijziging: die zou een regel van de database breken (bijv. "
            "een dubbele code); er is niets opgeslagen. Oplossing: laad de gegevens opnieuw en "
            "probeer het nog eens."
        ) from exc
    except SQLAlchemyError as exc:
        raise explain(exc, str(engine.url), "bijgewerkt") from exc
