"""Allocation citations: the Noordelijke Vechtstromen allocation cites its document by title.

Databases created before this revision copied the source and note of WR-NVS from an earlier
``geodata/allocations.toml`` that named an internal document number and quoted English. Only
the exact old texts are replaced (a source or note someone changed since is left alone). The
texts are written out here, not read from the file, so the migration gives the same result
whatever the file says later.

Revision ID: 0007_allocation_citations
Revises: 0006_workshop_history
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_allocation_citations"
down_revision = "0006_workshop_history"
branch_labels = None
depends_on = None

OLD_SOURCE = "Samenwerking Noordelijke Vechtstromen (klantdocument 000)"
NEW_SOURCE = (
    '"Samenwerking Noordelijke Vechtstromen: prettige leefomgeving, krachtig partnerschap" '
    "(boodschap voor de nieuwe raadsperiode, zonder datum)"
)
OLD_NOTE = (
    'Het bedrag waarop de samenwerking aanspraak maakt ("lays claim to"); geen beschikking van '
    "het Rijk bekend. Wordt als bovengrens getoetst."
)
NEW_NOTE = (
    "Het bedrag waarop de samenwerkende organisaties aanspraak maken bij het Rijk; geen "
    "beschikking van het Rijk bekend. Wordt als bovengrens getoetst."
)


def _replace(column: str, old: str, new: str) -> None:
    op.get_bind().execute(
        sa.text(
            f"UPDATE allocations SET {column} = :new "
            f"WHERE werkregio = 'WR-NVS' AND {column} = :old"
        ),
        {"new": new, "old": old},
    )


def upgrade() -> None:
    _replace("source", OLD_SOURCE, NEW_SOURCE)
    _replace("note", OLD_NOTE, NEW_NOTE)


def downgrade() -> None:
    _replace("source", NEW_SOURCE, OLD_SOURCE)
    _replace("note", NEW_NOTE, OLD_NOTE)
