"""Risk dialogues (risicodialogen): workshops and what the group decides per theme and hotspot.

Stored in the database of :mod:`adaptatie.db` (migration 0003). Every field is saved on its own
as it is typed (:meth:`WorkshopBook.save_field`), so two laptops working on one workshop do not
overwrite each other's fields, and a refresh or a restart loses nothing. The facilitator's
current step is stored as well, so presentation screens can follow it. A hotspot taken off the
list (:meth:`WorkshopBook.remove_hotspot`) leaves every value it had in a log (migration 0006).
The records and the choices of their fields are in :mod:`adaptatie.dialogue.records`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from adaptatie.db import orm
from adaptatie.db.session import reading, writing
from adaptatie.dialogue.records import (
    ACCEPTABLE,
    FIELDS,
    OWNER_KINDS,
    PRIORITIES,
    ROUNDS,
    THEMES,
    Outcome,
    Removal,
    Workshop,
    logged_values,
    round_of,
    to_outcome,
    to_removal,
    to_workshop,
)
from adaptatie.errors import AdaptatieError
from adaptatie.safe_csv import Sheet, csv_bytes, xlsx_bytes
from adaptatie.stresstest.themes import THEME_LABELS


class WorkshopError(AdaptatieError, ValueError):
    """A workshop or outcome cannot be stored as given; nothing was written."""


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
        dialogue_round: int | None = None,
    ) -> Workshop:
        problems = []
        if dialogue_round is not None and dialogue_round not in ROUNDS:
            problems.append(f"ronde {dialogue_round} bestaat niet (1 of 2)")
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
                dialogue_round=dialogue_round or round_of(held_on),
            )
            s.add(row)
            s.flush()
            return to_workshop(row)

    def all(self) -> list[Workshop]:
        with reading(self._engine) as s:
            rows = s.scalars(select(orm.Workshop).order_by(orm.Workshop.held_on.desc()))
            return [to_workshop(r) for r in rows]

    def get(self, workshop_id: int) -> Workshop:
        with reading(self._engine) as s:
            return to_workshop(_stored(s, workshop_id))

    def set_step(self, workshop_id: int, step: int) -> Workshop:
        """Move the facilitator (and every following screen) to ``step``."""
        with writing(self._engine) as s:
            row = _stored(s, workshop_id)
            last = len([t for t in row.themes.split(",") if t]) - 1
            row.current_step = max(0, min(step, last))
            s.flush()
            return to_workshop(row)

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
        if field == "owner_kind" and value not in OWNER_KINDS:
            raise WorkshopError(
                f"'{value}' is geen eigenaar. Oplossing: kies {', '.join(OWNER_KINDS[1:])}."
            )
        stored: object = value
        if field == "decision_date":
            try:
                stored = dt.date.fromisoformat(value) if value else None
            except ValueError:
                raise WorkshopError(
                    f"'{value}' is geen datum. Oplossing: kies een datum (dd-mm-jjjj)."
                ) from None
        return self._save(workshop_id, theme, hotspot, {field: stored}, user)

    def pick_hotspot(
        self, workshop_id: int, theme: str, name: str, ref: str, wkt: str, *, user: str
    ) -> Outcome:
        """Put a computed hotspot on the workshop's list (its id and polygon are kept)."""
        if not name.strip():
            raise WorkshopError("De hotspot heeft geen naam. Oplossing: kies een hotspot.")
        return self._save(
            workshop_id, theme, name, {"hotspot_ref": ref, "hotspot_wkt": wkt or None}, user
        )

    def _save(
        self, workshop_id: int, theme: str, hotspot: str, values: dict[str, object], user: str
    ) -> Outcome:
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
                    owner_kind="",
                    hotspot_ref="",
                )
                s.add(row)
            for field, value in values.items():
                setattr(row, field, value)
            row.updated_at, row.updated_by = dt.datetime.now(dt.UTC), user.strip() or "onbekend"
            s.flush()
            return to_outcome(row)

    def remove_hotspot(self, workshop_id: int, theme: str, hotspot: str, *, user: str) -> Outcome:
        """Take a hotspot and what was decided about it off the workshop's list.

        The removed outcome, with every value it had, goes to the log (:meth:`removals`) in the
        same transaction; the theme as a whole (hotspot ``""``) cannot be removed.
        """
        name, who = hotspot.strip(), user.strip()
        label = THEME_LABELS.get(theme, theme).lower()
        if not name:
            raise WorkshopError(
                f"De uitkomst voor {label} als geheel blijft staan. Oplossing: kies een hotspot "
                "om te verwijderen."
            )
        if not who:
            raise WorkshopError("Uw naam ontbreekt. Oplossing: log in en probeer het opnieuw.")
        with writing(self._engine) as s:
            row = s.get(orm.WorkshopOutcome, (workshop_id, theme, name))
            if row is None:
                raise WorkshopError(
                    f"Hotspot '{name}' staat niet (meer) bij {label} in deze risicodialoog; er is "
                    "niets verwijderd. Oplossing: laad de pagina opnieuw (misschien heeft iemand "
                    "anders hem al verwijderd)."
                )
            removed = to_outcome(row)
            s.add(
                orm.WorkshopHistory(
                    at=dt.datetime.now(dt.UTC),
                    user=who,
                    workshop_id=workshop_id,
                    theme=theme,
                    hotspot=name,
                    action="verwijderd",
                    old_values=logged_values(removed),
                )
            )
            s.delete(row)
            s.flush()
        return removed

    def removals(self, workshop_id: int) -> list[Removal]:
        """The hotspots taken off this workshop's list, newest first."""
        with reading(self._engine) as s:
            rows = s.scalars(
                select(orm.WorkshopHistory)
                .where(orm.WorkshopHistory.workshop_id == workshop_id)
                .order_by(orm.WorkshopHistory.at.desc(), orm.WorkshopHistory.id.desc())
            )
            return [to_removal(r) for r in rows]

    def outcomes(self, workshop_id: int) -> list[Outcome]:
        with reading(self._engine) as s:
            rows = s.scalars(
                select(orm.WorkshopOutcome)
                .where(orm.WorkshopOutcome.workshop_id == workshop_id)
                .order_by(orm.WorkshopOutcome.theme, orm.WorkshopOutcome.hotspot)
            )
            return [to_outcome(r) for r in rows]

    def export_rows(self, workshop_id: int) -> list[dict[str, str]]:
        workshop = self.get(workshop_id)
        return [
            {
                "risicodialoog": workshop.title,
                "regio": f"{workshop.region_name} ({workshop.region_code})",
                "grensjaar": str(workshop.boundary_year),
                "thema": o.theme,
                "hotspot": o.hotspot or "(thema als geheel)",
                "ronde": ROUNDS[workshop.dialogue_round],
                **{label.lower(): _text(getattr(o, name)) for name, label in FIELDS.items()},
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


def _text(value: object) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return "" if value is None else str(value)


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
