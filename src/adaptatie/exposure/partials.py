"""Object counts and lengths as the zonal engine's mergeable partials, per atom.

An object layer's exposure is kept in :class:`adaptatie.zonal.Partials` with the atoms as zones
and the object (or metre of road, or dwelling) as the unit of weight instead of the pixel:
``total`` is the number of objects of the atom, ``valid`` those with a valid raster value,
``class_weight`` the number per value class, ``above`` the number above each threshold,
``value_sum``/``value_max`` the weighted sum and maximum of the values. ``pixel_area_m2`` is 1
(the weights are not areas). So :meth:`Partials.combine` with
:func:`adaptatie.regions.sets.region_groups` gives every region set (municipalities, clusters,
cooperations, werkregio's, water boards), and :meth:`Partials.merge` adds tiles of a mosaic,
exactly as for stress-test statistics.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import shapely

from adaptatie.zonal import ClassScheme, Partials

if TYPE_CHECKING:
    import geopandas as gpd

OUTSIDE_ATOMS = -1


def atom_index(points: np.ndarray, atoms: gpd.GeoDataFrame) -> np.ndarray:
    """For each point the row of the atom that holds it (lowest row on a shared edge), or -1."""
    return atom_index_xy(shapely.get_x(points), shapely.get_y(points), atoms)


def atom_index_xy(xs: np.ndarray, ys: np.ndarray, atoms: gpd.GeoDataFrame) -> np.ndarray:
    """:func:`atom_index` for coordinates: per atom a bounding-box filter, then the prepared
    polygon's ``intersects_xy`` (atoms do not overlap, so the first hit is the only one). The
    points are sorted by x once, so each atom's filter looks only at the points in its x range."""
    order = np.argsort(np.asarray(xs, dtype=np.float64), kind="stable")
    xs, ys = np.asarray(xs, dtype=np.float64)[order], np.asarray(ys, dtype=np.float64)[order]
    found = np.full(len(xs), OUTSIDE_ATOMS, dtype=np.int64)  # in the order of x
    for row, geom in enumerate(atoms.geometry.to_numpy()):
        minx, miny, maxx, maxy = geom.bounds
        lo = int(np.searchsorted(xs, minx, side="left"))  # first x >= minx
        hi = int(np.searchsorted(xs, maxx, side="right"))  # first x > maxx
        y = ys[lo:hi]
        todo = lo + np.flatnonzero((found[lo:hi] < 0) & (y >= miny) & (y <= maxy))
        if not len(todo):
            continue
        shapely.prepare(geom)
        hit = shapely.intersects_xy(geom, xs[todo], ys[todo])
        found[todo[hit]] = row
    result = np.empty_like(found)
    result[order] = found
    return result


def class_index(values: np.ndarray, scheme: ClassScheme, dtype: np.dtype) -> np.ndarray:
    """Class of each value (-1 for NaN or outside the edges), compared in the raster's dtype
    exactly like the zonal engine (class i holds edges[i] <= v < edges[i + 1])."""
    kind = dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)
    edges = np.array(scheme.edges, dtype=kind)
    v = values.astype(kind)
    index = np.searchsorted(edges, v, side="right") - 1
    last = len(edges) - 1
    index[(v == edges[-1]) & np.isinf(edges[-1])] = last - 1
    index[(index < 0) | (index >= last) | np.isnan(v)] = -1
    return index


def object_partials(
    zone: np.ndarray,
    values: np.ndarray,
    weights: np.ndarray,
    zone_ids: Sequence[str],
    scheme: ClassScheme,
    thresholds: Sequence[float],
    dtype: np.dtype,
) -> Partials:
    """Partials of objects: ``zone`` is each object's atom row (-1: outside every atom, left
    out), ``values`` its raster value (NaN: invalid), ``weights`` what it counts for."""
    return weighted_partials(zone, values, {"": weights}, zone_ids, scheme, thresholds, dtype)[""]


def weighted_partials(
    zone: np.ndarray,
    values: np.ndarray,
    weights: Mapping[str, np.ndarray],
    zone_ids: Sequence[str],
    scheme: ClassScheme,
    thresholds: Sequence[float],
    dtype: np.dtype,
) -> dict[str, Partials]:
    """:func:`object_partials` of the same objects for several weights (e.g. buildings,
    dwellings, vulnerable uses), by name; the classes and thresholds are found once."""
    n, k = len(zone_ids), len(scheme.labels)
    inside = zone >= 0
    zone, values = zone[inside], values[inside]
    valid = ~np.isnan(values)
    zone_valid, values_valid = zone[valid], values[valid]
    classes = class_index(values, scheme, dtype)
    has_class = classes >= 0
    cell = zone[has_class] * k + classes[has_class]  # (atom, class), row by row
    kind = dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)
    hits = [
        valid & (values.astype(kind) > np.array(threshold, dtype=kind)) for threshold in thresholds
    ]
    found = {}
    for name, weight in weights.items():
        w = weight[inside].astype(np.float64)
        w_valid = w[valid]
        value_max = np.full(n, np.nan)
        counted = w_valid > 0
        np.fmax.at(value_max, zone_valid[counted], values_valid[counted])
        above = np.zeros((n, len(thresholds)))
        for j, hit in enumerate(hits):
            above[:, j] = np.bincount(zone[hit], w[hit], minlength=n)
        found[name] = Partials(
            zone_ids=tuple(zone_ids),
            pixel_area_m2=1.0,
            thresholds=tuple(thresholds),
            scheme=scheme,
            total=np.bincount(zone, w, minlength=n),
            valid=np.bincount(zone_valid, w_valid, minlength=n),
            value_sum=np.bincount(zone_valid, w_valid * values_valid, minlength=n),
            value_max=value_max,
            class_weight=np.bincount(cell, w[has_class], minlength=n * k).reshape(n, k),
            above=above,
        )
    return found
