"""Risk dialogues held on the Risicodialoog page, as the DPRA step "risicodialoog gevoerd".

Derived from the workshops themselves (:mod:`adaptatie.dialogue.workshops`), so a dialogue held
with the dashboard never has to be typed in a second time. A workshop counts as held from the
date it was held (a planned workshop, dated later than today, does not count yet). It counts for
the progress rows of a boundary year: its own row when it was held for a municipality or a
werkregio, and the row of every municipality of that year that lies mostly (more than half of its
area) in the workshop's region, so a dialogue of cluster DAL (2017) counts for Eemsdelta (2024).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from adaptatie import fmt
from adaptatie.dialogue.records import Workshop
from adaptatie.errors import AdaptatieError
from adaptatie.progress.book import Progress
from adaptatie.regions.atlas import Atlas
from adaptatie.regions.models import RegionKind

Key = tuple[str, str]  # (region kind, code) of a progress row: ("gemeente", "GM0114")
MOSTLY = 0.5


@dataclass(frozen=True)
class HeldDialogue:
    """A held workshop and the progress rows (of one boundary year) it counts for."""

    workshop: Workshop
    counts_for: tuple[Key, ...]

    @property
    def text(self) -> str:
        """``20-11-2026, Meppel`` (the date and the region it was held for)."""
        return f"{fmt.date(self.workshop.held_on)}, {self.workshop.region_name}"


def held_dialogues(
    atlas: Atlas, workshops: Iterable[Workshop], year: int, today: dt.date
) -> list[HeldDialogue]:
    """Every workshop held on or before ``today``, oldest first, with the rows it counts for."""
    held = sorted((w for w in workshops if w.held_on <= today), key=lambda w: (w.held_on, w.id))
    return [HeldDialogue(w, counts_for(atlas, w, year)) for w in held]


def counts_for(atlas: Atlas, workshop: Workshop, year: int) -> tuple[Key, ...]:
    """The progress rows of ``year`` that ``workshop`` counts for (none when its region is gone)."""
    try:
        kind = RegionKind(workshop.region_kind)
        code = workshop.region_code
        if kind is RegionKind.GEMEENTE:
            current = set(atlas.gemeenten(year)["code"])
            if workshop.boundary_year == year:
                return (("gemeente", code),) if code in current else ()
            lineage = atlas.lineage(workshop.boundary_year, year)
            return tuple(
                ("gemeente", c) for c in sorted(current) if lineage.share_from(c, {code}) > MOSTLY
            )
        region = atlas.region(kind, code, year)
    except (AdaptatieError, ValueError):  # a kind, region or year the data no longer has
        return ()
    own = [("werkregio", code)] if kind is RegionKind.WERKREGIO else []
    return (*own, *(("gemeente", m.code) for m in region.members if m.share > MOSTLY))


def by_row(dialogues: Sequence[HeldDialogue]) -> dict[Key, list[HeldDialogue]]:
    """The held dialogues of each progress row, oldest first."""
    rows: dict[Key, list[HeldDialogue]] = {}
    for dialogue in dialogues:
        for key in dialogue.counts_for:
            rows.setdefault(key, []).append(dialogue)
    return rows


def steps_done(progress: Progress | None, dialogues: Sequence[HeldDialogue]) -> int:
    """The DPRA steps taken (0-4), the risk dialogue done when recorded or held here."""
    recorded = progress.steps_done if progress is not None else 0
    if dialogues and (progress is None or progress.risk_dialogue_date is None):
        return recorded + 1
    return recorded
