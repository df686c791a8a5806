"""Road polygons (BGT wegdelen): the exact road area per class of a stress-test layer, per atom.

Where NWB lines give road *length* per class (:func:`adaptatie.exposure.sampling.line_pieces`),
BGT wegdelen are polygons and give road *area* (m²). Every wegdeel is first cut at the atom
boundaries (a wegdeel that crosses a municipal or water-board boundary counts for both sides
with its own part), then the zonal engine gives each piece its exact coverage fraction of every
pixel (``exact_below_pixels=inf``: no pixel-centre rule, so a 3 m wide cycle path on 25 m
pixels is measured as exactly as a motorway). The weights are then square metres:

* ``total``: the area of the pieces (also where the raster has no value or does not reach);
* ``valid``, ``class_weight``, ``above``: the area on valid pixels, per class, above each
  threshold (the zonal engine's pixel weights times the pixel area);
* ``value_sum``/``value_max``: the area-weighted sum and the maximum of the values.

So "geen gegevens" (``total - valid``) is road area on nodata or outside the raster.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import shapely

from adaptatie.io.analysis import GDAL_CACHE_MB
from adaptatie.zonal import ClassScheme, Partials, zonal_partials

RD_NEW = "EPSG:28992"


def cut_by_atoms(geoms: np.ndarray, atoms: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Polygon pieces that each lie in one atom and the row of that atom. A polygon inside an
    atom stays whole; one that crosses a boundary is cut; parts outside every atom and pieces
    without area (a road that only touches an atom) are left out."""
    geoms = np.asarray(geoms, dtype=object)
    tree = shapely.STRtree(geoms)
    pieces: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    for row, atom in enumerate(atoms.geometry.to_numpy()):
        candidates = tree.query(atom)  # bounding boxes meet
        if not len(candidates):
            continue
        shapely.prepare(atom)
        chosen = geoms[candidates]
        inside = shapely.contains_properly(atom, chosen)
        crossing = ~inside & shapely.intersects(atom, chosen)
        found = np.concatenate([chosen[inside], shapely.intersection(chosen[crossing], atom)])
        parts = shapely.get_parts(found)  # multipolygons and collections into their parts
        keep = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 0)
        pieces.append(parts[keep])
        owners.append(np.full(int(keep.sum()), row, dtype=np.int64))
    if not pieces:
        return np.empty(0, dtype=object), np.empty(0, dtype=np.int64)
    return np.concatenate(pieces), np.concatenate(owners)


def road_area_partials(
    raster: Path,
    roads: np.ndarray,
    atoms: gpd.GeoDataFrame,
    scheme: ClassScheme,
    thresholds: Sequence[float],
) -> Partials:
    """Per-atom partials of road polygons with square metres as the weight (see the module)."""
    pieces, atom = cut_by_atoms(roads, atoms)
    n, k, t = len(atoms), len(scheme.labels), len(thresholds)
    ids = tuple(atoms["id"])
    if not len(pieces):
        return Partials(
            zone_ids=ids,
            pixel_area_m2=1.0,
            thresholds=tuple(thresholds),
            scheme=scheme,
            total=np.zeros(n),
            valid=np.zeros(n),
            value_sum=np.zeros(n),
            value_max=np.full(n, np.nan),
            class_weight=np.zeros((n, k)),
            above=np.zeros((n, t)),
        )
    zones = gpd.GeoDataFrame(
        {"id": [str(i) for i in range(len(pieces))]}, geometry=pieces, crs=RD_NEW
    )
    with rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB):
        per_piece = zonal_partials(raster, zones, scheme, thresholds, exact_below_pixels=math.inf)
    m2 = per_piece.pixel_area_m2

    def per_atom(values: np.ndarray) -> np.ndarray:
        out = np.zeros((n, *values.shape[1:]))
        np.add.at(out, atom, values)
        return out

    value_max = np.full(n, np.nan)
    np.fmax.at(value_max, atom, per_piece.value_max)
    return Partials(
        zone_ids=ids,
        pixel_area_m2=1.0,
        thresholds=tuple(thresholds),
        scheme=scheme,
        total=per_atom(shapely.area(pieces)),
        valid=per_atom(per_piece.valid * m2),
        value_sum=per_atom(per_piece.value_sum * m2),
        value_max=value_max,
        class_weight=per_atom(per_piece.class_weight * m2),
        above=per_atom(per_piece.above * m2),
    )
