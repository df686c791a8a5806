"""Risk-dialogue workshops and their outcomes.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_kind", sa.String(30), nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("region_name", sa.String(200), nullable=False),
        sa.Column("boundary_year", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("participants", sa.Text(), nullable=False),
        sa.Column("themes", sa.String(200), nullable=False),
        sa.Column("current_step", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workshops"),
    )
    op.create_table(
        "workshop_outcomes",
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(30), nullable=False),
        sa.Column("hotspot", sa.String(200), nullable=False),
        sa.Column("acceptable", sa.String(20), nullable=False),
        sa.Column("priority", sa.String(20), nullable=False),
        sa.Column("meekoppelkansen", sa.Text(), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.Column("owners", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("workshop_id", "theme", "hotspot", name="pk_workshop_outcomes"),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name="fk_workshop_outcomes_workshop_id_workshops",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("workshop_outcomes")
    op.drop_table("workshops")
