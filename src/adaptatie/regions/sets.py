"""Region sets: which atoms make up each region of a set, and the regions' names.

A region set is a kind of region (``gemeente``, ``cluster``, ...) or :data:`ATOM_SET`, the atoms
themselves (municipality x water board, :mod:`adaptatie.regions.atoms`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from adaptatie.errors import AdaptatieError
from adaptatie.regions.atoms import OUTSIDE
from adaptatie.regions.models import ATOM_SET, REGION_SETS, RegionKind

if TYPE_CHECKING:
    import geopandas as gpd

    from adaptatie.regions.atlas import Atlas

MIN_PIECE_SHARE = 0.01  # smallest municipality x water-board piece listed on its own


class RegionSetError(AdaptatieError, ValueError):
    """An unknown region set."""


def region_groups(
    atlas: Atlas, year: int, region_set: str, atom_frame: gpd.GeoDataFrame
) -> dict[str, list[str]]:
    """Which atoms make up each region of a set."""
    if region_set not in REGION_SETS:
        raise RegionSetError(
            f"Onbekende regioset '{region_set}'. Oplossing: kies uit {', '.join(REGION_SETS)}."
        )
    by_gemeente: dict[str, list[str]] = {}
    for atom_id, code in zip(atom_frame["id"], atom_frame["gemeente"], strict=True):
        by_gemeente.setdefault(code, []).append(atom_id)
    if region_set == ATOM_SET:
        # Pieces below 1 % of their municipality are mostly differences between the municipal
        # and water-board generalisations: they count in every other set, but are not listed.
        areas = atom_frame["area"]
        share = areas / areas.groupby(atom_frame["gemeente"]).transform("sum")
        keep = (share >= MIN_PIECE_SHARE) & (atom_frame["waterschap"] != OUTSIDE)
        return {a: [a] for a in atom_frame.loc[keep, "id"]}
    if region_set == "waterschap":
        wanted = set(atlas.waterschappen()["code"])
        groups: dict[str, list[str]] = {}
        for atom_id, ws in zip(atom_frame["id"], atom_frame["waterschap"], strict=True):
            if ws in wanted:
                groups.setdefault(ws, []).append(atom_id)
        return groups
    kind = RegionKind(region_set)
    return {
        region.id: [a for m in region.members for a in by_gemeente.get(m.code, [])]
        for region in atlas.regions(year, kind)
    }


def region_names(atlas: Atlas, year: int, region_set: str, ids: Sequence[str]) -> list[str]:
    if region_set == ATOM_SET:
        gemeenten = dict(
            zip(atlas.gemeenten(year)["code"], atlas.gemeenten(year)["name"], strict=True)
        )
        boards = atlas.source.waterschappen().frame
        board_names = dict(zip(boards["code"], boards["name"], strict=True))
        return [f"{gemeenten[i.split('|')[0]]} / {board_names[i.split('|')[1]]}" for i in ids]
    if region_set == "waterschap":
        boards = atlas.waterschappen()
        names = dict(zip(boards["code"], boards["name"], strict=True))
        return [names[i] for i in ids]
    names = {r.id: r.name for r in atlas.regions(year, RegionKind(region_set))}
    return [names[i] for i in ids]
