"""The Impulsregeling rules over many measures at once: ids, allocations, one kassier per round.

The rule codes are listed with the rules of one measure in :mod:`adaptatie.finance.rules`
(``ID_BESTAAT_AL``, ``ID_DUBBEL``, ``TOEWIJZING_*``, ``RONDE_KASSIERS``). Pure functions over
plain records; the ledger calls :func:`evaluate_change` on every save and import.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from adaptatie.finance.money import format_cents
from adaptatie.finance.records import APPLIED, Allocation, AllocationBasis, Measure, Status
from adaptatie.finance.rules import (
    Severity,
    Verdict,
    Violation,
    check_measure,
    measure_violation,
)


def duplicate_violations(new: Sequence[Measure], stored: Mapping[str, Measure]) -> list[Violation]:
    """New measures whose id is stored already (ID_BESTAAT_AL) or repeats (ID_DUBBEL)."""
    out: list[Violation] = []
    seen: set[str] = set()
    for m in new:
        if m.id in stored:
            other = stored[m.id]
            out.append(
                measure_violation(
                    "ID_BESTAAT_AL",
                    m,
                    True,
                    "id",
                    f"er is al een maatregel met id {m.id} ('{other.name}', werkregio "
                    f"{other.werkregio}). Oplossing: kies een andere id, of wijzig de bestaande "
                    "maatregel in plaats van hem opnieuw toe te voegen.",
                )
            )
        elif m.id in seen:
            out.append(
                measure_violation(
                    "ID_DUBBEL",
                    m,
                    True,
                    "id",
                    f"de id {m.id} komt meer dan eens voor. Oplossing: geef elke maatregel een "
                    "eigen id.",
                )
            )
        seen.add(m.id)
    return out


def planned_rijk_cents(measures: Iterable[Measure]) -> int:
    """Sum of Rijk contributions of measures that are not ``vervallen`` (what the cap covers)."""
    return sum(m.rijk_contribution_cents or 0 for m in measures if m.status is not Status.VERVALLEN)


def check_werkregio(
    werkregio: str, measures: Iterable[Measure], allocation: Allocation | None
) -> list[Violation]:
    """Rules over all measures of one werkregio: the allocation and one kassier per round."""
    own = [m for m in measures if m.werkregio == werkregio and m.status is not Status.VERVALLEN]
    label = allocation.label if allocation else werkregio
    who = f"Werkregio {label}"
    out: list[Violation] = []
    total = planned_rijk_cents(own)
    if allocation is not None and allocation.max_rijk_cents is not None:
        cap = allocation.max_rijk_cents
        if total > cap:
            kind = "geclaimde bedrag" if allocation.basis is AllocationBasis.GECLAIMD else "maximum"
            out.append(
                Violation(
                    "TOEWIJZING_OVERSCHREDEN",
                    Severity.HARD,
                    f"{who} [TOEWIJZING_OVERSCHREDEN]: de rijksbijdragen van de {len(own)} "
                    f"maatregelen die niet vervallen zijn, zijn samen {format_cents(total)}; het "
                    f"{kind} is {format_cents(cap)} ({_allocation_source(allocation)}). Dat is "
                    f"{format_cents(total - cap)} te veel. Oplossing: verlaag rijksbijdragen met "
                    f"samen minstens {format_cents(total - cap)} of zet maatregelen op vervallen.",
                    werkregio=werkregio,
                    field="rijksbijdrage",
                )
            )
    elif total > 0:
        out.append(
            Violation(
                "TOEWIJZING_ONBEKEND",
                Severity.SOFT,
                f"{who} [TOEWIJZING_ONBEKEND]: er is geen maximum rijksbijdrage bekend, dus "
                f"de som van de rijksbijdragen ({format_cents(total)}) kan niet worden "
                "getoetst. Oplossing: vul het maximum uit de beschikking in (in "
                "geodata/allocations.toml vóór de eerste start, daarna bij de toewijzing).",
                werkregio=werkregio,
            )
        )
    by_round: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for m in own:
        if m.status in APPLIED and m.round is not None and m.kassier.strip():
            by_round[m.round][" ".join(m.kassier.split()).casefold()].append(m.id)
    for year in sorted(by_round):
        groups = by_round[year]
        if len(groups) > 1:
            names = {k: _first_spelling(own, year, k) for k in groups}
            listing = "; ".join(
                f"{names[k]}: {', '.join(sorted(ids))}" for k, ids in sorted(groups.items())
            )
            out.append(
                Violation(
                    "RONDE_KASSIERS",
                    Severity.SOFT,
                    f"{who} [RONDE_KASSIERS]: ronde {year} is één aanvraag, maar de maatregelen "
                    f"noemen {len(groups)} verschillende kassiers ({listing}). Oplossing: noem "
                    "bij alle maatregelen van deze ronde dezelfde kassier (de indiener van de "
                    "aanvraag), steeds op dezelfde manier geschreven.",
                    werkregio=werkregio,
                    field="kassier",
                )
            )
    return out


def check_all(
    measures: Sequence[Measure], allocations: Mapping[str, Allocation]
) -> list[Violation]:
    """Every rule over a complete set of measures: per measure, then per werkregio."""
    out = [v for m in measures for v in check_measure(m, allocations)]
    for werkregio in _werkregios(measures, allocations):
        out.extend(check_werkregio(werkregio, measures, allocations.get(werkregio)))
    return out


def evaluate_change(
    before: Sequence[Measure],
    after: Sequence[Measure],
    changed_ids: Iterable[str],
    allocations: Mapping[str, Allocation],
) -> Verdict:
    """Which violations block a change from ``before`` to ``after`` (see the module docstring).

    ``changed_ids`` are the ids added, updated or removed. Only the werkregio's touched by the
    change (before or after) are checked as a whole.
    """
    changed = set(changed_ids)
    touched = {m.werkregio for m in (*before, *after) if m.id in changed}
    blocking: list[Violation] = []
    warnings: list[Violation] = []
    for m in after:
        if m.id in changed:
            for v in check_measure(m, allocations):
                (blocking if v.hard else warnings).append(v)
    for werkregio in sorted(touched):
        allocation = allocations.get(werkregio)
        grew = planned_rijk_cents(m for m in after if m.werkregio == werkregio) > (
            planned_rijk_cents(m for m in before if m.werkregio == werkregio)
        )
        for v in check_werkregio(werkregio, after, allocation):
            if v.code == "TOEWIJZING_OVERSCHREDEN" and grew:
                blocking.append(v)
            else:
                warnings.append(v)
    return Verdict(blocking, warnings)


def _werkregios(measures: Iterable[Measure], allocations: Mapping[str, Allocation]) -> list[str]:
    seen = dict.fromkeys(allocations)
    for m in measures:
        seen.setdefault(m.werkregio)
    return list(seen)


def _allocation_source(a: Allocation) -> str:
    parts = [p for p in (a.source, _partial_date(a.date)) if p]
    return "bron: " + ", ".join(parts) if parts else "bron onbekend"


def _partial_date(iso: str) -> str:
    """``2024-04-24`` -> ``24-04-2024``; ``2021-09`` -> ``09-2021``."""
    return "-".join(reversed(iso.split("-"))) if iso else ""


def _first_spelling(measures: Iterable[Measure], year: int, key: str) -> str:
    for m in measures:
        if m.round == year and " ".join(m.kassier.split()).casefold() == key:
            return " ".join(m.kassier.split())
    return key  # pragma: no cover
