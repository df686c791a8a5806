"""When municipal changes took effect, from the boundary files of consecutive years.

A boundary file of year Y shows the municipalities of 1 January Y, so a change seen between the
files of two consecutive years took effect on 1 January of the later year (the CBS dates of the
mergers in the region: 1-1-2018, 1-1-2019, 1-1-2021). Years without a boundary file in between are
not visible: the change is then dated at the first year with a file after it.
"""

from __future__ import annotations

from itertools import pairwise

from adaptatie.regions.atlas import Atlas


def effective_years(atlas: Atlas, from_year: int, to_year: int) -> dict[str, tuple[int, ...]]:
    """For each municipality of ``to_year`` that changed since ``from_year``: the years (on
    1 January) in which its changes took effect, oldest first. Works in both time directions."""
    years = [y for y in atlas.years if min(from_year, to_year) <= y <= max(from_year, to_year)]
    years = years if to_year > from_year else years[::-1]
    found: dict[str, set[int]] = {}
    for before, after in pairwise(years):
        onward = atlas.lineage(after, to_year) if after != to_year else None
        for change in atlas.lineage(before, after).changes():
            code = onward.successor(change.to_code) if onward is not None else change.to_code
            found.setdefault(code, set()).add(max(before, after))
    return {code: tuple(sorted(years_of)) for code, years_of in found.items()}
