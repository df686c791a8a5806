"""The rows the ledger writes: measures, allocations and their audit entries, checked first.

:class:`adaptatie.finance.ledger.Ledger` calls these inside its write transactions; every change
of a field becomes one :class:`~adaptatie.db.orm.AuditEntry` (old and new value as JSON text).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from adaptatie.db import orm
from adaptatie.db.errors import ConflictError
from adaptatie.finance import audit
from adaptatie.finance.errors import LedgerError, MeasureNotFoundError
from adaptatie.finance.money import format_euros
from adaptatie.finance.records import Allocation, AllocationBasis, ClimateTheme, Measure, Status


def insert_measure(s: Session, m: Measure, who: str, now: dt.datetime) -> orm.Measure:
    """A new measure row (version 1 once flushed)."""
    row = orm.Measure(id=m.id, created_at=now, created_by=who, updated_at=now, updated_by=who)
    orm.fill_measure(row, m)
    s.add(row)
    return row


def add_audit(
    s: Session,
    now: dt.datetime,
    who: str,
    action: str,
    measure_id: str | None,
    werkregio: str,
    changes: Sequence[tuple[str, str | None, str | None]],
    note: str = "",
) -> None:
    """One audit entry per changed field ``(field, old, new)``."""
    for column, before, after in changes:
        s.add(
            orm.AuditEntry(
                at=now,
                user=who,
                action=action,
                measure_id=measure_id,
                werkregio=werkregio,
                field=column,
                old_value=before,
                new_value=after,
                note=note,
            )
        )


def audit_measure(
    s: Session,
    now: dt.datetime,
    action: str,
    old: Measure | None,
    new: Measure | None,
    who: str,
    note: str = "",
) -> None:
    """Audit a created (``old`` None), changed or deleted (``new`` None) measure."""
    current = new or old
    assert current is not None
    changes = audit.diff(old, new)
    add_audit(s, now, who, action, current.id, current.werkregio, changes, note)


def row_for_change(s: Session, measure_id: str, expected: int) -> orm.Measure:
    """The stored row of ``measure_id`` if it is still at version ``expected``."""
    row = s.get(orm.Measure, measure_id)
    if row is None:
        deleted = s.scalars(
            select(orm.AuditEntry)
            .where(orm.AuditEntry.measure_id == measure_id)
            .where(orm.AuditEntry.action == "delete")
            .order_by(orm.AuditEntry.at.desc())
            .limit(1)
        ).first()
        if deleted is not None:
            raise ConflictError(
                f"Maatregel {measure_id} is intussen verwijderd door {deleted.user} op "
                f"{audit.format_time(deleted.at)}. Uw wijziging is niet opgeslagen. "
                "Oplossing: laad de lijst opnieuw; voeg de maatregel zo nodig opnieuw toe.",
                measure_id,
                None,
            )
        raise MeasureNotFoundError(
            f"Maatregel {measure_id} bestaat niet. Oplossing: laad de lijst opnieuw."
        )
    if row.version != expected:
        raise conflict_error(measure_id, expected, row)
    return row


def write_allocation(
    s: Session,
    row: orm.Allocation | None,
    old: Allocation | None,
    new: Allocation,
    who: str,
    note: str,
    now: dt.datetime,
) -> None:
    """Store ``new`` (in ``row``, or a new row) and audit what changed since ``old``."""
    if row is None:
        row = orm.Allocation(werkregio=new.werkregio)
        s.add(row)
    row.name, row.max_rijk_cents, row.basis = new.name, new.max_rijk_cents, new.basis.value
    row.source, row.date, row.note = new.source, new.date, new.note
    add_audit(s, now, who, "allocation", None, new.werkregio, allocation_diff(old, new), note)


def clean_measure(measure: Measure) -> Measure:
    """Trim texts, check types; raises a Dutch :class:`LedgerError` for wrongly typed values."""
    m = measure
    for name in ("total_cost_cents", "eligible_cost_cents", "rijk_contribution_cents", "round"):
        value = getattr(m, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise LedgerError(
                f"Maatregel {m.id}: {name} moet een geheel getal zijn (bedragen in centen), "
                f"niet {value!r}. Oplossing: rond af op hele centen."
            )
    if m.completion_date is not None and (
        isinstance(m.completion_date, dt.datetime) or not isinstance(m.completion_date, dt.date)
    ):
        raise LedgerError(f"Maatregel {m.id}: gereed-datum {m.completion_date!r} is geen datum.")
    try:
        status = Status(m.status)
        themes = frozenset(ClimateTheme(t) for t in m.themes)
    except ValueError as exc:
        raise LedgerError(
            f"Maatregel {m.id}: {exc}. Oplossing: kies een status uit "
            f"{', '.join(s.value for s in Status)} en thema's uit "
            f"{', '.join(t.value for t in ClimateTheme)}."
        ) from exc
    wkt = (m.location_wkt or "").strip() or None
    return dataclasses.replace(
        m,
        id=m.id.strip(),
        name=" ".join(m.name.split()),
        werkregio=m.werkregio.strip(),
        gemeente=" ".join(m.gemeente.split()),
        description=m.description.strip(),
        kassier=" ".join(m.kassier.split()),
        status=status,
        themes=themes,
        location_wkt=wkt,
    )


def unknown_werkregio(werkregio: str, allocations: Mapping[str, Allocation]) -> LedgerError:
    return LedgerError(
        f"Werkregio '{werkregio}' is onbekend. Oplossing: kies een van: "
        f"{', '.join(allocations_label(allocations))}."
    )


def allocations_label(allocations: Mapping[str, Allocation]) -> list[str]:
    return [a.label for a in allocations.values()]


def allocation_diff(
    old: Allocation | None, new: Allocation
) -> list[tuple[str, str | None, str | None]]:
    def values(a: Allocation | None) -> dict[str, str | None]:
        if a is None:
            return dict.fromkeys(("max_rijk", "basis", "bron", "datum", "toelichting"))
        return {
            "max_rijk": None if a.max_rijk_cents is None else json.dumps(a.max_rijk_cents),
            "basis": json.dumps(a.basis.value),
            "bron": json.dumps(a.source, ensure_ascii=False) if a.source else None,
            "datum": json.dumps(a.date) if a.date else None,
            "toelichting": json.dumps(a.note, ensure_ascii=False) if a.note else None,
        }

    before, after = values(old), values(new)
    return [(k, before[k], after[k]) for k in after if before[k] != after[k]]


def conflict_error(measure_id: str, expected: int, row: orm.Measure | None) -> ConflictError:
    """Why a save of version ``expected`` lost: the stored ``row`` changed, or is gone."""
    if row is None:
        return ConflictError(
            f"Maatregel {measure_id} is intussen verwijderd. Uw wijziging is niet opgeslagen. "
            "Oplossing: laad de lijst opnieuw.",
            measure_id,
            None,
        )
    return ConflictError(
        f"Maatregel {measure_id} is intussen gewijzigd door {row.updated_by} op "
        f"{audit.format_time(row.updated_at)} (opgeslagen versie {row.version}, u bewerkte "
        f"versie {expected}). Uw wijziging is niet opgeslagen. Oplossing: laad de maatregel "
        "opnieuw, bekijk wat er veranderd is en voer uw wijziging opnieuw uit.",
        measure_id,
        row.version,
    )


def seed_allocations(
    s: Session, allocations: Sequence[Allocation], who: str, now: dt.datetime
) -> None:
    """Store the allocations of werkregio's the database does not have yet (a first start)."""
    stored = {r.werkregio for r in s.scalars(select(orm.Allocation))}
    for allocation in allocations:
        if allocation.werkregio not in stored:
            note = "eerste start: overgenomen uit geodata/allocations.toml"
            write_allocation(s, None, None, allocation, who, note, now)


def user_name(user: str) -> str:
    who = " ".join(user.split())
    if not who:
        raise LedgerError(
            "Er is geen gebruikersnaam opgegeven. Oplossing: vul uw naam in; elke wijziging "
            "wordt met naam en tijd vastgelegd."
        )
    return who


def check_allocation_amount(
    werkregio: str, max_rijk_cents: int | None, basis: AllocationBasis
) -> None:
    """An amount of zero or more with maximum or geclaimd, no amount with onbekend."""
    if (max_rijk_cents is None) != (basis is AllocationBasis.ONBEKEND) or (
        max_rijk_cents is not None and max_rijk_cents < 0
    ):
        raise LedgerError(
            f"Toewijzing {werkregio}: bedrag {format_euros(max_rijk_cents)} past niet bij "
            f"basis '{basis.value}'. Oplossing: geef een bedrag van nul of meer bij maximum "
            "of geclaimd, en geen bedrag bij onbekend."
        )
