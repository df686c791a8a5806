"""Zones: checked ids and geometries, their pixel windows and the rule each one follows."""

from __future__ import annotations

import contextlib
import math
from typing import TYPE_CHECKING

import numpy as np
import shapely
from rasterio.transform import Affine

from adaptatie.zonal.results import ZonalInputError

if TYPE_CHECKING:
    import geopandas as gpd

THIN_WIDTH_PIXELS = 4.0  # zones narrower than this on average (2 * area / perimeter) are exact


def clean_geometry(geom: shapely.Geometry | None) -> shapely.Geometry:
    """The valid, 2-D, polygonal part of a geometry (an empty polygon for None)."""
    if geom is None or shapely.is_empty(geom):
        return shapely.Polygon()
    geom = shapely.force_2d(geom)
    if not shapely.is_valid(geom):
        geom = shapely.make_valid(geom)
    if shapely.get_type_id(geom) in (3, 6):
        return geom
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in (3, 6)]
    if not parts:
        return shapely.Polygon()
    return shapely.union_all(parts)


def zone_arrays(zones: gpd.GeoDataFrame) -> tuple[tuple[str, ...], np.ndarray]:
    """Checked ids and cleaned geometries (new objects: the caller's are left alone)."""
    if "id" not in zones.columns:
        raise ZonalInputError(
            f"De zones hebben geen kolom 'id' (wel: {list(zones.columns)}). Oplossing: voeg "
            "een kolom 'id' met een unieke naam per zone toe."
        )
    ids = tuple(zones["id"])
    bad = [i for i in ids if not isinstance(i, str) or not i]
    if bad:
        raise ZonalInputError(
            f"Zone-ids moeten niet-lege tekst zijn; ongeldig: {bad[:5]}. Oplossing: geef elke "
            "zone een naam als tekst."
        )
    if len(set(ids)) != len(ids):
        doubles = sorted({i for i in ids if ids.count(i) > 1})
        raise ZonalInputError(
            f"Zone-ids komen meer dan eens voor: {doubles[:5]}. Oplossing: maak de ids uniek."
        )
    geoms = np.asarray(zones.geometry.to_numpy(), dtype=object)
    present = ~shapely.is_missing(geoms)
    types = shapely.get_type_id(geoms[present])
    if np.any((types != 3) & (types != 6) & (types != 7)):
        raise ZonalInputError(
            "Zones moeten vlakken zijn (Polygon of MultiPolygon). Oplossing: geef geen punten "
            "of lijnen."
        )
    return ids, np.array([clean_geometry(g) for g in geoms], dtype=object)


def pixel_windows(
    geoms: np.ndarray, transform: Affine, height: int, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """Row and column ranges [start, stop) of each zone's bounds, clipped to the raster
    (floor of the start, ceil of the stop; (0, 0) for zones outside it)."""
    bounds = shapely.bounds(geoms)  # nan for empty geometries
    a, e, c, f = transform.a, transform.e, transform.c, transform.f
    with np.errstate(invalid="ignore"):
        col0 = np.floor((bounds[:, 0] - c) / a)
        col1 = np.ceil((bounds[:, 2] - c) / a)
        row0 = np.floor((bounds[:, 3] - f) / e)
        row1 = np.ceil((bounds[:, 1] - f) / e)
    empty = np.isnan(bounds).any(axis=1)
    rows = np.stack([np.clip(row0, 0, height), np.clip(row1, 0, height)], axis=1)
    cols = np.stack([np.clip(col0, 0, width), np.clip(col1, 0, width)], axis=1)
    rows[empty] = 0
    cols[empty] = 0
    rows = np.nan_to_num(rows).astype(np.int64)
    cols = np.nan_to_num(cols).astype(np.int64)
    void = (rows[:, 1] <= rows[:, 0]) | (cols[:, 1] <= cols[:, 0])
    rows[void] = 0
    cols[void] = 0
    return rows, cols


def choose_exact(
    geoms: np.ndarray, transform: Affine, height: int, width: int, exact_below_pixels: float
) -> np.ndarray:
    """Which zones get exact coverage fractions (the others follow the pixel-centre rule).

    ``exact_below_pixels`` 0 sends every zone to the centre rule, ``inf`` every zone to exact
    fractions. Otherwise a zone is exact when the part of it inside the raster is at most
    ``exact_below_pixels`` pixels, or when it is thin: on average narrower than
    :data:`THIN_WIDTH_PIXELS` pixels (2 * area / perimeter), so that most of its pixels are
    boundary pixels, which the centre rule gets wrong. The choice never changes which pixels
    are counted next to other zones: the engine gives every zone exact fractions on the pixels
    that an exact zone covers in part (see ``engine``).
    """
    n = len(geoms)
    if exact_below_pixels <= 0:
        return np.zeros(n, dtype=bool)
    if math.isinf(exact_below_pixels):
        return np.ones(n, dtype=bool)
    pixel = abs(transform.a * transform.e)
    extent = shapely.box(*_raster_bounds(transform, height, width))
    area = shapely.area(geoms)
    bounds = shapely.bounds(geoms)
    xmin, ymin, xmax, ymax = shapely.bounds(extent)
    with np.errstate(invalid="ignore"):
        sticks_out = (bounds[:, 0] < xmin) | (bounds[:, 1] < ymin)
        sticks_out |= (bounds[:, 2] > xmax) | (bounds[:, 3] > ymax)
    for i in np.flatnonzero(sticks_out):
        # On failure keep the whole area: the zone is then only less likely to be exact.
        with contextlib.suppress(shapely.errors.GEOSException):
            area[i] = shapely.area(shapely.intersection(geoms[i], extent))
    perimeter = shapely.length(geoms)
    side = math.sqrt(pixel)
    with np.errstate(invalid="ignore", divide="ignore"):
        thin = 2.0 * area / np.where(perimeter > 0, perimeter, np.inf) < THIN_WIDTH_PIXELS * side
    return (area <= exact_below_pixels * pixel) | thin


def _raster_bounds(transform: Affine, height: int, width: int) -> tuple[float, ...]:
    x0, y0 = transform.c, transform.f
    x1, y1 = x0 + width * transform.a, y0 + height * transform.e
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
