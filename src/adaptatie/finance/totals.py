"""Per-werkregio money summary (pure).

Definitions (all sums in cents; an empty amount counts as 0):

* ``allocation``: the werkregio's maximum Rijk contribution (``None`` when unknown); its basis,
  source, date and note say what the amount is (e.g. *geclaimd* for Noordelijke Vechtstromen).
* ``planned_rijk``: Rijk contributions of all measures that are not ``vervallen`` (ideas
  included) -- the amount the allocation rule checks; ``remaining_rijk`` = allocation - planned.
* ``requested_rijk``: status aangevraagd, toegekend, in uitvoering or gerealiseerd.
* ``granted_rijk``: status toegekend, in uitvoering or gerealiseerd.
* ``realised_rijk``: status gerealiseerd.
* ``total_cost`` / ``eligible_cost``: of the measures that are not ``vervallen``.
* ``n_measures``: measures that are not ``vervallen``; ``n_vervallen`` the others.
* ``violations``: messages of hard rule violations of the werkregio and its measures;
  ``warnings``: the soft ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from adaptatie.finance.allocation_rules import planned_rijk_cents
from adaptatie.finance.money import cents_to_euros
from adaptatie.finance.records import APPLIED, GRANTED, REALISED, Allocation, Measure, Status
from adaptatie.finance.rules import Violation


@dataclass(frozen=True)
class WerkregioTotals:
    werkregio: str
    name: str
    allocation_cents: int | None
    allocation_basis: str
    allocation_source: str
    allocation_date: str
    allocation_note: str
    planned_rijk_cents: int
    requested_rijk_cents: int
    granted_rijk_cents: int
    realised_rijk_cents: int
    total_cost_cents: int
    eligible_cost_cents: int
    n_measures: int
    n_vervallen: int
    violations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def remaining_rijk_cents(self) -> int | None:
        if self.allocation_cents is None:
            return None
        return self.allocation_cents - self.planned_rijk_cents

    def as_json(self) -> dict[str, Any]:
        """Plain dict for JSON output; money in euros as numbers (two decimals)."""
        return {
            "werkregio": self.werkregio,
            "name": self.name,
            "allocation": cents_to_euros(self.allocation_cents),
            "allocation_basis": self.allocation_basis,
            "allocation_source": self.allocation_source,
            "allocation_date": self.allocation_date,
            "allocation_note": self.allocation_note,
            "planned_rijk": cents_to_euros(self.planned_rijk_cents),
            "requested_rijk": cents_to_euros(self.requested_rijk_cents),
            "granted_rijk": cents_to_euros(self.granted_rijk_cents),
            "realised_rijk": cents_to_euros(self.realised_rijk_cents),
            "remaining_rijk": cents_to_euros(self.remaining_rijk_cents),
            "total_cost": cents_to_euros(self.total_cost_cents),
            "eligible_cost": cents_to_euros(self.eligible_cost_cents),
            "n_measures": self.n_measures,
            "n_vervallen": self.n_vervallen,
            "violations": list(self.violations),
            "warnings": list(self.warnings),
        }


def summarise(
    measures: Sequence[Measure],
    allocations: Mapping[str, Allocation],
    violations: Iterable[Violation],
) -> list[WerkregioTotals]:
    """One summary per allocation (in the mapping's order)."""
    found = list(violations)
    out = []
    for werkregio, allocation in allocations.items():
        own = [m for m in measures if m.werkregio == werkregio]
        live = [m for m in own if m.status is not Status.VERVALLEN]
        mine = [v for v in found if v.werkregio == werkregio]
        out.append(
            WerkregioTotals(
                werkregio=werkregio,
                name=allocation.name,
                allocation_cents=allocation.max_rijk_cents,
                allocation_basis=allocation.basis.value,
                allocation_source=allocation.source,
                allocation_date=allocation.date,
                allocation_note=allocation.note,
                planned_rijk_cents=planned_rijk_cents(live),
                requested_rijk_cents=_rijk(live, APPLIED),
                granted_rijk_cents=_rijk(live, GRANTED),
                realised_rijk_cents=_rijk(live, REALISED),
                total_cost_cents=sum(m.total_cost_cents or 0 for m in live),
                eligible_cost_cents=sum(m.eligible_cost_cents or 0 for m in live),
                n_measures=len(live),
                n_vervallen=len(own) - len(live),
                violations=[v.message for v in mine if v.hard],
                warnings=[v.message for v in mine if not v.hard],
            )
        )
    return out


def _rijk(measures: Iterable[Measure], statuses: frozenset[Status]) -> int:
    return sum(m.rijk_contribution_cents or 0 for m in measures if m.status in statuses)
