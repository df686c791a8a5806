"""What a region is made of: area, population and water-board shares (:class:`RegionProfile`).

Regions of whole municipalities take their water-board shares from the atoms
(:mod:`adaptatie.regions.atoms`); provinces and water boards are intersected directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adaptatie.regions.atoms import OUTSIDE
from adaptatie.regions.lineage import KM2
from adaptatie.regions.models import Population, Region, RegionKind, RegionProfile, WaterschapShare
from adaptatie.regions.population import population_for

if TYPE_CHECKING:
    from adaptatie.regions.atlas import Atlas

# Water boards: listed for a region when they cover at least this share of it. Smaller overlaps
# are mostly differences between the water-board and municipal generalisations.
MIN_WATERSCHAP_SHARE = 0.005
WATERSCHAP_POPULATION = Population(
    None,
    None,
    "",
    "Niet berekend: CBS telt inwoners per gemeente en gemeenten liggen deels in dit waterschap.",
)


def profile_of(atlas: Atlas, region: Region) -> RegionProfile:
    """The profile of ``region`` (use :meth:`Atlas.profile`, which stores it)."""
    import shapely

    source = atlas.source
    boards = source.waterschappen().frame
    board_names = dict(zip(boards["code"], boards["name"], strict=True))
    if region.kind in (RegionKind.PROVINCIE, RegionKind.WATERSCHAP):
        geometry = atlas.geometry(region)
        area = float(geometry.area)
        covered = dict(
            zip(
                boards["code"],
                shapely.area(shapely.intersection(boards.geometry.to_numpy(), geometry)),
                strict=True,
            )
        )
    else:
        frame = atlas.gemeenten(region.year)
        codes = {m.code for m in region.members}
        area = float(frame.geometry[frame["code"].isin(codes)].area.sum())
        atoms = atlas.atoms(region.year)
        inside = atoms[atoms["gemeente"].isin(codes) & (atoms["waterschap"] != OUTSIDE)]
        covered = {str(k): float(v) for k, v in inside.groupby("waterschap")["area"].sum().items()}
    shares = tuple(
        WaterschapShare(code, board_names[code], round(a / area, 4))
        for code, a in sorted(covered.items(), key=lambda t: -t[1])
        if area > 0 and a / area >= MIN_WATERSCHAP_SHARE
    )
    if region.kind is RegionKind.WATERSCHAP:
        population = WATERSCHAP_POPULATION
        boundary_source = source.waterschappen().source
    else:
        population = population_for(
            [m.code for m in region.members], region.year, source.population(), atlas.lineage
        )
        boundary_source = source.gemeenten(region.year).source
        if region.kind is RegionKind.PROVINCIE:
            boundary_source = source.provincies().source
    boundary_source = f"{boundary_source}; {source.origin}"
    return RegionProfile(region, area / KM2, population, shares, boundary_source)
