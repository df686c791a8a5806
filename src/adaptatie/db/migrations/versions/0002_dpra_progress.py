"""DPRA progress per municipality and werkregio, with its own change history.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dpra_progress",
        sa.Column("region_kind", sa.String(20), nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("stress_test_round", sa.Integer(), nullable=True),
        sa.Column("stress_test_year", sa.Integer(), nullable=True),
        sa.Column("risk_dialogue_date", sa.Date(), nullable=True),
        sa.Column("strategy_date", sa.Date(), nullable=True),
        sa.Column("agenda_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("region_kind", "region_code", name="pk_dpra_progress"),
        sa.CheckConstraint(
            "region_kind IN ('gemeente', 'werkregio')", name="ck_dpra_progress_region_kind"
        ),
        sa.CheckConstraint(
            "stress_test_round IS NULL OR stress_test_round IN (1, 2)",
            name="ck_dpra_progress_round",
        ),
    )
    op.create_table(
        "dpra_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("region_kind", sa.String(20), nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("field", sa.String(50), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_dpra_history"),
    )
    op.create_index("ix_dpra_history_region", "dpra_history", ["region_kind", "region_code", "at"])


def downgrade() -> None:
    op.drop_table("dpra_history")
    op.drop_table("dpra_progress")
