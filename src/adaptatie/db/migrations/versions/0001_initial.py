"""Initial schema: allocations, measures, audit entries.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

STATUSES = "'idee', 'aangevraagd', 'toegekend', 'in uitvoering', 'gerealiseerd', 'vervallen'"
ACTIONS = "'create', 'update', 'delete', 'import', 'allocation'"


def upgrade() -> None:
    op.create_table(
        "allocations",
        sa.Column("werkregio", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("max_rijk_cents", sa.BigInteger(), nullable=True),
        sa.Column("basis", sa.String(20), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("werkregio", name="pk_allocations"),
        sa.CheckConstraint(
            "max_rijk_cents IS NULL OR max_rijk_cents >= 0", name="ck_allocations_max_rijk"
        ),
        sa.CheckConstraint(
            "basis IN ('maximum', 'geclaimd', 'onbekend')", name="ck_allocations_basis"
        ),
    )
    op.create_table(
        "measures",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("werkregio", sa.String(20), nullable=False),
        sa.Column("gemeente", sa.String(200), nullable=False),
        sa.Column("themes", sa.String(100), nullable=False),
        sa.Column("location_wkt", sa.Text(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("round", sa.Integer(), nullable=True),
        sa.Column("total_cost_cents", sa.BigInteger(), nullable=True),
        sa.Column("eligible_cost_cents", sa.BigInteger(), nullable=True),
        sa.Column("rijk_contribution_cents", sa.BigInteger(), nullable=True),
        sa.Column("kassier", sa.String(200), nullable=False),
        sa.Column("completion_date", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_measures"),
        sa.ForeignKeyConstraint(
            ["werkregio"],
            ["allocations.werkregio"],
            name="fk_measures_werkregio_allocations",
        ),
        sa.CheckConstraint(f"status IN ({STATUSES})", name="ck_measures_status"),
        sa.CheckConstraint(
            "total_cost_cents IS NULL OR total_cost_cents >= 0", name="ck_measures_total_cost"
        ),
        sa.CheckConstraint(
            "eligible_cost_cents IS NULL OR eligible_cost_cents >= 0",
            name="ck_measures_eligible_cost",
        ),
        sa.CheckConstraint(
            "rijk_contribution_cents IS NULL OR rijk_contribution_cents >= 0",
            name="ck_measures_rijk_contribution",
        ),
        sa.CheckConstraint("version >= 1", name="ck_measures_version"),
    )
    op.create_index("ix_measures_werkregio", "measures", ["werkregio"])
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("measure_id", sa.String(40), nullable=True),
        sa.Column("werkregio", sa.String(20), nullable=True),
        sa.Column("field", sa.String(50), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_entries"),
        sa.CheckConstraint(f"action IN ({ACTIONS})", name="ck_audit_entries_action"),
    )
    op.create_index("ix_audit_entries_at", "audit_entries", ["at"])
    op.create_index("ix_audit_entries_measure_id_at", "audit_entries", ["measure_id", "at"])


def downgrade() -> None:
    op.drop_table("audit_entries")
    op.drop_table("measures")
    op.drop_table("allocations")
