"""DPRA progress per municipality and werkregio: the four steps of the Delta Programme.

For each municipality (CBS code) or werkregio (id from ``geodata/regions.toml``): the stress test
(round 1 = 2018-2020, round 2 = from 2025; the year it was done), the risk dialogue (date held),
the adaptation strategy (date adopted) and the implementation agenda (date adopted). Stored in
the ledger's database (migration 0002) with optimistic locking and a change history, like the
measures. Checks, with Dutch messages: a known region kind, a round of 1 or 2 with a year that
fits it, and no date in the future (these are things that *happened*).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields

from sqlalchemy import Engine, select
from sqlalchemy.orm.exc import StaleDataError

from adaptatie.db import orm
from adaptatie.db.errors import ConflictError
from adaptatie.db.session import reading, writing
from adaptatie.errors import AdaptatieError

KINDS = ("gemeente", "werkregio")
# Stress-test rounds of the DPRA (redone every six years): first round 2018/2019, second from 2025.
ROUND_YEARS = {1: range(2017, 2022), 2: range(2024, 2029)}
STEPS = (
    "stress_test_round",
    "stress_test_year",
    "risk_dialogue_date",
    "strategy_date",
    "agenda_date",
)


class ProgressError(AdaptatieError, ValueError):
    """A DPRA progress record breaks a check; nothing was written."""


@dataclass(frozen=True)
class Progress:
    """The DPRA steps of one region; ``version`` 0 means not stored yet."""

    region_kind: str
    region_code: str
    stress_test_round: int | None = None
    stress_test_year: int | None = None
    risk_dialogue_date: dt.date | None = None
    strategy_date: dt.date | None = None
    agenda_date: dt.date | None = None
    note: str = ""
    version: int = 0
    updated_at: dt.datetime | None = None
    updated_by: str = ""

    @property
    def steps_done(self) -> int:
        """How many of the four steps are done (0-4)."""
        return sum(
            value is not None
            for value in (
                self.stress_test_year,
                self.risk_dialogue_date,
                self.strategy_date,
                self.agenda_date,
            )
        )


@dataclass(frozen=True)
class ProgressChange:
    at: dt.datetime
    user: str
    region_kind: str
    region_code: str
    field: str
    old: str | None
    new: str | None


class ProgressBook:
    """Read and save DPRA progress in the database behind ``engine`` (e.g. ``ledger.engine``)."""

    def __init__(self, engine: Engine, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._engine = engine
        self._today = today

    def all(self) -> dict[tuple[str, str], Progress]:
        with reading(self._engine) as s:
            return {
                (r.region_kind, r.region_code): _record(r)
                for r in s.scalars(select(orm.DpraProgress))
            }

    def get(self, region_kind: str, region_code: str) -> Progress:
        """The stored record, or an empty one (version 0) when nothing is recorded yet."""
        return self.all().get((region_kind, region_code), Progress(region_kind, region_code))

    def history(self, region_kind: str, region_code: str) -> list[ProgressChange]:
        with reading(self._engine) as s:
            rows = s.scalars(
                select(orm.DpraHistory)
                .where(orm.DpraHistory.region_kind == region_kind)
                .where(orm.DpraHistory.region_code == region_code)
                .order_by(orm.DpraHistory.at.desc(), orm.DpraHistory.id.desc())
            )
            return [
                ProgressChange(
                    r.at, r.user, r.region_kind, r.region_code, r.field, r.old_value, r.new_value
                )
                for r in rows
            ]

    def save(self, progress: Progress, *, user: str) -> Progress:
        """Store ``progress`` if nobody changed the record since ``progress.version``."""
        who = user.strip()
        if not who:
            raise ProgressError(
                "Uw naam ontbreekt. Oplossing: vul uw naam in; elke wijziging komt met naam in "
                "de historie."
            )
        self.check(progress)
        now = dt.datetime.now(dt.UTC)
        key = (progress.region_kind, progress.region_code)
        try:
            with writing(self._engine) as s:
                row = s.get(orm.DpraProgress, key)
                stored = _record(row) if row is not None else Progress(*key)
                if stored.version != progress.version:
                    raise _conflict(progress, stored)
                changes = [
                    (f.name, getattr(stored, f.name), getattr(progress, f.name))
                    for f in fields(Progress)
                    if f.name in (*STEPS, "note")
                    and getattr(stored, f.name) != getattr(progress, f.name)
                ]
                if not changes:
                    return stored
                if row is None:
                    row = orm.DpraProgress(region_kind=key[0], region_code=key[1], version=0)
                    s.add(row)
                for name, _, new in changes:
                    setattr(row, name, new)
                row.updated_at, row.updated_by = now, who
                for name, old, new in changes:
                    s.add(
                        orm.DpraHistory(
                            at=now,
                            user=who,
                            region_kind=key[0],
                            region_code=key[1],
                            field=name,
                            old_value=None if old in (None, "") else str(old),
                            new_value=None if new in (None, "") else str(new),
                        )
                    )
                s.flush()
                return _record(row)
        except StaleDataError:
            raise _conflict(progress, self.get(*key)) from None

    def check(self, progress: Progress) -> None:
        """Raise :class:`ProgressError` (Dutch, all problems at once) for an invalid record."""
        problems = []
        where = f"{progress.region_kind} {progress.region_code}"
        if progress.region_kind not in KINDS:
            problems.append(
                f"soort '{progress.region_kind}' is onbekend; kies gemeente of werkregio"
            )
        if progress.stress_test_round is not None:
            if progress.stress_test_round not in ROUND_YEARS:
                problems.append(
                    f"stresstestronde {progress.stress_test_round} bestaat niet; kies 1 of 2"
                )
            elif progress.stress_test_year is not None and (
                progress.stress_test_year not in ROUND_YEARS[progress.stress_test_round]
            ):
                years = ROUND_YEARS[progress.stress_test_round]
                problems.append(
                    f"stresstestjaar {progress.stress_test_year} past niet bij ronde "
                    f"{progress.stress_test_round} ({years.start}-{years.stop - 1})"
                )
        if progress.stress_test_year is not None and progress.stress_test_round is None:
            problems.append("bij een stresstestjaar hoort een ronde (1 of 2)")
        today = self._today()
        if progress.stress_test_year is not None and progress.stress_test_year > today.year:
            problems.append(f"stresstestjaar {progress.stress_test_year} ligt in de toekomst")
        labels = {
            "risk_dialogue_date": "de risicodialoog",
            "strategy_date": "de vaststelling van de strategie",
            "agenda_date": "de vaststelling van de uitvoeringsagenda",
        }
        for name, label in labels.items():
            value = getattr(progress, name)
            if value is not None and value > today:
                problems.append(
                    f"de datum van {label} ({value.strftime('%d-%m-%Y')}) ligt in de toekomst; "
                    "vul een datum in als het gebeurd is"
                )
        if problems:
            raise ProgressError(
                f"DPRA-voortgang van {where} niet opgeslagen: " + "; ".join(problems) + ". "
                "Oplossing: corrigeer deze velden en sla opnieuw op."
            )


def _record(row: orm.DpraProgress) -> Progress:
    return Progress(
        row.region_kind,
        row.region_code,
        row.stress_test_round,
        row.stress_test_year,
        row.risk_dialogue_date,
        row.strategy_date,
        row.agenda_date,
        row.note or "",
        row.version,
        row.updated_at,
        row.updated_by,
    )


def _conflict(progress: Progress, stored: Progress) -> ConflictError:
    who = stored.updated_by or "iemand anders"
    return ConflictError(
        f"De DPRA-voortgang van {progress.region_kind} {progress.region_code} is intussen "
        f"gewijzigd door {who}. Uw wijziging is niet opgeslagen. Oplossing: laad de gegevens "
        "opnieuw en voer uw wijziging nog eens in.",
        progress.region_code,
        stored.version,
    )
