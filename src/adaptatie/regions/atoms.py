"""Atoms: the pieces of each municipality inside each water board (the only atom builder).

Every region set is a union of atoms, so the profile of a region (its water-board shares) and the
stress-test statistics of every region set are sums over the atoms of one boundary year; no
region needs its own overlay or its own pass over a raster.
:meth:`adaptatie.regions.atlas.Atlas.atoms` keeps the atoms of a year on disk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd

OUTSIDE = "-"  # the water-board code of an atom outside every water board
MIN_AREA_M2 = 1.0  # smaller cut pieces are numerical dust


def build_atoms(gemeenten: gpd.GeoDataFrame, boards: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Municipality x water-board pieces (``id`` ``GM0014|WS17``, ``gemeente``, ``waterschap``,
    ``area`` in m², geometry in EPSG:28992), covering every municipality completely
    (``GM0014|-`` for a part outside every water board).

    Water boards overlap a little where their generalisations differ: each piece is cut from what
    is left of the municipality, so no area belongs to two atoms (the first board in the file
    wins).
    """
    import geopandas as gpd
    import shapely

    from adaptatie.io.boundaries import RD_NEW, polygonal_part

    tree = shapely.STRtree(boards.geometry.to_numpy())
    rows: list[tuple[str, str, str, shapely.Geometry]] = []
    for code, geom in zip(gemeenten["code"], gemeenten.geometry, strict=True):
        rest = geom
        for index in sorted(tree.query(geom, predicate="intersects")):
            piece = polygonal_part(shapely.intersection(rest, boards.geometry.iloc[index]))
            if piece.is_empty or piece.area < MIN_AREA_M2:
                continue
            ws = boards["code"].iloc[index]
            rows.append((f"{code}|{ws}", code, ws, piece))
            rest = shapely.difference(rest, piece)
        rest = polygonal_part(rest)
        if not rest.is_empty and rest.area >= MIN_AREA_M2:
            rows.append((f"{code}|{OUTSIDE}", code, OUTSIDE, rest))
    frame = gpd.GeoDataFrame(
        {
            "id": [r[0] for r in rows],
            "gemeente": [r[1] for r in rows],
            "waterschap": [r[2] for r in rows],
        },
        geometry=[r[3] for r in rows],
        crs=RD_NEW,
    )
    frame["area"] = frame.geometry.area
    return frame
