"""The gemeente and kassier of a measure, written as CBS writes them, on every save and import.

:func:`place_measure` resolves both through :class:`adaptatie.regions.names.NameTable` and
returns the measure with the canonical texts (gemeente: the official name of the newest boundary
year, ``Hengelo (O.)``; kassier: ``Gemeente Emmen`` or ``Provincie Drenthe``), a Dutch note for
every text that changed (``Gemeente 'Hengelo' opgeslagen als 'Hengelo (O.)'``) and the broken
rules (codes in :mod:`adaptatie.finance.rules`):

* ``GEMEENTE_ONBEKEND`` hard (all): a gemeente is filled in but is no CBS municipality.
* ``GEMEENTE_ONDUIDELIJK`` hard (all): the gemeente can be several municipalities (``Bergen``).
* ``KASSIER_ONDUIDELIJK`` hard (all): the kassier can be a gemeente or a provincie
  (``Groningen``) or several municipalities.
* ``KASSIER_ONGELDIG`` (hard when relevant, else soft, as in the rules): ``Gemeente X`` or
  ``Provincie X`` where X is no municipality or province.

A kassier that names neither (a water board, a company) is left as written: the rules say why it
cannot be the kassier. Without a name table (``names`` is ``None``) nothing is changed.

:func:`measures_in_region` places stored measures in a region through the same resolver, and
names those it cannot place (every view that groups measures by gemeente uses it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from adaptatie.errors import AmbiguousRegionError, RegionLookupError
from adaptatie.finance.records import Measure
from adaptatie.finance.rules import Violation, is_relevant, measure_violation
from adaptatie.regions.names import NameTable


@dataclass(frozen=True)
class Placement:
    """A measure with canonical gemeente and kassier, the notes and the broken rules."""

    measure: Measure
    notes: tuple[str, ...] = ()
    violations: tuple[Violation, ...] = field(default=())

    @property
    def blocking(self) -> list[Violation]:
        return [v for v in self.violations if v.hard]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if not v.hard]


def place_measure(measure: Measure, names: NameTable | None) -> Placement:
    """See the module docstring."""
    if names is None:
        return Placement(measure)
    m = measure
    notes: list[str] = []
    violations: list[Violation] = []

    def add(code: str, hard: bool, column: str, error: RegionLookupError) -> None:
        violations.append(measure_violation(code, m, hard, column, str(error)))

    gemeente, kassier = _clean(m.gemeente), _clean(m.kassier)
    if gemeente:
        try:
            place = names.gemeente(gemeente)
        except AmbiguousRegionError as exc:
            add("GEMEENTE_ONDUIDELIJK", True, "gemeente", exc)
        except RegionLookupError as exc:
            add("GEMEENTE_ONBEKEND", True, "gemeente", exc)
        else:
            if place.name != gemeente:
                notes.append(_note("gemeente", gemeente, place.name, place.note))
            gemeente = place.name
    if kassier:
        try:
            body = names.body(kassier)
        except AmbiguousRegionError as exc:
            add("KASSIER_ONDUIDELIJK", True, "kassier", exc)
        except RegionLookupError as exc:
            add("KASSIER_ONGELDIG", is_relevant(m), "kassier", exc)
        else:
            if body is not None:
                if body.label != kassier:
                    notes.append(_note("kassier", kassier, body.label, body.note))
                kassier = body.label
    placed = dataclasses.replace(m, gemeente=gemeente, kassier=kassier)
    return Placement(placed, tuple(notes), tuple(violations))


def without_repeats(
    violations: Sequence[Violation], placements: Sequence[Placement]
) -> list[Violation]:
    """``violations`` without those about a gemeente or kassier that resolving it reported
    already (an ambiguous ``Groningen`` is not also "not recognised" by the rules)."""
    flagged = {(v.measure_id, v.field) for p in placements for v in p.violations}
    return [v for v in violations if (v.measure_id, v.field) not in flagged]


def _note(column: str, written: str, stored: str, why: str) -> str:
    text = f"{column.capitalize()} '{written}' opgeslagen als '{stored}'"
    return text + (f" ({why.rstrip('.')})" if why else "") + "."


def _clean(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class RegionMeasures:
    """The measures of one region (by the municipalities of its boundary year), and those that
    cannot be placed anywhere: a gemeente that is no (unambiguous) municipality, or none."""

    inside: tuple[tuple[Measure, str], ...]  # with the municipality's name in the region's year
    partly: tuple[tuple[Measure, str], ...]  # a municipality that is only partly in the region
    unplaced: tuple[tuple[Measure, str], ...]  # with the reason (Dutch)
    without_gemeente: tuple[Measure, ...]

    @property
    def measures(self) -> list[Measure]:
        return [m for m, _ in (*self.inside, *self.partly)]


def unplaceable(measures: Sequence[Measure], names: NameTable) -> list[tuple[Measure, str]]:
    """Measures whose gemeente is filled in but names no (unambiguous) municipality, with the
    reason (Dutch, without its "Oplossing"): they are missing from every view per gemeente."""
    out = []
    for m in measures:
        if _clean(m.gemeente):
            try:
                names.code(_clean(m.gemeente))
            except RegionLookupError as exc:
                out.append((m, str(exc).split(" Oplossing:")[0]))
    return out


def measures_in_region(
    measures: Sequence[Measure], members: Collection[str], year: int, names: NameTable
) -> RegionMeasures:
    """Which ``measures`` lie in the region whose municipalities of ``year`` are ``members``.

    The gemeente is resolved as on a save (a stored measure may predate that and read
    ``Hengelo`` or ``GM0164``) and mapped to the municipalities of ``year`` through the mergers:
    a measure in Midden-Groningen belongs to a 2017 region with Hoogezand-Sappemeer, Menterwolde
    and Slochteren; a measure in Haren to the 2024 region with Groningen.
    """
    wanted = set(members)
    inside: list[tuple[Measure, str]] = []
    partly: list[tuple[Measure, str]] = []
    unplaced: list[tuple[Measure, str]] = []
    without: list[Measure] = []
    for m in measures:
        text = _clean(m.gemeente)
        if not text:
            without.append(m)
            continue
        try:
            code = names.code(text)
        except RegionLookupError as exc:
            unplaced.append((m, str(exc)))
            continue
        codes = set(names.codes_in(code, year))
        if not codes:
            unplaced.append(
                (m, f"gemeente '{text}' ({code}) is niet te herleiden tot grensjaar {year}.")
            )
            continue
        label = ", ".join(sorted(names.gemeenten[year][c] for c in codes))
        if codes <= wanted:
            inside.append((m, label))
        elif codes & wanted:
            partly.append((m, label))
    return RegionMeasures(tuple(inside), tuple(partly), tuple(unplaced), tuple(without))
