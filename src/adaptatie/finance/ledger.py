"""The ledger: measures and allocations in a SQL database, every change audited.

Every public method that writes runs in one transaction: the rule check, the change and its audit
entries are committed together or not at all. Hard rule violations raise
:class:`RuleViolationError` before anything is written; soft ones come back as ``warnings``.
Optimistic locking: :meth:`Ledger.update` and :meth:`Ledger.delete` take the version the user
loaded; when the stored version differs they raise :class:`ConflictError`.

Concurrency: on PostgreSQL the allocation rows of the werkregio's a change touches are locked
(``SELECT ... FOR UPDATE``) so two users cannot together exceed an allocation; on SQLite write
transactions start with ``BEGIN IMMEDIATE`` (one writer at a time).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from adaptatie.db import orm
from adaptatie.db.engine import make_engine, migrate, serialize
from adaptatie.finance import audit
from adaptatie.finance.allocations_file import allocations_file, read_allocations
from adaptatie.finance.errors import (
    ConflictError,
    DatabaseError,
    LedgerError,
    MeasureNotFoundError,
    RuleViolationError,
)
from adaptatie.finance.money import format_euros
from adaptatie.finance.records import (
    Allocation,
    AllocationBasis,
    AuditEntry,
    Measure,
    Status,
    Theme,
)
from adaptatie.finance.rules import (
    Violation,
    check_all,
    check_werkregio,
    duplicate_violations,
    evaluate_change,
)
from adaptatie.finance.summary import WerkregioSummary, summarise
from adaptatie.finance.werkregios import WerkregioIndex

SYSTEM_USER = "systeem"


@dataclass(frozen=True)
class SaveResult:
    """The measure as stored (with its new version) and the warnings (soft violations)."""

    measure: Measure
    warnings: list[Violation] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    """The measures stored by one import and the warnings."""

    measures: list[Measure]
    warnings: list[Violation] = field(default_factory=list)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Ledger:
    """Measures, allocations and the audit log over a SQLAlchemy engine.

    Use :meth:`open` to connect, migrate and seed; the constructor takes an engine whose schema
    is already at the newest revision.
    """

    def __init__(
        self,
        engine: Engine,
        werkregios: WerkregioIndex,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self._engine = engine
        self._writer = engine.execution_options(write=True)
        self.werkregios = werkregios
        self._clock = clock

    # -- lifecycle ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        regions_file: str | Path | None = None,
        allocations_path: str | Path | None = None,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> Ledger:
        """Connect to ``url`` (see :func:`adaptatie.db.engine.database_url`), upgrade the schema
        to the newest revision and add the allocations of werkregio's not stored yet (from
        ``geodata/allocations.toml``)."""
        werkregios = WerkregioIndex.load(regions_file)
        engine = make_engine(url)
        try:
            migrate(engine)
            ledger = cls(engine, werkregios, clock)
            ledger._seed(read_allocations(allocations_file(allocations_path), werkregios))
        except BaseException:
            engine.dispose()
            raise
        return ledger

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

    def summary(self) -> list[WerkregioSummary]:
        """Money per werkregio (definitions in :mod:`adaptatie.finance.summary`)."""
        with self._read() as s:
            allocations = self._allocations(s)
            measures = [orm.to_measure(r) for r in s.scalars(select(orm.Measure))]
        return summarise(measures, allocations, check_all(measures, allocations))

    # -- writing -----------------------------------------------------------------------------

    def add(self, measure: Measure, *, user: str) -> SaveResult:
        """Store a new measure (version 1)."""
        new = clean_measure(measure)
        who = _user(user)
        with self._write() as s:
            allocations = self._lock(s, {new.werkregio})
            before = self._measures_in(s, {new.werkregio})
            stored = {new.id: orm.to_measure(r)} if (r := s.get(orm.Measure, new.id)) else {}
            verdict = evaluate_change(before, [*before, new], {new.id}, allocations)
            blocking = duplicate_violations([new], stored) + verdict.blocking
            if blocking:
                raise RuleViolationError(blocking)
            row = self._insert(s, new, who)
            self._audit_measure(s, "create", None, new, who)
            s.flush()
            return SaveResult(orm.to_measure(row), verdict.warnings)

    def update(self, measure: Measure, expected_version: int, *, user: str) -> SaveResult:
        """Store a changed measure if nobody changed it since ``expected_version`` was loaded.

        Nothing is written (and the version stays) when no field changed.
        """
        new = clean_measure(measure)
        who = _user(user)
        try:
            with self._write() as s:
                row = self._row_for_change(s, new.id, expected_version)
                old = orm.to_measure(row)
                allocations = self._lock(s, {old.werkregio, new.werkregio})
                before = self._measures_in(s, {old.werkregio, new.werkregio})
                after = [new if m.id == new.id else m for m in before]
                verdict = evaluate_change(before, after, {new.id}, allocations)
                if verdict.blocking:
                    raise RuleViolationError(verdict.blocking)
                if not audit.diff(old, new):
                    return SaveResult(old, verdict.warnings)
                orm.fill_measure(row, new)
                row.updated_at, row.updated_by = self._clock(), who
                self._audit_measure(s, "update", old, new, who)
                s.flush()
                return SaveResult(orm.to_measure(row), verdict.warnings)
        except StaleDataError:
            raise self._conflict(new.id, expected_version) from None

    def delete(self, measure_id: str, expected_version: int, *, user: str) -> None:
        """Remove a measure; the audit log keeps every value it had."""
        who = _user(user)
        try:
            with self._write() as s:
                row = self._row_for_change(s, measure_id, expected_version)
                old = orm.to_measure(row)
                self._audit_measure(s, "delete", old, None, who)
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
        new = [clean_measure(m) for m in measures]
        who = _user(user)
        ids = {m.id for m in new}
        with self._write() as s:
            touched = {m.werkregio for m in new}
            allocations = self._lock(s, touched)
            before = self._measures_in(s, touched)
            stored = {
                r.id: orm.to_measure(r)
                for r in s.scalars(select(orm.Measure).where(orm.Measure.id.in_(ids)))
            }
            verdict = evaluate_change(before, [*before, *new], ids, allocations)
            blocking = duplicate_violations(new, stored) + verdict.blocking
            if blocking:
                raise RuleViolationError(
                    blocking,
                    "Niet ingelezen: de maatregelen breken de regels van de "
                    "Impulsregeling; er is niets opgeslagen.",
                )
            rows = []
            for m in new:
                rows.append(self._insert(s, m, who))
                self._audit_measure(s, "import", None, m, who, note)
            s.flush()
            return ImportResult([orm.to_measure(r) for r in rows], verdict.warnings)

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
        who = _user(user)
        if (max_rijk_cents is None) != (basis is AllocationBasis.ONBEKEND) or (
            max_rijk_cents is not None and max_rijk_cents < 0
        ):
            raise LedgerError(
                f"Toewijzing {werkregio}: bedrag {format_euros(max_rijk_cents)} past niet bij "
                f"basis '{basis.value}'. Oplossing: geef een bedrag van nul of meer bij maximum "
                "of geclaimd, en geen bedrag bij onbekend."
            )
        with self._write() as s:
            allocations = self._lock(s, {werkregio})
            if werkregio not in allocations:
                raise LedgerError(
                    f"Werkregio '{werkregio}' is onbekend. Oplossing: kies een van: "
                    f"{', '.join(allocations_label(self._allocations(s)))}."
                )
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
            self._write_allocation(s, row, old, new, who, "")
            return check_werkregio(werkregio, self._measures_in(s, {werkregio}), new)

    def backup(self, target: str | Path, *, as_json: bool | None = None) -> Path:
        """Copy the database to ``target`` (which must not exist yet).

        SQLite: a consistent copy with the sqlite3 online backup API (the copy is itself a
        ledger database). PostgreSQL (or ``as_json=True``): a JSON dump of all tables, restorable
        with :func:`adaptatie.db.backup.restore_json`.
        """
        from adaptatie.db.backup import backup_sqlite, dump_json

        path = Path(target)
        use_json = self.backend != "sqlite" if as_json is None else as_json
        if not use_json and self.backend != "sqlite":
            raise LedgerError(
                "Een bestandskopie kan alleen van een SQLite-database. Oplossing: maak een "
                "JSON-dump (standaard voor PostgreSQL) of gebruik pg_dump."
            )
        return dump_json(self._engine, path) if use_json else backup_sqlite(self._engine, path)

    # -- internals ---------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Session]:
        try:
            with Session(self._engine) as s, s.begin():
                yield s
        except SQLAlchemyError as exc:
            raise _db_error(exc) from exc

    @contextmanager
    def _write(self) -> Iterator[Session]:
        try:
            with Session(self._writer, autoflush=False) as s, s.begin():
                yield s
        except (StaleDataError, LedgerError):
            raise
        except IntegrityError as exc:
            raise DatabaseError(
                "De database weigerde de wijziging (integriteitsregel: "
                f"{str(exc.orig).strip().splitlines()[0]}); er is niets opgeslagen. Oplossing: "
                "laad de gegevens opnieuw en probeer het nog eens."
            ) from exc
        except SQLAlchemyError as exc:
            raise _db_error(exc) from exc

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

    def _row_for_change(self, s: Session, measure_id: str, expected: int) -> orm.Measure:
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
            raise _conflict_error(measure_id, expected, row)
        return row

    def _conflict(self, measure_id: str, expected: int) -> ConflictError:
        with self._read() as s:
            row = s.get(orm.Measure, measure_id)
            if row is None:
                return ConflictError(
                    f"Maatregel {measure_id} is intussen verwijderd. Uw wijziging is niet "
                    "opgeslagen. Oplossing: laad de lijst opnieuw.",
                    measure_id,
                    None,
                )
            return _conflict_error(measure_id, expected, row)

    def _insert(self, s: Session, m: Measure, who: str) -> orm.Measure:
        now = self._clock()
        row = orm.Measure(
            id=m.id, created_at=now, created_by=who, updated_at=now, updated_by=who
        )
        orm.fill_measure(row, m)
        s.add(row)
        return row

    def _audit_measure(
        self,
        s: Session,
        action: str,
        old: Measure | None,
        new: Measure | None,
        who: str,
        note: str = "",
    ) -> None:
        now = self._clock()
        current = new or old
        assert current is not None
        for column, before, after in audit.diff(old, new):
            s.add(
                orm.AuditEntry(
                    at=now,
                    user=who,
                    action=action,
                    measure_id=current.id,
                    werkregio=current.werkregio,
                    field=column,
                    old_value=before,
                    new_value=after,
                    note=note,
                )
            )

    def _write_allocation(
        self,
        s: Session,
        row: orm.Allocation | None,
        old: Allocation | None,
        new: Allocation,
        who: str,
        note: str,
    ) -> None:
        if row is None:
            row = orm.Allocation(werkregio=new.werkregio)
            s.add(row)
        row.name, row.max_rijk_cents, row.basis = new.name, new.max_rijk_cents, new.basis.value
        row.source, row.date, row.note = new.source, new.date, new.note
        now = self._clock()
        for column, before, after in _allocation_diff(old, new):
            s.add(
                orm.AuditEntry(
                    at=now,
                    user=who,
                    action="allocation",
                    measure_id=None,
                    werkregio=new.werkregio,
                    field=column,
                    old_value=before,
                    new_value=after,
                    note=note,
                )
            )

    def _seed(self, allocations: Sequence[Allocation]) -> None:
        with self._read() as s:
            stored = {r.werkregio for r in s.scalars(select(orm.Allocation))}
        if all(a.werkregio in stored for a in allocations):
            return
        with self._write() as s:
            serialize(s.connection())  # two first opens at once seed once
            stored = {r.werkregio for r in s.scalars(select(orm.Allocation))}
            for allocation in allocations:
                if allocation.werkregio not in stored:
                    self._write_allocation(
                        s,
                        None,
                        None,
                        allocation,
                        SYSTEM_USER,
                        "eerste start: overgenomen uit geodata/allocations.toml",
                    )


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
        themes = frozenset(Theme(t) for t in m.themes)
    except ValueError as exc:
        raise LedgerError(
            f"Maatregel {m.id}: {exc}. Oplossing: kies een status uit "
            f"{', '.join(s.value for s in Status)} en thema's uit "
            f"{', '.join(t.value for t in Theme)}."
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


def allocations_label(allocations: Mapping[str, Allocation]) -> list[str]:
    return [a.label for a in allocations.values()]


def _allocation_diff(
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


def _conflict_error(measure_id: str, expected: int, row: orm.Measure) -> ConflictError:
    return ConflictError(
        f"Maatregel {measure_id} is intussen gewijzigd door {row.updated_by} op "
        f"{audit.format_time(row.updated_at)} (opgeslagen versie {row.version}, u bewerkte "
        f"versie {expected}). Uw wijziging is niet opgeslagen. Oplossing: laad de maatregel "
        "opnieuw, bekijk wat er veranderd is en voer uw wijziging opnieuw uit.",
        measure_id,
        row.version,
    )


def _user(user: str) -> str:
    who = " ".join(user.split())
    if not who:
        raise LedgerError(
            "Er is geen gebruikersnaam opgegeven. Oplossing: vul uw naam in; elke wijziging "
            "wordt met naam en tijd vastgelegd."
        )
    return who


def _db_error(exc: SQLAlchemyError) -> DatabaseError:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return DatabaseError(
        f"De database is niet bereikbaar of gaf een fout ({exc.__class__.__name__}: "
        f"{text[0] if text else ''}). Er is niets gewijzigd. Oplossing: probeer het opnieuw; "
        "blijft het misgaan, controleer dan ADAPTATIE_DB_URL en of de databaseserver draait."
    )
