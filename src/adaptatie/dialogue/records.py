"""What a risk dialogue records: the choices of its fields, the records, and how a stored row
becomes one.

:class:`~adaptatie.dialogue.workshops.WorkshopBook` stores and reads these through the tables of
:mod:`adaptatie.db.orm` (migrations 0003, 0005 and 0006).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, fields

from adaptatie.db import orm
from adaptatie.stresstest.themes import THEME_KEYS

THEMES = THEME_KEYS
FIELDS = {
    "acceptable": "Acceptabel",
    "priority": "Prioriteit",
    "meekoppelkansen": "Meekoppelkansen",
    "actions": "Acties",
    "owners": "Trekkers",
    "notes": "Notities",
    "owner_kind": "Eigenaar",
    "decision_date": "Besluitdatum",
}
#: The three acceptance classes of Dutch risk dialogues (migration 0005 turned the earlier
#: "niet acceptabel" into "onacceptabel").
ACCEPTABLE = ("", "acceptabel", "onwenselijk", "onacceptabel")
PRIORITIES = ("", "hoog", "middel", "laag")
#: Who owns the risk (risico-eigenaar).
OWNER_KINDS = (
    "", "overheid", "waterschap", "bewoner", "bedrijf", "maatschappelijke organisatie",
    "netbeheerder", "anders",
)
#: Dialogue rounds of the DPRA: the first 2019-2021, the second from 2025.
ROUNDS = {1: "eerste ronde (2019-2021)", 2: "tweede ronde (vanaf 2025)"}


def round_of(held_on: dt.date) -> int:
    """The dialogue round a workshop held on that date belongs to (before 2025: the first)."""
    return 2 if held_on >= dt.date(2025, 1, 1) else 1


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
    dialogue_round: int = 1

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
    owner_kind: str = ""
    decision_date: dt.date | None = None
    hotspot_ref: str = ""  # id of a computed hotspot: "<layer>|<threshold>|<H3>"; "" if typed
    hotspot_wkt: str | None = None  # its polygon (RD New) when picked, so rounds can be compared


@dataclass(frozen=True)
class Removal:
    """A hotspot taken off a workshop's list: who, when, and every value it had."""

    at: dt.datetime
    user: str
    workshop_id: int
    theme: str
    hotspot: str
    values: dict[str, str]  # field name -> value as stored (dates ISO); empty fields left out


def to_workshop(row: orm.Workshop) -> Workshop:
    """The record of a stored workshop (a row from before migration 0005: the first round)."""
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
        row.dialogue_round or 1,
    )


def to_outcome(row: orm.WorkshopOutcome) -> Outcome:
    """The record of a stored outcome (columns added by migration 0005 may still be NULL)."""
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
        row.owner_kind or "",
        row.decision_date,
        row.hotspot_ref or "",
        row.hotspot_wkt,
    )


def to_removal(row: orm.WorkshopHistory) -> Removal:
    """The record of a logged removal."""
    return Removal(
        row.at, row.user, row.workshop_id, row.theme, row.hotspot, json.loads(row.old_values)
    )


def logged_values(outcome: Outcome) -> str:
    """Every non-empty field of ``outcome`` but its key, as text (dates ISO), as the log's JSON."""
    key = {"workshop_id", "theme", "hotspot"}
    values = {f.name: getattr(outcome, f.name) for f in fields(Outcome) if f.name not in key}
    return json.dumps(
        {
            name: value.isoformat() if isinstance(value, dt.date) else str(value)
            for name, value in values.items()
            if value not in (None, "")
        },
        ensure_ascii=False,
    )
