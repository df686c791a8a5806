"""Risk dialogues (risicodialogen): workshops and what the group decides per theme and hotspot.

Stored in the database of :mod:`adaptatie.db` (migration 0003). Every field is saved on its own
as it is typed (:meth:`WorkshopBook.save_field`), so two laptops working on one workshop do not
overwrite each other's fields, and a refresh or a restart loses nothing. The facilitator's
current step is stored as well, so presentation screens can follow it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from adaptatie.db import orm
from adaptatie.db.session import reading, writing
from adaptatie.errors import AdaptatieError
from adaptatie.safe_csv import Sheet, csv_bytes, xlsx_bytes
from adaptatie.stresstest.themes import THEME_KEYS

THEMES = THEME_KEYS
FIELDS = {
    "acceptable": "Acceptabel",
    "priority": "Prioriteit",
    "meekoppelkansen": "Meekoppelkansen",
    "actions": "Acties",
    "owners": "Trekkers",
    "notes": "Notities",
}
ACCEPTABLE = ("", "acceptabel", "niet acceptabel")
PRIORITIES = ("", "hoog", "middel", "laag")


class WorkshopError(AdaptatieError, ValueError):
    """A workshop or outcome cannot be stored as given; nothing was written."""


@dataclass(frozen=True)
class Workshop:
    id: int
    region_kind: str
    region_code: str
    region_name: str
    boundary_year: int
    held_on: dt.date
    place: str
    participants: str
    themes: tuple[str, ...]
    current_step: int
    created_by: str

    @property
    def title(self) -> str:
        return f"{self.region_name}, {self.held_on.strftime('%d-%m-%Y')} ({self.place})"


@dataclass(frozen=True)
class Outcome:
    workshop_id: int
    theme: str
    hotspot: str  # "" for the theme as a whole
    acceptable: str = ""
    priority: str = ""
    meekoppelkansen: str = ""
    actions: str = ""
    owners: str = ""
    notes: str = ""
    updated_by: str = ""


class WorkshopBook:
    """Workshops and their outcomes in the database behind ``engine`` (e.g. ``ledger.engine``)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create(
        self,
        *,
        region_kind: str,
        region_code: str,
        region_name: str,
        boundary_year: int,
        held_on: dt.date,
        place: str,
        participants: str,
        themes: tuple[str, ...],
        user: str,
    ) -> Workshop:
        problems = []
        if not place.strip():
            problems.append("de plaats ontbreekt")
        if not themes:
            problems.append("kies ten minste één thema")
        unknown = [t for t in themes if t not in THEMES]
        if unknown:
            problems.append(f"onbekend thema: {', '.join(unknown)}")
        if not user.strip():
            problems.append("uw naam ontbreekt")
        if problems:
            raise WorkshopError(
                "Risicodialoog niet aangemaakt: " + "; ".join(problems) + ". Oplossing: vul de "
                "ontbrekende gegevens aan en probeer het opnieuw."
            )
        with writing(self._engine) as s:
            row = orm.Workshop(
                region_kind=region_kind,
                region_code=region_code,
                region_name=region_name,
                boundary_year=boundary_year,
                held_on=held_on,
                place=place.strip(),
                participants=participants.strip(),
                themes=",".join(themes),
                current_step=0,
                created_at=dt.datetime.now(dt.UTC),
                created_by=user.strip(),
            )
            s.add(row)
            s.flush()
            return _workshop(row)

    def all(self) -> list[Workshop]:
        with reading(self._engine) as s:
            rows = s.scalars(select(orm.Workshop).order_by(orm.Workshop.held_on.desc()))
            return [_workshop(r) for r in rows]

    def get(self, workshop_id: int) -> Workshop:
        with reading(self._engine) as s:
            return _workshop(_stored(s, workshop_id))

    def set_step(self, workshop_id: int, step: int) -> Workshop:
        """Move the facilitator (and every following screen) to ``step``."""
        with writing(self._engine) as s:
            row = _stored(s, workshop_id)
            last = len([t for t in row.themes.split(",") if t]) - 1
            row.current_step = max(0, min(step, last))
            s.flush()
            return _workshop(row)

    def save_field(
        self, workshop_id: int, theme: str, hotspot: str, field: str, value: str, *, user: str
    ) -> Outcome:
        """Store one field of one outcome (created when new); other fields stay as they are."""
        if field not in FIELDS:
            raise WorkshopError(
                f"Onbekend veld '{field}'. Oplossing: kies uit {', '.join(FIELDS)}."
            )
        if field == "acceptable" and value not in ACCEPTABLE:
            raise WorkshopError(
                f"'{value}' is geen keuze. Oplossing: kies {', '.join(ACCEPTABLE[1:])}."
            )
        if field == "priority" and value not in PRIORITIES:
            raise WorkshopError(
                f"'{value}' is geen prioriteit. Oplossing: kies {', '.join(PRIORITIES[1:])}."
            )
        with writing(self._engine) as s:
            key = (workshop_id, theme, hotspot.strip())
            row = s.get(orm.WorkshopOutcome, key)
            if row is None:
                if s.get(orm.Workshop, workshop_id) is None:
                    raise _missing(workshop_id)
                row = orm.WorkshopOutcome(
                    workshop_id=workshop_id,
                    theme=theme,
                    hotspot=hotspot.strip(),
                    acceptable="",
                    priority="",
                    meekoppelkansen="",
                    actions="",
                    owners="",
                    notes="",
                )
                s.add(row)
            setattr(row, field, value)
            row.updated_at, row.updated_by = dt.datetime.now(dt.UTC), user.strip() or "onbekend"
            s.flush()
            return _outcome(row)

    def outcomes(self, workshop_id: int) -> list[Outcome]:
        with reading(self._engine) as s:
            rows = s.scalars(
                select(orm.WorkshopOutcome)
                .where(orm.WorkshopOutcome.workshop_id == workshop_id)
                .order_by(orm.WorkshopOutcome.theme, orm.WorkshopOutcome.hotspot)
            )
            return [_outcome(r) for r in rows]

    def export_rows(self, workshop_id: int) -> list[dict[str, str]]:
        workshop = self.get(workshop_id)
        return [
            {
                "risicodialoog": workshop.title,
                "regio": f"{workshop.region_name} ({workshop.region_code})",
                "grensjaar": str(workshop.boundary_year),
                "thema": o.theme,
                "hotspot": o.hotspot or "(thema als geheel)",
                **{label.lower(): getattr(o, name) for name, label in FIELDS.items()},
                "bijgewerkt_door": o.updated_by,
            }
            for o in self.outcomes(workshop_id)
        ]

    def export_csv(self, workshop_id: int) -> bytes:
        rows = self.export_rows(workshop_id)
        header = list(rows[0]) if rows else []
        return csv_bytes(header, ([r[h] for h in header] for r in rows))

    def export_xlsx(self, workshop_id: int) -> bytes:
        rows = self.export_rows(workshop_id)
        header = list(rows[0]) if rows else []
        return xlsx_bytes([Sheet("Uitkomsten", header, ([r[h] for h in header] for r in rows))])


def _workshop(row: orm.Workshop) -> Workshop:
    return Workshop(
        row.id,
        row.region_kind,
        row.region_code,
        row.region_name,
        row.boundary_year,
        row.held_on,
        row.place,
        row.participants,
        tuple(t for t in row.themes.split(",") if t),
        row.current_step,
        row.created_by,
    )


def _outcome(row: orm.WorkshopOutcome) -> Outcome:
    return Outcome(
        row.workshop_id,
        row.theme,
        row.hotspot,
        row.acceptable,
        row.priority,
        row.meekoppelkansen,
        row.actions,
        row.owners,
        row.notes,
        row.updated_by,
    )


def _stored(s: Session, workshop_id: int) -> orm.Workshop:
    row = s.get(orm.Workshop, workshop_id)
    if row is None:
        raise _missing(workshop_id)
    return row


def _missing(workshop_id: int) -> WorkshopError:
    return WorkshopError(
        f"Risicodialoog {workshop_id} bestaat niet (meer). Oplossing: kies een risicodialoog uit "
        "de lijst of maak een nieuwe aan."
    )
