"""Regions of one boundary year from their definitions and from the province and water-board layers.

A definition names the municipalities of its own boundary year; :func:`resolve_definition` maps
them to another year through the lineage (a municipality belongs where most of its area came
from) and says in Dutch what moved. Use :meth:`adaptatie.regions.atlas.Atlas.regions`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adaptatie import fmt
from adaptatie.regions.lineage import KM2
from adaptatie.regions.models import Member, Region, RegionDefinition, RegionKind

if TYPE_CHECKING:
    import geopandas as gpd

    from adaptatie.regions.atlas import Atlas


def layer_regions(
    atlas: Atlas, year: int, kind: RegionKind, layer: gpd.GeoDataFrame, nested: bool
) -> tuple[Region, ...]:
    """Provinces (municipalities nest in them) and water boards (they do not)."""
    from adaptatie.regions.overlap import overlap_table

    gemeenten = atlas.gemeenten(year)
    names = dict(zip(gemeenten["code"], gemeenten["name"], strict=True))
    table = overlap_table(gemeenten, layer)
    if nested:
        # Provinces and municipalities share boundaries; differences are generalisation.
        significant = table[table["left_share"] >= atlas.threshold]
        totals = significant.groupby("left")["area"].sum()
        shares = significant.assign(share=significant["area"] / significant["left"].map(totals))
        shares = shares[shares["share"] > 0.5]
    else:
        shares = table.assign(share=table["left_share"])
        shares = shares[shares["share"] >= 0.01]
    source = atlas.source.provincies() if nested else atlas.source.waterschappen()
    out = []
    for code, name in zip(layer["code"], layer["name"], strict=True):
        rows = shares[shares["right"] == code].sort_values("left")
        members = tuple(
            Member(c, names[c], round(float(s), 4))
            for c, s in zip(rows["left"], rows["share"], strict=True)
        )
        notes = ()
        if not nested:
            notes = (
                "Gemeenten liggen deels in dit waterschap; het aandeel per gemeente staat bij "
                "de leden (gemeenten met minder dan 1 % in het waterschap zijn weggelaten).",
            )
        out.append(Region(code, kind, name, year, members, None, source.source, notes))
    return tuple(out)


def resolve_definition(atlas: Atlas, definition: RegionDefinition, year: int) -> Region:
    """Resolve a definition to the municipalities of ``year``."""
    frame = atlas.gemeenten(year)
    names = dict(zip(frame["code"], frame["name"], strict=True))
    common = {
        "id": definition.id,
        "kind": definition.kind,
        "name": definition.name,
        "year": year,
        "definition_year": definition.boundary_year,
        "source": definition.source,
        "parent": definition.parent,
        "aliases": definition.aliases,
    }
    if year == definition.boundary_year:
        members = tuple(Member(c, names[c], 1.0) for c in definition.members)
        return Region(members=members, **common)

    lineage = atlas.lineage(definition.boundary_year, year)
    wanted = frozenset(definition.members)
    old_names = lineage.from_names
    members: list[Member] = []
    notes: list[str] = []
    for code in sorted(names):
        share = lineage.share_from(code, wanted)
        if share > 0.5:
            members.append(Member(code, names[code], round(share, 4)))
    assigned = {m.code for m in members}
    for row in lineage.pairs.itertuples(index=False):
        inside, target_in = row.left in wanted, row.right in assigned
        share, area = fmt.percent(row.left_share, 0), fmt.area_km2(row.area / KM2)
        if inside and not target_in:
            notes.append(
                f"{share} van {old_names[row.left]} ({row.left}, "
                f"{definition.boundary_year}), {area}, ligt in {year} in "
                f"{names[row.right]} ({row.right}); die gemeente komt grotendeels van "
                "buiten deze regio en is daar ingedeeld."
            )
        elif target_in and not inside:
            notes.append(
                f"{names[row.right]} ({row.right}) kreeg ook {share} van "
                f"{old_names[row.left]} ({row.left}, {definition.boundary_year}), "
                f"{area}, van buiten deze regio; ingedeeld waar het grootste "
                "deel vandaan kwam."
            )
    if not members:
        notes.append(
            f"Geen enkele gemeente van {year} ligt grotendeels binnen deze regio zoals "
            f"gedefinieerd voor {definition.boundary_year}."
        )
    return Region(members=tuple(members), notes=tuple(notes), **common)
