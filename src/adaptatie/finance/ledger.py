"""The ledger: measures and allocations in a SQL database, every change audited.

Every public method that writes runs in one transaction: the rule check, the change and its audit
entries are committed together or not at all. Hard rule violations raise
:class:`RuleViolationError` before anything is written; soft ones come back as ``warnings``.
Optimistic locking: :meth:`Ledger.update` and :meth:`Ledger.delete` take the version the user
loaded; when the stored version differs they raise :class:`ConflictError`.

Gemeente and kassier are stored as CBS writes them when the ledger has a name table
(:mod:`adaptatie.finance.places`; ``names`` of :meth:`Ledger.open`): an unknown or ambiguous name
is a hard violation like the rules', and every changed text comes back as a note.

Concurrency: on PostgreSQL the allocation rows of the werkregio's a change touches are locked
(``SELECT ... FOR UPDATE``) so two users cannot together exceed an allocation; on SQLite write
transactions start with ``BEGIN IMMEDIATE`` (one writer at a time).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from adaptatie.db import orm
from adaptatie.db.engine import make_engine, migrate, serialize
from adaptatie.db.errors import ConflictError
from adaptatie.db.session import reading, writing
from adaptatie.finance import audit, ledger_rows
from adaptatie.finance.allocation_rules import (
    check_all,
    check_werkregio,
    duplicate_violations,
    evaluate_change,
)
from adaptatie.finance.allocations_file import allocations_file, read_allocations
from adaptatie.finance.errors import MeasureNotFoundError, RuleViolationError
from adaptatie.finance.places import Placement, place_measure, without_repeats
from adaptatie.finance.records import (
    Allocation,
    AllocationBasis,
    AuditEntry,
    ImportResult,
    Measure,
    SaveResult,
)
from adaptatie.finance.rules import Verdict, Violation
from adaptatie.finance.totals import WerkregioTotals, summarise
from adaptatie.finance.werkregios import WerkregioIndex
from adaptatie.regions.names import NameTable

SYSTEM_USER = "systeem"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Ledger:
    """Measures, allocations and the audit log over a SQLAlchemy engine.

    Use :meth:`open` to connect, migrate and seed; the constructor takes an engine whose schema
    is already at the newest revision. ``names`` (from
    :meth:`adaptatie.regions.atlas.Atlas.names`, or a function that returns it, called at the
    first save or import) resolves gemeente and kassier on every save and import; without it they
    are stored as written (cleaned of extra spaces).
    """

    def __init__(
        self,
        engine: Engine,
        werkregios: WerkregioIndex,
        clock: Callable[[], dt.datetime] = _utc_now,
        names: NameTable | Callable[[], NameTable] | None = None,
    ) -> None:
        self._engine = engine
        self.werkregios = werkregios
        self._clock = clock
        self._names = names

    # -- lifecycle ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        regions_file: str | Path | None = None,
        allocations_path: str | Path | None = None,
        clock: Callable[[], dt.datetime] = _utc_now,
        names: NameTable | Callable[[], NameTable] | None = None,
    ) -> Ledger:
        """Connect to ``url`` (see :func:`adaptatie.db.engine.database_url`), upgrade the schema
        to the newest revision and add the allocations of werkregio's not stored yet (from
        ``geodata/allocations.toml``)."""
        werkregios = WerkregioIndex.load(regions_file)
        engine = make_engine(url)
        try:
            migrate(engine)
            ledger = cls(engine, werkregios, clock, names)
            ledger._seed(read_allocations(allocations_file(allocations_path), werkregios))
        except BaseException:
            engine.dispose()
            raise
        return ledger

    @property
    def names(self) -> NameTable | None:
        """The CBS names that resolve gemeente and kassier (``None``: stored as written)."""
        if callable(self._names):
            self._names = self._names()
        return self._names

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._engine.dialect.name

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------------

    def allocations(self) -> dict[str, Allocation]:
        """All allocations, in the order of ``geodata/regions.toml``."""
        with self._read() as s:
            return self._allocations(s)

    def measures(self, werkregio: str | None = None) -> list[Measure]:
        """All measures (of one werkregio), ordered by werkregio and id."""
        with self._read() as s:
            query = select(orm.Measure).order_by(orm.Measure.werkregio, orm.Measure.id)
            if werkregio is not None:
                query = query.where(orm.Measure.werkregio == werkregio)
            return [orm.to_measure(r) for r in s.scalars(query)]

    def get(self, measure_id: str) -> Measure:
        """One measure; :class:`MeasureNotFoundError` when it does not exist."""
        with self._read() as s:
            row = s.get(orm.Measure, measure_id)
            if row is None:
                raise MeasureNotFoundError(
                    f"Maatregel {measure_id} bestaat niet. Oplossing: kies een maatregel uit de "
                    "lijst of controleer de id."
                )
            return orm.to_measure(row)

    def audit(
        self,
        measure_id: str | None = None,
        *,
        werkregio: str | None = None,
        limit: int | None = None,
    ) -> list[AuditEntry]:
        """Audit entries, newest first (optionally of one measure or werkregio)."""
        with self._read() as s:
            query = select(orm.AuditEntry).order_by(
                orm.AuditEntry.at.desc(), orm.AuditEntry.id.desc()
            )
            if measure_id is not None:
                query = query.where(orm.AuditEntry.measure_id == measure_id)
            if werkregio is not None:
                query = query.where(orm.AuditEntry.werkregio == werkregio)
            if limit is not None:
                query = query.limit(limit)
            return [orm.to_audit(r) for r in s.scalars(query)]

    def violations(self) -> list[Violation]:
        """Every hard and soft violation of everything stored."""
        return check_all(self.measures(), self.allocations())

    def totals(self) -> list[WerkregioTotals]:
        """Money per werkregio (definitions in :mod:`adaptatie.finance.totals`)."""
        with self._read() as s:
            allocations = self._allocations(s)
            measures = [orm.to_measure(r) for r in s.scalars(select(orm.Measure))]
        return summarise(measures, allocations, check_all(measures, allocations))

    # -- writing -----------------------------------------------------------------------------

    def add(self, measure: Measure, *, user: str) -> SaveResult:
        """Store a new measure (version 1)."""
        placed = self._place(measure)
        new = placed.measure
        who = ledger_rows.user_name(user)
        with self._write() as s:
            allocations = self._lock(s, {new.werkregio})
            before = self._measures_in(s, {new.werkregio})
            stored = {new.id: orm.to_measure(r)} if (r := s.get(orm.Measure, new.id)) else {}
            verdict = self._verdict(before, [*before, new], {new.id}, allocations, [placed])
            blocking = duplicate_violations([new], stored) + verdict.blocking
            if blocking:
                raise RuleViolationError(blocking)
            row = ledger_rows.insert_measure(s, new, who, self._clock())
            ledger_rows.audit_measure(s, self._clock(), "create", None, new, who)
            s.flush()
            return SaveResult(orm.to_measure(row), verdict.warnings, list(placed.notes))

    def update(self, measure: Measure, expected_version: int, *, user: str) -> SaveResult:
        """Store a changed measure if nobody changed it since ``expected_version`` was loaded.

        Nothing is written (and the version stays) when no field changed.
        """
        placed = self._place(measure)
        new = placed.measure
        who = ledger_rows.user_name(user)
        try:
            with self._write() as s:
                row = ledger_rows.row_for_change(s, new.id, expected_version)
                old = orm.to_measure(row)
                allocations = self._lock(s, {old.werkregio, new.werkregio})
                before = self._measures_in(s, {old.werkregio, new.werkregio})
                after = [new if m.id == new.id else m for m in before]
                verdict = self._verdict(before, after, {new.id}, allocations, [placed])
                if verdict.blocking:
                    raise RuleViolationError(verdict.blocking)
                warnings, notes = verdict.warnings, list(placed.notes)
                if not audit.diff(old, new):
                    return SaveResult(old, warnings, notes)
                orm.fill_measure(row, new)
                row.updated_at, row.updated_by = self._clock(), who
                ledger_rows.audit_measure(s, self._clock(), "update", old, new, who)
                s.flush()
                return SaveResult(orm.to_measure(row), warnings, notes)
        except StaleDataError:
            raise self._conflict(new.id, expected_version) from None

    def delete(self, measure_id: str, expected_version: int, *, user: str) -> None:
        """Remove a measure; the audit log keeps every value it had."""
        who = ledger_rows.user_name(user)
        try:
            with self._write() as s:
                row = ledger_rows.row_for_change(s, measure_id, expected_version)
                old = orm.to_measure(row)
                ledger_rows.audit_measure(s, self._clock(), "delete", old, None, who)
                s.delete(row)
                s.flush()
        except StaleDataError:
            raise self._conflict(measure_id, expected_version) from None

    def import_measures(
        self, measures: Sequence[Measure], *, user: str, note: str = ""
    ) -> ImportResult:
        """Add many new measures at once: all are stored, or none.

        The rules are applied to the imported measures together with the stored ones; ids that
        exist already or repeat are hard violations (ID_BESTAAT_AL, ID_DUBBEL).
        """
        placements = [self._place(m) for m in measures]
        new = [p.measure for p in placements]
        who = ledger_rows.user_name(user)
        ids = {m.id for m in new}
        with self._write() as s:
            touched = {m.werkregio for m in new}
            allocations = self._lock(s, touched)
            before = self._measures_in(s, touched)
            stored = {
                r.id: orm.to_measure(r)
                for r in s.scalars(select(orm.Measure).where(orm.Measure.id.in_(ids)))
            }
            verdict = self._verdict(before, [*before, *new], ids, allocations, placements)
            blocking = duplicate_violations(new, stored) + verdict.blocking
            if blocking:
                raise RuleViolationError(
                    blocking,
                    "Niet ingelezen: de maatregelen breken de regels van de "
                    "Impulsregeling; er is niets opgeslagen.",
                )
            rows = []
            for m in new:
                rows.append(ledger_rows.insert_measure(s, m, who, self._clock()))
                ledger_rows.audit_measure(s, self._clock(), "import", None, m, who, note)
            s.flush()
            return ImportResult(
                [orm.to_measure(r) for r in rows],
                verdict.warnings,
                [note for p in placements for note in p.notes],
            )

    def set_allocation(
        self,
        werkregio: str,
        *,
        max_rijk_cents: int | None,
        basis: AllocationBasis,
        source: str,
        date: str = "",
        note: str = "",
        user: str,
    ) -> list[Violation]:
        """Change the allocation of a werkregio (audited); returns the werkregio's violations.

        Lowering an allocation below what is planned is allowed (the data must follow the
        decision); the resulting TOEWIJZING_OVERSCHREDEN is returned and shown in the summary.
        """
        who = ledger_rows.user_name(user)
        ledger_rows.check_allocation_amount(werkregio, max_rijk_cents, basis)
        with self._write() as s:
            allocations = self._lock(s, {werkregio})
            if werkregio not in allocations:
                raise ledger_rows.unknown_werkregio(werkregio, self._allocations(s))
            old = allocations[werkregio]
            new = dataclasses.replace(
                old,
                max_rijk_cents=max_rijk_cents,
                basis=basis,
                source=source.strip(),
                date=date.strip(),
                note=note.strip(),
            )
            row = s.get(orm.Allocation, werkregio)
            assert row is not None
            ledger_rows.write_allocation(s, row, old, new, who, "", self._clock())
            return check_werkregio(werkregio, self._measures_in(s, {werkregio}), new)

    # -- internals ---------------------------------------------------------------------------

    def _place(self, measure: Measure) -> Placement:
        """The cleaned measure with gemeente and kassier as CBS writes them."""
        return place_measure(ledger_rows.clean_measure(measure), self.names)

    @staticmethod
    def _verdict(
        before: Sequence[Measure],
        after: Sequence[Measure],
        changed: set[str],
        allocations: dict[str, Allocation],
        placements: Sequence[Placement],
    ) -> Verdict:
        """The rules on the change, together with what resolving gemeente and kassier found."""
        verdict = evaluate_change(before, after, changed, allocations)
        found = [v for p in placements for v in p.violations]
        return Verdict(
            [v for v in found if v.hard] + without_repeats(verdict.blocking, placements),
            [v for v in found if not v.hard] + without_repeats(verdict.warnings, placements),
        )

    def _read(self) -> AbstractContextManager[Session]:
        return reading(self._engine)

    def _write(self) -> AbstractContextManager[Session]:
        return writing(self._engine)

    def _allocations(self, s: Session) -> dict[str, Allocation]:
        order = {w: i for i, w in enumerate(self.werkregios.ids)}
        rows = sorted(
            s.scalars(select(orm.Allocation)),
            key=lambda r: (order.get(r.werkregio, len(order)), r.werkregio),
        )
        return {r.werkregio: orm.to_allocation(r) for r in rows}

    def _lock(self, s: Session, werkregios: Iterable[str]) -> dict[str, Allocation]:
        """Lock the allocation rows of ``werkregios`` (PostgreSQL) and return all allocations."""
        wanted = sorted(set(werkregios))
        if wanted and self.backend == "postgresql":
            s.execute(
                select(orm.Allocation.werkregio)
                .where(orm.Allocation.werkregio.in_(wanted))
                .order_by(orm.Allocation.werkregio)
                .with_for_update()
            ).all()
        return self._allocations(s)

    def _measures_in(self, s: Session, werkregios: Iterable[str]) -> list[Measure]:
        query = select(orm.Measure).where(orm.Measure.werkregio.in_(sorted(set(werkregios))))
        return [orm.to_measure(r) for r in s.scalars(query.order_by(orm.Measure.id))]

    def _conflict(self, measure_id: str, expected: int) -> ConflictError:
        with self._read() as s:
            return ledger_rows.conflict_error(measure_id, expected, s.get(orm.Measure, measure_id))

    def _seed(self, allocations: Sequence[Allocation]) -> None:
        with self._read() as s:
            stored = {r.werkregio for r in s.scalars(select(orm.Allocation))}
        if all(a.werkregio in stored for a in allocations):
            return
        with self._write() as s:
            serialize(s.connection())  # two first opens at once seed once
            ledger_rows.seed_allocations(s, allocations, SYSTEM_USER, self._clock())
