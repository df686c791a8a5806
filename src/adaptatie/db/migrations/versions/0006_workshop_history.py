"""The log of removed risk-dialogue outcomes (a hotspot taken off a workshop's list).

Every value the outcome had is kept as JSON text, with who removed it and when. The log has no
foreign key to the workshop, so its entries outlive the outcome. Nothing existing is changed.

Revision ID: 0006_workshop_history
Revises: 0005_risk_register
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_workshop_history"
down_revision = "0005_risk_register"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshop_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(30), nullable=False),
        sa.Column("hotspot", sa.String(200), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("old_values", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workshop_history"),
    )
    op.create_index("ix_workshop_history_workshop", "workshop_history", ["workshop_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_workshop_history_workshop", table_name="workshop_history")
    op.drop_table("workshop_history")
