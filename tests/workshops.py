"""Risk-dialogue workshops stored in an app home folder, for the AppTest modules."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from adaptatie.dialogue.records import Workshop
from adaptatie.dialogue.workshops import WorkshopBook
from adaptatie.finance.ledger import Ledger

MEPPEL = {
    "region_kind": "gemeente",
    "region_code": "GM0119",
    "region_name": "Meppel",
    "boundary_year": 2024,
    "held_on": dt.date(2026, 11, 20),
    "place": "Meppel",
    "participants": "",
}


def ledger_url(home: Path) -> str:
    """The app's own SQLite database in ``home``."""
    return f"sqlite:///{home / 'adaptatie.sqlite'}"


@contextlib.contextmanager
def workshop_book(home: Path) -> Iterator[WorkshopBook]:
    """The workshops in ``home``'s database, open for the ``with`` block."""
    with Ledger.open(ledger_url(home)) as ledger:
        yield WorkshopBook(ledger.engine)


def meppel_workshop(
    book: WorkshopBook,
    *,
    themes: tuple[str, ...] = ("wateroverlast",),
    user: str = "F",
    **fields: Any,
) -> Workshop:
    """A new workshop in Meppel on 20-11-2026; ``fields`` replace any of that."""
    return book.create(**(MEPPEL | fields), themes=themes, user=user)
