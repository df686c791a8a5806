"""Plain, frozen values of the ledger: measures, allocations, audit entries.

These carry no database state; :mod:`adaptatie.finance.ledger` converts them to and from rows.
Money is an ``int`` number of euro cents (never a float); ``None`` means "not filled in".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from adaptatie.stresstest.themes import THEME_KEYS

if TYPE_CHECKING:
    from adaptatie.finance.rules import Violation


class Status(StrEnum):
    """Life cycle of a measure (values are the Dutch words users see and type)."""

    IDEE = "idee"
    AANGEVRAAGD = "aangevraagd"
    TOEGEKEND = "toegekend"
    IN_UITVOERING = "in uitvoering"
    GEREALISEERD = "gerealiseerd"
    VERVALLEN = "vervallen"


#: Climate themes of the DPRA (Dutch words as users type them), one member per
#: :data:`adaptatie.stresstest.themes.THEME_KEYS` (``ClimateTheme.HITTE == "hitte"``).
ClimateTheme = StrEnum("ClimateTheme", {key.upper(): key for key in THEME_KEYS})


#: Statuses that mean "part of a submitted Impulsregeling application".
APPLIED = frozenset(
    {Status.AANGEVRAAGD, Status.TOEGEKEND, Status.IN_UITVOERING, Status.GEREALISEERD}
)
#: Statuses whose Rijk contribution counts as granted.
GRANTED = frozenset({Status.TOEGEKEND, Status.IN_UITVOERING, Status.GEREALISEERD})
#: Statuses whose Rijk contribution counts as realised.
REALISED = frozenset({Status.GEREALISEERD})
#: Application rounds of the Impulsregeling (applications 2021-01-01 .. 2023-12-31, one a year).
ROUNDS = (2021, 2022, 2023)
#: Measures must be realised before this date.
COMPLETION_DEADLINE = dt.date(2028, 1, 1)


class AllocationBasis(StrEnum):
    """What the allocation amount is."""

    MAXIMUM = "maximum"  # the maximum Rijk contribution granted to the werkregio
    GECLAIMD = "geclaimd"  # the amount the region claims (no decision known)
    ONBEKEND = "onbekend"  # no maximum known; the amount is None


@dataclass(frozen=True)
class Allocation:
    """The maximum Rijk contribution of one werkregio (``max_rijk_cents`` None when unknown).

    ``date`` is an ISO date of the stated precision: ``2024-04-24``, ``2021-09`` or ``""``.
    """

    werkregio: str
    name: str
    max_rijk_cents: int | None
    basis: AllocationBasis
    source: str
    date: str = ""
    note: str = ""

    @property
    def label(self) -> str:
        """``Fluvius (WR-FLU)``."""
        return f"{self.name} ({self.werkregio})"


@dataclass(frozen=True)
class Measure:
    """One adaptation measure (maatregel).

    ``version`` is 0 for a measure that is not stored yet; the ledger sets it (1, 2, ...) and
    ``updated_at``/``updated_by`` on every save. ``location_wkt`` is WKT in EPSG:28992 (RD New).
    """

    id: str
    name: str
    werkregio: str
    status: Status
    themes: frozenset[ClimateTheme] = frozenset()
    gemeente: str = ""
    description: str = ""
    round: int | None = None
    total_cost_cents: int | None = None
    eligible_cost_cents: int | None = None
    rijk_contribution_cents: int | None = None
    kassier: str = ""
    completion_date: dt.date | None = None
    location_wkt: str | None = None
    version: int = 0
    updated_at: dt.datetime | None = None
    updated_by: str = ""


#: Audit actions.
ACTIONS = ("create", "update", "delete", "import", "allocation")


@dataclass(frozen=True)
class AuditEntry:
    """One changed field: who, when (UTC), which measure, what, old and new value.

    Values are JSON texts (``null``, ``123456`` cents, ``"2027-12-31"``, ``["droogte"]``); use
    :func:`adaptatie.finance.audit.display_value` to show them in Dutch.
    """

    id: int
    at: dt.datetime
    user: str
    action: str
    measure_id: str | None
    werkregio: str | None
    field: str
    old: str | None
    new: str | None
    note: str = ""


#: Editable fields of a measure: (Dutch column name as in import files and the audit log,
#: attribute of :class:`Measure`). The order is the column order of exports.
FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "id"),
    ("naam", "name"),
    ("werkregio", "werkregio"),
    ("gemeente", "gemeente"),
    ("thema", "themes"),
    ("status", "status"),
    ("ronde", "round"),
    ("totale_kosten", "total_cost_cents"),
    ("subsidiabele_kosten", "eligible_cost_cents"),
    ("rijksbijdrage", "rijk_contribution_cents"),
    ("kassier", "kassier"),
    ("gereed_datum", "completion_date"),
    ("omschrijving", "description"),
    ("locatie_wkt", "location_wkt"),
)
MONEY_FIELDS = frozenset({"totale_kosten", "subsidiabele_kosten", "rijksbijdrage"})


@dataclass(frozen=True)
class SaveResult:
    """The measure as stored (with its new version), the warnings (soft violations) and the
    notes (Dutch: a gemeente or kassier stored as CBS writes it, see
    :mod:`adaptatie.finance.places`)."""

    measure: Measure
    warnings: list[Violation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    """The measures stored by one import, the warnings and the notes (as in SaveResult)."""

    measures: list[Measure]
    warnings: list[Violation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
