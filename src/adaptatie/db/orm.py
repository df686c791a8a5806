"""SQLAlchemy 2.0 models of the ledger (the schema itself is created by the Alembic migrations).

Money columns are ``BigInteger`` euro cents. Times are stored in UTC; :class:`UTCDateTime` gives
back aware datetimes on every backend (SQLite keeps no time zone). Themes are stored as a sorted,
comma-separated text (``droogte,wateroverlast``). ``Measure.version`` is SQLAlchemy's
``version_id_col``: every UPDATE checks and increments it (optimistic locking).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from adaptatie.finance import records

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
STATUS_VALUES = tuple(s.value for s in records.Status)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use an aware UTC datetime")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Allocation(Base):
    """Maximum Rijk contribution of a werkregio (``max_rijk_cents`` NULL when unknown)."""

    __tablename__ = "allocations"
    __table_args__ = (
        CheckConstraint("max_rijk_cents IS NULL OR max_rijk_cents >= 0", name="max_rijk"),
        CheckConstraint("basis IN ('maximum', 'geclaimd', 'onbekend')", name="basis"),
    )

    werkregio: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    max_rijk_cents: Mapped[int | None] = mapped_column(BigInteger)
    basis: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[str] = mapped_column(String(10), default="")  # ISO, partial allowed (2021-09)
    note: Mapped[str] = mapped_column(Text, default="")


class Measure(Base):
    """An adaptation measure (see :class:`adaptatie.finance.records.Measure`)."""

    __tablename__ = "measures"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in STATUS_VALUES) + ")", name="status"
        ),
        CheckConstraint("total_cost_cents IS NULL OR total_cost_cents >= 0", name="total_cost"),
        CheckConstraint(
            "eligible_cost_cents IS NULL OR eligible_cost_cents >= 0", name="eligible_cost"
        ),
        CheckConstraint(
            "rijk_contribution_cents IS NULL OR rijk_contribution_cents >= 0",
            name="rijk_contribution",
        ),
        CheckConstraint("version >= 1", name="version"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    werkregio: Mapped[str] = mapped_column(
        String(20), ForeignKey("allocations.werkregio"), index=True
    )
    gemeente: Mapped[str] = mapped_column(String(200), default="")
    themes: Mapped[str] = mapped_column(String(100))
    location_wkt: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    round: Mapped[int | None] = mapped_column(Integer)
    total_cost_cents: Mapped[int | None] = mapped_column(BigInteger)
    eligible_cost_cents: Mapped[int | None] = mapped_column(BigInteger)
    rijk_contribution_cents: Mapped[int | None] = mapped_column(BigInteger)
    kassier: Mapped[str] = mapped_column(String(200), default="")
    completion_date: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(200))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AuditEntry(Base):
    """One changed field. ``measure_id`` has no foreign key: entries outlive deleted measures."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        CheckConstraint(
            "action IN (" + ", ".join(f"'{a}'" for a in records.ACTIONS) + ")", name="action"
        ),
        Index("ix_audit_entries_measure_id_at", "measure_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    user: Mapped[str] = mapped_column("user_name", String(200))
    action: Mapped[str] = mapped_column(String(20))
    measure_id: Mapped[str | None] = mapped_column(String(40))
    werkregio: Mapped[str | None] = mapped_column(String(20))
    field: Mapped[str] = mapped_column(String(50))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")


def to_measure(row: Measure) -> records.Measure:
    """A stored row as a plain record."""
    return records.Measure(
        id=row.id,
        name=row.name,
        werkregio=row.werkregio,
        status=records.Status(row.status),
        themes=frozenset(records.ClimateTheme(t) for t in row.themes.split(",") if t),
        gemeente=row.gemeente,
        description=row.description,
        round=row.round,
        total_cost_cents=row.total_cost_cents,
        eligible_cost_cents=row.eligible_cost_cents,
        rijk_contribution_cents=row.rijk_contribution_cents,
        kassier=row.kassier,
        completion_date=row.completion_date,
        location_wkt=row.location_wkt,
        version=row.version,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def fill_measure(row: Measure, measure: records.Measure) -> None:
    """Copy the editable fields of a record onto a row (not id, version or timestamps)."""
    row.name = measure.name
    row.werkregio = measure.werkregio
    row.status = measure.status.value
    row.themes = ",".join(sorted(t.value for t in measure.themes))
    row.gemeente = measure.gemeente
    row.description = measure.description
    row.round = measure.round
    row.total_cost_cents = measure.total_cost_cents
    row.eligible_cost_cents = measure.eligible_cost_cents
    row.rijk_contribution_cents = measure.rijk_contribution_cents
    row.kassier = measure.kassier
    row.completion_date = measure.completion_date
    row.location_wkt = measure.location_wkt or None


def to_allocation(row: Allocation) -> records.Allocation:
    return records.Allocation(
        werkregio=row.werkregio,
        name=row.name,
        max_rijk_cents=row.max_rijk_cents,
        basis=records.AllocationBasis(row.basis),
        source=row.source,
        date=row.date,
        note=row.note,
    )


def to_audit(row: AuditEntry) -> records.AuditEntry:
    return records.AuditEntry(
        id=row.id,
        at=row.at,
        user=row.user,
        action=row.action,
        measure_id=row.measure_id,
        werkregio=row.werkregio,
        field=row.field,
        old=row.old_value,
        new=row.new_value,
        note=row.note,
    )


class DpraProgress(Base):
    """DPRA steps of one municipality or werkregio (see :mod:`adaptatie.progress.book`)."""

    __tablename__ = "dpra_progress"

    region_kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    stress_test_round: Mapped[int | None] = mapped_column(Integer)
    stress_test_year: Mapped[int | None] = mapped_column(Integer)
    risk_dialogue_date: Mapped[dt.date | None] = mapped_column(Date)
    strategy_date: Mapped[dt.date | None] = mapped_column(Date)
    agenda_date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(200))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - optimistic locking


class DpraHistory(Base):
    """One changed field of a DPRA progress record."""

    __tablename__ = "dpra_history"
    __table_args__ = (Index("ix_dpra_history_region", "region_kind", "region_code", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    user: Mapped[str] = mapped_column("user_name", String(200))
    region_kind: Mapped[str] = mapped_column(String(20))
    region_code: Mapped[str] = mapped_column(String(20))
    field: Mapped[str] = mapped_column(String(50))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class Workshop(Base):
    """A risk dialogue (see :mod:`adaptatie.dialogue.workshops`)."""

    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    region_kind: Mapped[str] = mapped_column(String(30))
    region_code: Mapped[str] = mapped_column(String(20))
    region_name: Mapped[str] = mapped_column(String(200))
    boundary_year: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    participants: Mapped[str] = mapped_column(Text)
    themes: Mapped[str] = mapped_column(String(200))
    current_step: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    dialogue_round: Mapped[int] = mapped_column(Integer, default=1)  # migration 0005


class WorkshopOutcome(Base):
    """What the group decided for one theme (``hotspot`` empty) or one hotspot of a theme."""

    __tablename__ = "workshop_outcomes"

    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True
    )
    theme: Mapped[str] = mapped_column(String(30), primary_key=True)
    hotspot: Mapped[str] = mapped_column(String(200), primary_key=True)
    acceptable: Mapped[str] = mapped_column(String(20), default="")
    priority: Mapped[str] = mapped_column(String(20), default="")
    meekoppelkansen: Mapped[str] = mapped_column(Text, default="")
    actions: Mapped[str] = mapped_column(Text, default="")
    owners: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(200))
    # risk register (migration 0005)
    owner_kind: Mapped[str] = mapped_column(String(40), default="")
    decision_date: Mapped[dt.date | None] = mapped_column(Date)
    hotspot_ref: Mapped[str] = mapped_column(String(200), default="")
    hotspot_wkt: Mapped[str | None] = mapped_column(Text)


class WorkshopHistory(Base):
    """A removed risk-dialogue outcome with every value it had (migration 0006).

    ``workshop_id`` has no foreign key: the entries outlive the outcome (and the workshop).
    """

    __tablename__ = "workshop_history"
    __table_args__ = (Index("ix_workshop_history_workshop", "workshop_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    user: Mapped[str] = mapped_column("user_name", String(200))
    workshop_id: Mapped[int] = mapped_column(Integer)
    theme: Mapped[str] = mapped_column(String(30))
    hotspot: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))
    old_values: Mapped[str] = mapped_column(Text)  # JSON: every field of the removed outcome


def full_metadata() -> MetaData:
    """The metadata of every table, including those whose models live outside this module
    (accounts): what Alembic and schema checks must compare the database with."""
    import adaptatie.accounts.models  # noqa: F401  (registers its tables on Base)

    return Base.metadata
