"""Risk register: acceptance classes, owner, decision date, picked hotspots, dialogue rounds.

Outcomes recorded as "niet acceptabel" become "onacceptabel" (the three classes of Dutch risk
dialogues: acceptabel, onwenselijk, onacceptabel). Workshops get their dialogue round: the first
round ran 2019-2021, the second from 2025; a workshop held before 2025 is put in round 1.

Revision ID: 0005_risk_register
Revises: 0004_accounts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_risk_register"
down_revision = "0004_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(
            sa.Column("dialogue_round", sa.Integer(), nullable=False, server_default="1")
        )
    op.execute(
        "UPDATE workshops SET dialogue_round = CASE WHEN held_on >= '2025-01-01' THEN 2 ELSE 1 END"
    )
    with op.batch_alter_table("workshop_outcomes") as batch:
        batch.add_column(sa.Column("owner_kind", sa.String(40), nullable=False, server_default=""))
        batch.add_column(sa.Column("decision_date", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("hotspot_ref", sa.String(200), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("hotspot_wkt", sa.Text(), nullable=True))
    op.execute(
        "UPDATE workshop_outcomes SET acceptable = 'onacceptabel' "
        "WHERE acceptable = 'niet acceptabel'"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE workshop_outcomes SET acceptable = 'niet acceptabel' "
        "WHERE acceptable IN ('onacceptabel', 'onwenselijk')"
    )
    with op.batch_alter_table("workshop_outcomes") as batch:
        batch.drop_column("hotspot_wkt")
        batch.drop_column("hotspot_ref")
        batch.drop_column("decision_date")
        batch.drop_column("owner_kind")
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("dialogue_round")
