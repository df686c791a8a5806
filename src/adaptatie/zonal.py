"""Zonal statistics of one value raster over polygon zones: one streaming pass, mergeable partials.

What it computes
----------------
Per zone: the covered weight (valid plus nodata pixels), the valid weight, the weighted sum and the
maximum of the valid values, the weight per value class and the weight above each threshold. The
weights are in pixel units: 1 for a pixel counted whole, the coverage fraction for a pixel counted
in part. These :class:`Partials` add up: two strips or tiles of one raster are merged with
:meth:`Partials.merge`, zones are united into regions with :meth:`Partials.combine`, and
:func:`summary_table` turns them into means, maxima, areas and shares.

How
---
The raster is read once, in row strips of at most ``max_block_pixels`` pixels (at least one row).
For a file the strip height is a multiple of the block height, so each compressed block is
decoded once; a reader thread decodes up to two strips ahead, into a ring of reused buffers,
while the main thread aggregates. Only the windows that zones touch are read: within a strip,
zones more than a block apart in columns get windows of their own. Memory is bounded by a few
strips, whatever the raster size.

* Zones large relative to the pixel (area > ``exact_below_pixels`` pixels) follow the pixel-centre
  rule: a pixel belongs to the zone that contains its centre. Per strip, those zones are clipped
  to the strip and rasterized into a label array (``rasterio.features.rasterize``,
  ``all_touched=False``, in bands of rows). The label array is cut into runs of one label within
  one row; every statistic is reduced per run with ``np.add.reduceat`` / ``np.fmax.reduceat``,
  group of rows by group of rows (a group stays in the CPU cache), and the runs are summed per
  zone with ``np.bincount``. Runs are long, so this costs a few cheap passes per pixel; a
  per-pixel ``np.bincount`` with ``np.maximum.at`` is 10-20 times slower (bench/zonal.py).
* Zones small relative to the pixel use exact coverage fractions: area(pixel ∩ polygon) / pixel
  area, with vectorised shapely (``shapely.box``, ``shapely.intersection``) for the pixels near
  the boundary; pixels away from it are wholly inside or outside. These zones are not
  rasterized, so their pixels are not counted a second time by the centre rule.

Definitions
-----------
* Invalid pixels are those equal to the raster's nodata value and, for float rasters, NaN. They
  count in ``total`` (reported as nodata area) and nowhere else. Pixels outside the raster are not
  covered at all.
* Values are compared with class edges and thresholds in the raster's own precision: for a
  float32 raster the edge 0.15 is ``np.float32(0.15)``, so a stored 0.15 falls in the class
  starting at 0.15 and is not above the threshold 0.15. For integer rasters the comparison is exact.
* Class ``i`` holds ``edges[i] <= v < edges[i + 1]``; a last edge of ``inf`` includes ``inf``.
  Values outside ``[edges[0], edges[-1])`` belong to no class, so shares then sum to less than 100.
* Only band 1 is read, raw (scale and offset are not applied), from a north-up raster (no rotation).

Not included: reprojection (zones must be in the raster's CRS, EPSG:28992 in this project) and
overlapping zones (with the centre rule a pixel goes to one zone only).

GDAL's block cache does not speed this pass up (every block is used once), but GDAL fills it
up to GDAL_CACHEMAX, by default 5 % of the machine's memory (1.2 GB on 24 GB). Processes that
care about their memory should bound it, e.g. ``GDAL_CACHEMAX=64`` (MB) in the environment.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import rasterio
import shapely
from rasterio.features import rasterize
from rasterio.transform import Affine
from rasterio.windows import Window

from adaptatie.errors import AdaptatieError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "ClassScheme",
    "Partials",
    "ZonalInputError",
    "coverage_fractions",
    "summary_table",
    "threshold_column",
    "zonal_partials",
]

RasterSource = str | Path | tuple[np.ndarray, Affine, float | None]

_RUN_MAX = 65_535  # longest run; keeps per-run uint16 counts exact
_READ_AHEAD = 2  # strips read ahead by the reader thread
_GROUP_PIXELS = 1 << 19  # pixels per row group: 2 MiB of float32, stays in the CPU cache
_RASTERIZE_ROWS = 256  # rows per rasterize call
_DIRECT_PIXELS = 1024  # exact zones with windows up to this size skip the rasterize shortcut
_ROW_CLIP_VERTICES = 200  # exact zones with more vertices are clipped row by row first
_VALID = -1  # cut reference: "v >= -inf", i.e. every valid pixel
_NEVER = -2  # cut reference: no pixel


class ZonalInputError(AdaptatieError, ValueError):
    """The raster, the zones or the classes cannot be used for zonal statistics."""


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassScheme:
    """Value classes: class i holds edges[i] <= v < edges[i+1]; edges may start with -inf / end
    with inf (a last edge of inf includes inf itself)."""

    edges: tuple[float, ...]
    labels: tuple[str, ...]  # len(edges) - 1

    def __post_init__(self) -> None:
        edges = tuple(float(e) for e in self.edges)
        labels = tuple(str(label) for label in self.labels)
        object.__setattr__(self, "edges", edges)
        object.__setattr__(self, "labels", labels)
        if len(edges) < 2 or any(math.isnan(e) for e in edges):
            raise ZonalInputError(
                f"Klassengrenzen {edges} zijn ongeldig: geef minstens twee getallen (geen NaN)."
            )
        if any(b <= a for a, b in itertools.pairwise(edges)):
            raise ZonalInputError(
                f"Klassengrenzen {edges} lopen niet strikt op: sorteer ze van laag naar hoog."
            )
        if len(labels) != len(edges) - 1 or len(set(labels)) != len(labels):
            raise ZonalInputError(
                f"Klassennamen {labels} passen niet bij {len(edges)} grenzen: geef "
                f"{len(edges) - 1} verschillende namen."
            )


@dataclass(frozen=True, eq=False)
class Partials:
    """Mergeable per-zone aggregates. Weights are in pixel units (coverage-fraction weighted).

    The arrays are float64 copies, made read-only on construction.
    """

    zone_ids: tuple[str, ...]
    pixel_area_m2: float
    thresholds: tuple[float, ...]
    scheme: ClassScheme
    total: np.ndarray  # (n,) covered weight (valid + nodata)
    valid: np.ndarray  # (n,) weight of valid pixels
    value_sum: np.ndarray  # (n,) sum(weight * value) over valid pixels (float64)
    value_max: np.ndarray  # (n,) max value of valid pixels with weight > 0 (nan if none)
    class_weight: np.ndarray  # (n, k)
    above: np.ndarray  # (n, t) weight of valid pixels with value > threshold

    def __post_init__(self) -> None:
        object.__setattr__(self, "zone_ids", tuple(self.zone_ids))
        object.__setattr__(self, "thresholds", tuple(float(t) for t in self.thresholds))
        object.__setattr__(self, "pixel_area_m2", float(self.pixel_area_m2))
        n, k, t = len(self.zone_ids), len(self.scheme.labels), len(self.thresholds)
        shapes = {
            "total": (n,),
            "valid": (n,),
            "value_sum": (n,),
            "value_max": (n,),
            "class_weight": (n, k),
            "above": (n, t),
        }
        for name, shape in shapes.items():
            array = np.array(getattr(self, name), dtype=np.float64)
            if array.shape != shape:
                raise ValueError(f"Partials.{name} has shape {array.shape}, expected {shape}")
            array.flags.writeable = False
            object.__setattr__(self, name, array)

    def merge(self, other: Partials) -> Partials:
        """Aggregates of the same zones over two disjoint parts of one raster (strips, tiles)."""
        if (
            other.zone_ids != self.zone_ids
            or other.scheme != self.scheme
            or other.thresholds != self.thresholds
            or not math.isclose(other.pixel_area_m2, self.pixel_area_m2, rel_tol=1e-9)
        ):
            raise ZonalInputError(
                "Deelresultaten passen niet bij elkaar: samenvoegen kan alleen bij dezelfde "
                "zones, klassen, drempels en pixelgrootte."
            )
        return Partials(
            zone_ids=self.zone_ids,
            pixel_area_m2=self.pixel_area_m2,
            thresholds=self.thresholds,
            scheme=self.scheme,
            total=self.total + other.total,
            valid=self.valid + other.valid,
            value_sum=self.value_sum + other.value_sum,
            value_max=np.fmax(self.value_max, other.value_max),
            class_weight=self.class_weight + other.class_weight,
            above=self.above + other.above,
        )

    def combine(self, groups: Mapping[str, Sequence[str]]) -> Partials:
        """New zones that are unions of existing ones (e.g. regions made of atoms).

        ``groups`` maps each new id to its member ids; members must be distinct within a group
        and the members must not overlap (sums would count the overlap twice). A group may be
        empty (all zero, max nan).
        """
        index = {zone: i for i, zone in enumerate(self.zone_ids)}
        members: list[np.ndarray] = []
        for group, ids in groups.items():
            if isinstance(ids, str):
                raise ZonalInputError(
                    f"Groep {group!r}: geef de leden als lijst, niet als tekst {ids!r}."
                )
            unknown = [zone for zone in ids if zone not in index]
            if unknown:
                raise ZonalInputError(
                    f"Groep {group!r} noemt onbekende zones {unknown}; bekende zones zijn de "
                    "ids waarmee de deelresultaten berekend zijn."
                )
            if len(set(ids)) != len(ids):
                raise ZonalInputError(f"Groep {group!r} noemt een zone meer dan eens: {ids}.")
            members.append(np.array([index[zone] for zone in ids], dtype=np.intp))

        def summed(array: np.ndarray) -> np.ndarray:
            return np.array([array[m].sum(axis=0) for m in members]).reshape(
                (len(members), *array.shape[1:])
            )

        maxima = [np.fmax.reduce(self.value_max[m]) if m.size else np.nan for m in members]
        return Partials(
            zone_ids=tuple(str(group) for group in groups),
            pixel_area_m2=self.pixel_area_m2,
            thresholds=self.thresholds,
            scheme=self.scheme,
            total=summed(self.total),
            valid=summed(self.valid),
            value_sum=summed(self.value_sum),
            value_max=np.array(maxima, dtype=np.float64),
            class_weight=summed(self.class_weight),
            above=summed(self.above),
        )


def threshold_column(threshold: float) -> str:
    """Column name of a threshold in :func:`summary_table`, e.g. ``above_0.15_ha``."""
    return f"above_{threshold:g}_ha"


def summary_table(partials: Partials) -> pd.DataFrame:
    """One row per zone: ``zone_id``, ``mean`` (weighted, nan without valid pixels), ``max``,
    ``valid_area_ha``, ``nodata_area_ha``, ``area_ha`` (covered), ``share_<label>`` (percent of
    the valid area per class) and ``above_<threshold>_ha`` (area with value > threshold)."""
    p = partials
    ha = p.pixel_area_m2 / 10_000.0
    has_valid = p.valid > 0
    safe_valid = np.where(has_valid, p.valid, 1.0)
    columns: dict[str, object] = {
        "zone_id": list(p.zone_ids),
        "mean": np.where(has_valid, p.value_sum / safe_valid, np.nan),
        "max": np.where(has_valid, p.value_max, np.nan),
        "valid_area_ha": p.valid * ha,
        "nodata_area_ha": (p.total - p.valid) * ha,
        "area_ha": p.total * ha,
    }
    for i, label in enumerate(p.scheme.labels):
        share = 100.0 * p.class_weight[:, i] / safe_valid
        columns[f"share_{label}"] = np.where(has_valid, share, np.nan)
    for j, threshold in enumerate(p.thresholds):
        columns[threshold_column(threshold)] = p.above[:, j] * ha
    return pd.DataFrame(columns)


# --- raster sources ------------------------------------------------------------------------------


class _ArrayRaster:
    threaded = False
    block_shape = (1, 1)
    crs = None

    def __init__(self, array: np.ndarray, transform: Affine, nodata: float | None) -> None:
        if array.ndim != 2:
            raise ZonalInputError(
                f"Het raster heeft {array.ndim} dimensies; geef een 2-D array (één band)."
            )
        self.array = array
        self.height, self.width = array.shape
        self.transform = transform
        self.nodata = nodata
        self.dtype = array.dtype

    def read(self, row0: int, row1: int, col0: int, col1: int) -> tuple[np.ndarray, bool]:
        view = self.array[row0:row1, col0:col1]
        values = np.ascontiguousarray(view)  # the view itself when it is contiguous
        return values, values is not view

    def close(self) -> None:
        pass


class _FileRaster:
    threaded = True

    def __init__(self, path: Path) -> None:
        try:
            self.dataset = rasterio.open(path)
        except rasterio.errors.RasterioIOError as error:
            raise ZonalInputError(f"Raster {path} is niet te lezen: {error}") from error
        ds = self.dataset
        self.height, self.width = ds.height, ds.width
        self.transform = ds.transform
        self.nodata = ds.nodata
        self.dtype = np.dtype(ds.dtypes[0])
        height, width = ds.block_shapes[0]
        self.block_shape = (max(1, int(height)), max(1, int(width)))
        self.crs = ds.crs

    def read(
        self, row0: int, row1: int, col0: int, col1: int, out: np.ndarray | None = None
    ) -> tuple[np.ndarray, bool]:
        window = Window(col0, row0, col1 - col0, row1 - row0)
        return self.dataset.read(1, window=window, out=out), True

    def close(self) -> None:
        self.dataset.close()


_Raster = _ArrayRaster | _FileRaster


def _open_source(source: RasterSource) -> _Raster:
    if isinstance(source, tuple):
        array, transform, nodata = source
        return _ArrayRaster(np.asarray(array), transform, nodata)
    return _FileRaster(Path(source))


# --- cuts: class edges and thresholds as 'v >= c' tests in the raster's precision ---------------


@dataclass(frozen=True)
class _Cuts:
    work_dtype: np.dtype  # dtype the values are compared in (float32 or float64)
    values: tuple[np.generic, ...]  # distinct cut values c, each counted as weight(v >= c)
    edge_refs: tuple[int, ...]  # per class edge: index into values, or _VALID / _NEVER
    threshold_refs: tuple[int, ...]  # per threshold ("v > t"): index into values, or _VALID/_NEVER


def _work_dtype(dtype: np.dtype) -> np.dtype:
    if dtype.kind == "f":
        return np.dtype(np.float64) if dtype.itemsize > 4 else np.dtype(np.float32)
    if dtype.kind in "iu":
        return np.dtype(np.float32) if dtype.itemsize <= 2 else np.dtype(np.float64)
    raise ZonalInputError(
        f"Rastertype {dtype} wordt niet ondersteund: gebruik een geheel getal of float."
    )


def _as_dtype(value: float, dtype: np.dtype) -> np.generic:
    """``value`` rounded to ``dtype``; out-of-range values become +-inf without a warning."""
    with np.errstate(over="ignore"):
        return dtype.type(value)


def _make_cuts(
    raster_dtype: np.dtype, edges: Sequence[float], thresholds: Sequence[float]
) -> _Cuts:
    """Class edges and thresholds as ``v >= c`` tests, in the precision of the raster."""
    work = _work_dtype(raster_dtype)
    infinity = work.type(np.inf)
    # Each test is a reference (_VALID, _NEVER: Python ints) or a cut value (a numpy scalar).
    if raster_dtype.kind in "iu":
        info = np.iinfo(raster_dtype)

        def at_least(c: float) -> int | np.generic:
            if c == -math.inf or math.ceil(c) <= info.min:
                return _VALID
            if c == math.inf or math.ceil(c) > info.max:
                return _NEVER
            return work.type(math.ceil(c))

        def above(t: float) -> int | np.generic:
            if t in (-math.inf, math.inf):
                return _VALID if t < 0 else _NEVER
            return at_least(math.floor(t) + 1)

    else:

        def at_least(c: float) -> int | np.generic:
            cut = _as_dtype(c, work)
            return _VALID if cut == -infinity else cut

        def above(t: float) -> int | np.generic:
            if t == math.inf:
                return _NEVER
            return np.nextafter(_as_dtype(t, work), infinity)

    # An upper edge of inf includes inf in the last class.
    tests = [_NEVER if e == math.inf else at_least(e) for e in edges]
    tests += [above(t) for t in thresholds]
    values: list[np.generic] = []
    refs: list[int] = []
    for test in tests:
        if isinstance(test, int):
            refs.append(test)
            continue
        same = [i for i, value in enumerate(values) if value == test]
        if not same:
            values.append(test)
        refs.append(same[0] if same else len(values) - 1)
    return _Cuts(
        work_dtype=work,
        values=tuple(values),
        edge_refs=tuple(refs[: len(edges)]),
        threshold_refs=tuple(refs[len(edges) :]),
    )


# --- zones and windows ---------------------------------------------------------------------------


def _polygonal(geom: shapely.Geometry | None) -> shapely.Geometry:
    """The polygonal part of a geometry (empty polygon for None)."""
    if geom is None or shapely.is_empty(geom):
        return shapely.Polygon()
    if shapely.get_type_id(geom) in (3, 6):
        return geom
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in (3, 6)]
    if not parts:
        return shapely.Polygon()
    return shapely.union_all(parts)


def _zone_arrays(zones: gpd.GeoDataFrame) -> tuple[tuple[str, ...], np.ndarray]:
    if "id" not in zones.columns:
        raise ZonalInputError(
            f"De zones hebben geen kolom 'id' (wel: {list(zones.columns)}); voeg die toe."
        )
    ids = tuple(zones["id"])
    bad = [i for i in ids if not isinstance(i, str) or not i]
    if bad:
        raise ZonalInputError(f"Zone-ids moeten niet-lege tekst zijn; ongeldig: {bad[:5]}.")
    if len(set(ids)) != len(ids):
        doubles = sorted({i for i in ids if ids.count(i) > 1})
        raise ZonalInputError(f"Zone-ids komen meer dan eens voor: {doubles[:5]}.")
    geoms = np.asarray(zones.geometry.to_numpy(), dtype=object)
    present = ~shapely.is_missing(geoms)
    types = shapely.get_type_id(geoms[present])
    if np.any((types != 3) & (types != 6) & (types != 7)):
        raise ZonalInputError(
            "Zones moeten vlakken zijn (Polygon of MultiPolygon); geef geen punten of lijnen."
        )
    geoms = shapely.force_2d(geoms)  # new objects: preparing them leaves the caller's alone
    invalid = present & ~shapely.is_valid(geoms)
    if invalid.any():
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    return ids, np.array([_polygonal(g) for g in geoms], dtype=object)


def _pixel_windows(
    geoms: np.ndarray, transform: Affine, height: int, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """Row and column ranges [start, stop) of each zone's bounds, clipped to the raster.

    Floor of the start and ceil of the stop: rounding both (``Window.round_offsets()
    .round_lengths()``) can drop the last row or column.
    """
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


def coverage_fractions(
    geom: shapely.Geometry, transform: Affine, rows: tuple[int, int], cols: tuple[int, int]
) -> np.ndarray:
    """Fraction of each pixel of the window ``rows`` x ``cols`` covered by ``geom`` (0..1).

    Only pixels near the boundary get ``area(pixel ∩ geom) / pixel area`` (vectorised shapely);
    in larger windows the others are found by rasterizing: a pixel that the boundary does not
    touch, nor any of its eight neighbours, is wholly inside (centre inside) or wholly outside.
    ``geom`` is best prepared (``shapely.prepare``).
    """
    height, width = rows[1] - rows[0], cols[1] - cols[0]
    fractions = np.zeros((max(height, 0), max(width, 0)), dtype=np.float64)
    if fractions.size == 0 or shapely.is_empty(geom):
        return fractions
    if fractions.size <= _DIRECT_PIXELS:
        near = np.ones(fractions.shape, dtype=bool)
    else:
        window = transform * Affine.translation(cols[0], rows[0])
        shape = fractions.shape
        centres = rasterize([(geom, 1)], out_shape=shape, transform=window, dtype="uint8")
        fractions[:] = centres
        touched = rasterize(
            [(shapely.boundary(geom), 1)],
            out_shape=shape,
            transform=window,
            all_touched=True,
            dtype="uint8",
        ).astype(bool)
        near = touched.copy()  # dilate by one pixel, rows then columns
        near[1:] |= touched[:-1]
        near[:-1] |= touched[1:]
        spread = near.copy()
        near[:, 1:] |= spread[:, :-1]
        near[:, :-1] |= spread[:, 1:]
    row, col = np.nonzero(near)
    a, e = transform.a, transform.e
    xmin = transform.c + (cols[0] + col) * a
    ymax = transform.f + (rows[0] + row) * e
    boxes = shapely.box(xmin, ymax + e, xmin + a, ymax)
    inside = shapely.contains_properly(geom, boxes)
    cover = inside.astype(np.float64)
    edge = np.flatnonzero(~inside & shapely.intersects(geom, boxes))
    if edge.size:
        cover[edge] = np.minimum(_areas(geom, boxes[edge], row[edge]) / abs(a * e), 1.0)
    fractions[row, col] = cover
    return fractions


def _areas(geom: shapely.Geometry, boxes: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """area(box ∩ geom) per box; ``rows`` (sorted) is the pixel row of each box.

    An intersection costs time in proportion to the polygon's vertices. For a detailed
    polygon, first clip it to each pixel row, then intersect the row's boxes with that piece.
    """
    if shapely.get_num_coordinates(geom) <= _ROW_CLIP_VERTICES:
        return shapely.area(shapely.intersection(geom, boxes))
    areas = np.empty(boxes.size, dtype=np.float64)
    bounds = shapely.bounds(boxes)
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    for start, stop in zip(starts, np.r_[starts[1:], rows.size], strict=True):
        xmin, ymin = bounds[start:stop, 0].min(), bounds[start, 1]
        xmax, ymax = bounds[start:stop, 2].max(), bounds[start, 3]
        piece = shapely.clip_by_rect(geom, xmin, ymin, xmax, ymax)
        areas[start:stop] = shapely.area(shapely.intersection(piece, boxes[start:stop]))
    return areas


# --- the pass ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Strip:
    row0: int
    row1: int
    col0: int
    col1: int
    large: np.ndarray  # indices of centre-rule zones whose window meets the strip
    small: np.ndarray  # indices of exact zones whose window meets the strip


def _plan(
    rows: np.ndarray,
    cols: np.ndarray,
    is_small: np.ndarray,
    block_shape: tuple[int, int],
    max_block_pixels: int,
) -> list[_Strip]:
    """Windows to read: row strips aligned to the blocks; within a strip, one window per group
    of zones whose columns are less than a block (at least 256 pixels) apart, so that sparse
    zones do not make the whole width be decoded."""
    block_height, block_width = block_shape
    active = rows[:, 1] > rows[:, 0]
    if not active.any():
        return []
    row_lo, row_hi = int(rows[active, 0].min()), int(rows[active, 1].max())
    width = int(cols[active, 1].max() - cols[active, 0].min())
    per_strip = max(1, max_block_pixels // max(1, width))
    height = per_strip // block_height * block_height if per_strip >= block_height else per_strip
    start = row_lo // block_height * block_height if height % block_height == 0 else row_lo
    gap = max(block_width, 256)
    strips = []
    for top in range(start, row_hi, height):
        row0, row1 = max(top, row_lo), min(top + height, row_hi)
        meets = np.flatnonzero(active & (rows[:, 0] < row1) & (rows[:, 1] > row0))
        meets = meets[np.argsort(cols[meets, 0], kind="stable")]
        first = 0
        stop = -1
        for i, zone in enumerate(meets):
            if i > first and cols[zone, 0] > stop + gap:
                strips.append(_strip(row0, row1, meets[first:i], cols, is_small))
                first = i
            stop = cols[zone, 1] if i == first else max(stop, cols[zone, 1])
        if meets.size:
            strips.append(_strip(row0, row1, meets[first:], cols, is_small))
    return strips


def _strip(row0: int, row1: int, zones: np.ndarray, cols: np.ndarray, small: np.ndarray) -> _Strip:
    zones = np.sort(zones)
    return _Strip(
        row0=row0,
        row1=row1,
        col0=int(cols[zones, 0].min()),
        col1=int(cols[zones, 1].max()),
        large=zones[~small[zones]],
        small=zones[small[zones]],
    )


def _prefetch(raster: _Raster, strips: list[_Strip]) -> Iterator[tuple[_Strip, np.ndarray, bool]]:
    """Strips with their values. A file is read in a thread, _READ_AHEAD strips ahead, into a
    ring of reused buffers (fresh buffers per strip would cost a page fault per 4 KiB)."""
    if not raster.threaded or len(strips) < 2:
        for strip in strips:
            yield (strip, *raster.read(strip.row0, strip.row1, strip.col0, strip.col1))
        return
    size = max((s.row1 - s.row0) * (s.col1 - s.col0) for s in strips)
    ring = [np.empty(size, dtype=raster.dtype) for _ in range(_READ_AHEAD + 1)]

    def read(i: int) -> tuple[np.ndarray, bool]:
        strip = strips[i]
        shape = (strip.row1 - strip.row0, strip.col1 - strip.col0)
        out = ring[i % len(ring)][: shape[0] * shape[1]].reshape(shape)
        return raster.read(strip.row0, strip.row1, strip.col0, strip.col1, out=out)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="zonal-read") as pool:
        pending = deque(pool.submit(read, i) for i in range(min(_READ_AHEAD, len(strips))))
        for i, strip in enumerate(strips):
            values, owned = pending.popleft().result()
            if i + _READ_AHEAD < len(strips):
                # Its buffer is the one of strip i - 1, which is done with.
                pending.append(pool.submit(read, i + _READ_AHEAD))
            yield strip, values, owned


@dataclass
class _Runs:
    """Per-run results of one strip, collected over its row groups (only runs in a zone)."""

    slot: list[np.ndarray]  # 1 + position of the run's zone in the strip's zone list
    length: list[np.ndarray]
    valid: list[np.ndarray]
    maximum: list[np.ndarray]
    total: list[np.ndarray]  # sum of the valid values
    at_least: list[list[np.ndarray]]  # per cut


class _Accumulator:
    def __init__(self, n: int, cuts: _Cuts, nodata: float | None) -> None:
        self.cuts = cuts
        self.total = np.zeros(n)
        self.valid = np.zeros(n)
        self.value_sum = np.zeros(n)
        self.value_max = np.full(n, np.nan)
        self.at_least = np.zeros((n, len(cuts.values)))
        work = cuts.work_dtype
        self.nodata = None if nodata is None or math.isnan(nodata) else _as_dtype(nodata, work)

    def to_work(self, values: np.ndarray, owned: bool) -> tuple[np.ndarray, bool]:
        """Contiguous values in the work dtype, and whether they may be modified."""
        if values.dtype != self.cuts.work_dtype:
            return values.astype(self.cuts.work_dtype), True
        return values, owned

    def masks(self, values: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        """Invalid pixels (NaN or nodata) and nodata pixels; None where there are none."""
        invalid = None
        if values.dtype.kind == "f":
            nan = np.isnan(values)
            invalid = nan if nan.any() else None
        nodata = None
        if self.nodata is not None:
            equal = values == self.nodata
            if equal.any():
                nodata = equal
                invalid = equal if invalid is None else np.logical_or(invalid, equal, out=invalid)
        return invalid, nodata

    def add_exact(self, zone: int, values: np.ndarray, weights: np.ndarray) -> None:
        """Weighted aggregation of one zone's pixels."""
        covered = weights > 0
        if not covered.any():
            return
        w, v = weights[covered], values[covered]
        self.total[zone] += w.sum()
        invalid, _ = self.masks(v)
        if invalid is not None:
            w, v = w[~invalid], v[~invalid]
        if v.size == 0:
            return
        self.valid[zone] += w.sum()
        self.value_sum[zone] += float(np.dot(w, v.astype(np.float64)))
        self.value_max[zone] = np.fmax(self.value_max[zone], v.max())
        for j, cut in enumerate(self.cuts.values):
            self.at_least[zone, j] += w[v >= cut].sum()

    def add_runs(
        self, zones: np.ndarray, labels: np.ndarray, values: np.ndarray, owned: bool
    ) -> None:
        """Centre-rule aggregation of one strip; ``labels`` holds 1 + position in ``zones``.

        The strip is processed in groups of rows that fit in the CPU cache: a dozen passes over
        a group are then much cheaper than over the whole strip.
        """
        height, width = labels.shape
        step = max(1, _GROUP_PIXELS // width)
        runs = _Runs([], [], [], [], [], [[] for _ in self.cuts.values])
        mask = np.empty((step, width), dtype=bool)
        for row in range(0, height, step):
            group = slice(row, row + step)
            self._add_group(labels[group], values[group], owned, mask, runs)
        if not runs.slot:
            return
        slot = np.concatenate(runs.slot)
        m = len(zones) + 1

        def per_zone(per_run: list[np.ndarray]) -> np.ndarray:
            return np.bincount(slot, weights=np.concatenate(per_run), minlength=m)[1:]

        self.total[zones] += per_zone(runs.length)
        self.valid[zones] += per_zone(runs.valid)
        self.value_sum[zones] += per_zone(runs.total)
        for j, passed in enumerate(runs.at_least):
            self.at_least[zones, j] += per_zone(passed)
        zone_max = np.full(m, np.nan)
        np.fmax.at(zone_max, slot, np.concatenate(runs.maximum))
        self.value_max[zones] = np.fmax(self.value_max[zones], zone_max[1:])

    def _add_group(
        self, labels: np.ndarray, values: np.ndarray, owned: bool, mask: np.ndarray, runs: _Runs
    ) -> None:
        """Runs of one row group: invalid pixels keep their value for the comparisons (NaN
        passes no test; nodata pixels are taken off the tests they pass), and are set to 0
        for the sums."""
        width = labels.shape[1]
        flat = labels.ravel()
        breaks = flat[1:] != flat[:-1]
        breaks[width - 1 :: width] = True  # a run never crosses a row end
        if width > _RUN_MAX:
            breaks[_RUN_MAX - 1 :: _RUN_MAX] = True
        starts = np.flatnonzero(breaks)
        starts += 1
        starts = np.concatenate((np.zeros(1, dtype=starts.dtype), starts))
        slot = flat[starts].astype(np.intp)
        keep = slot > 0
        if not keep.any():
            return
        mask = mask[: labels.shape[0]]
        ones = mask.ravel().view(np.uint8)

        def per_run(pixels: np.ndarray) -> np.ndarray:
            return np.add.reduceat(pixels.ravel().view(np.uint8), starts, dtype=np.uint16)

        invalid, nodata = self.masks(values)
        length = np.diff(starts, append=flat.size)
        valid = length if invalid is None else length - per_run(invalid)
        nodata_runs = None if nodata is None else per_run(nodata)
        for j, cut in enumerate(self.cuts.values):
            np.greater_equal(values, cut, out=mask)
            passed = np.add.reduceat(ones, starts, dtype=np.uint16)
            if nodata_runs is not None and self.nodata >= cut:
                passed -= nodata_runs
            runs.at_least[j].append(passed[keep])

        flat_values = values.ravel()
        run_max = np.fmax.reduceat(flat_values, starts)  # NaN pixels are skipped
        if nodata is not None:
            # A run's max can be the nodata value only if no valid value exceeds it.
            suspect = np.flatnonzero((run_max == self.nodata) & (valid > 0) & keep)
            if suspect.size > 16:
                run_max = np.fmax.reduceat(np.where(invalid, np.nan, values).ravel(), starts)
            else:
                ends = np.append(starts[1:], flat.size)
                ok = ~invalid.ravel()
                for r in suspect:
                    run = slice(starts[r], ends[r])
                    run_max[r] = flat_values[run][ok[run]].max()
        run_max[valid == 0] = np.nan

        if invalid is not None:
            if owned:
                np.copyto(values, 0, where=invalid)
            else:
                values = np.where(invalid, 0, values)
        # Pairwise summation within a run (<= 65535 pixels), float64 across runs.
        run_sum = np.add.reduceat(values.ravel(), starts).astype(np.float64)

        runs.slot.append(slot[keep])
        runs.length.append(length[keep])
        runs.valid.append(valid[keep])
        runs.maximum.append(run_max[keep])
        runs.total.append(run_sum[keep])

    def partials(
        self, ids: tuple[str, ...], pixel_area: float, scheme: ClassScheme, thresholds: tuple
    ) -> Partials:
        def weight(ref: int) -> np.ndarray:
            if ref == _VALID:
                return self.valid
            if ref == _NEVER:
                return np.zeros_like(self.valid)
            return self.at_least[:, ref]

        refs = self.cuts.edge_refs
        classes = [
            np.maximum(weight(refs[i]) - weight(refs[i + 1]), 0.0) for i in range(len(refs) - 1)
        ]
        above = [weight(ref) for ref in self.cuts.threshold_refs]
        n = len(ids)
        return Partials(
            zone_ids=ids,
            pixel_area_m2=pixel_area,
            thresholds=thresholds,
            scheme=scheme,
            total=self.total,
            valid=self.valid,
            value_sum=self.value_sum,
            value_max=np.where(self.valid > 0, self.value_max, np.nan),
            class_weight=np.stack(classes, axis=1) if classes else np.zeros((n, 0)),
            above=np.stack(above, axis=1) if above else np.zeros((n, 0)),
        )


def _label_dtype(count: int) -> str:
    if count < 2**8:
        return "uint8"
    if count < 2**16:
        return "uint16"
    return "uint32"


def zonal_partials(
    source: RasterSource,
    zones: gpd.GeoDataFrame,
    scheme: ClassScheme,
    thresholds: Sequence[float] = (),
    *,
    exact_below_pixels: float = 10_000.0,
    max_block_pixels: int = 16_777_216,
) -> Partials:
    """Per-zone aggregates of band 1 of ``source`` in one streaming pass.

    ``source`` is a GeoTIFF path or ``(array, transform, nodata)``. ``zones`` has columns ``id``
    (unique text) and ``geometry`` (polygons, not overlapping), in the raster's CRS; zones are
    returned in their order. Zones of at most ``exact_below_pixels`` pixels get exact coverage
    fractions, larger ones the pixel-centre rule. A strip holds at most ``max_block_pixels``
    pixels (at least one row); strips lower than a row of blocks decode each block more than once
    unless GDAL's cache holds a row of blocks. Raises :class:`ZonalInputError` for unusable input.
    """
    thresholds = tuple(float(t) for t in thresholds)
    if any(math.isnan(t) for t in thresholds) or len(set(thresholds)) != len(thresholds):
        raise ZonalInputError(f"Drempels {thresholds} moeten verschillende getallen zijn.")
    if max_block_pixels < 1:
        raise ZonalInputError(f"max_block_pixels moet minstens 1 zijn, niet {max_block_pixels}.")
    ids, geoms = _zone_arrays(zones)
    # One GDAL environment for the whole pass (no options): rasterio would otherwise set one
    # up for every rasterize call.
    with rasterio.Env():
        raster = _open_source(source)
        try:
            return _zonal(
                raster, zones, ids, geoms, scheme, thresholds, exact_below_pixels, max_block_pixels
            )
        finally:
            raster.close()


def _zonal(
    raster: _Raster,
    zones: gpd.GeoDataFrame,
    ids: tuple[str, ...],
    geoms: np.ndarray,
    scheme: ClassScheme,
    thresholds: tuple[float, ...],
    exact_below_pixels: float,
    max_block_pixels: int,
) -> Partials:
    transform = raster.transform
    if not (transform.b == 0 and transform.d == 0 and transform.a > 0 and transform.e < 0):
        raise ZonalInputError(
            f"Het raster is niet noord-boven zonder rotatie ({tuple(transform)[:6]}); "
            "verschaal het eerst met gdalwarp."
        )
    crs = zones.crs
    if raster.crs is not None and crs is not None and not crs.equals(raster.crs.to_wkt()):
        raise ZonalInputError(
            f"De zones ({zones.crs.to_string()}) en het raster ({raster.crs}) hebben een "
            "ander coördinatenstelsel; projecteer de zones eerst naar dat van het raster."
        )
    pixel_area = abs(transform.a * transform.e)
    cuts = _make_cuts(raster.dtype, scheme.edges, thresholds)
    acc = _Accumulator(len(ids), cuts, raster.nodata)
    is_small = shapely.area(geoms) <= exact_below_pixels * pixel_area
    rows, cols = _pixel_windows(geoms, transform, raster.height, raster.width)
    for i in np.flatnonzero(is_small):
        shapely.prepare(geoms[i])
    strips = _plan(rows, cols, is_small, raster.block_shape, max_block_pixels)
    buffers: dict[str, np.ndarray] = {}

    def labels_buffer(size: int, dtype: str) -> np.ndarray:
        """One label buffer, reused from strip to strip."""
        if dtype not in buffers or buffers[dtype].size < size:
            buffers[dtype] = np.empty(size, dtype=dtype)
        return buffers[dtype]

    for strip, raw, owned in _prefetch(raster, strips):
        values, owned = acc.to_work(raw, owned)
        for zone in strip.small:
            r0, r1 = max(rows[zone, 0], strip.row0), min(rows[zone, 1], strip.row1)
            c0, c1 = cols[zone]
            weights = coverage_fractions(geoms[zone], transform, (r0, r1), (c0, c1))
            block = values[r0 - strip.row0 : r1 - strip.row0, c0 - strip.col0 : c1 - strip.col0]
            acc.add_exact(zone, block, weights)
        if strip.large.size:
            _centre_strip(acc, strip, geoms, transform, values, owned, labels_buffer)
    return acc.partials(ids, pixel_area, scheme, thresholds)


def _clipped_shapes(
    geoms: Sequence[shapely.Geometry], slots: Sequence[int], transform: Affine, shape: tuple
) -> list[tuple[shapely.Geometry, int]]:
    """(geometry, slot) pairs clipped to the window of ``transform`` and ``shape`` plus one
    pixel: GDAL then scans fewer edges per row, and the same pixel centres are inside."""
    height, width = shape
    a, e = transform.a, transform.e
    xmin, ymax = transform.c - a, transform.f - e
    xmax, ymin = transform.c + (width + 1) * a, transform.f + (height + 1) * e
    clipped = shapely.clip_by_rect(np.asarray(geoms, dtype=object), xmin, ymin, xmax, ymax)
    polygons = [(_polygonal(geom), slot) for geom, slot in zip(clipped, slots, strict=True)]
    return [(geom, slot) for geom, slot in polygons if not shapely.is_empty(geom)]


def _centre_strip(
    acc: _Accumulator,
    strip: _Strip,
    geoms: np.ndarray,
    transform: Affine,
    values: np.ndarray,
    owned: bool,
    labels_buffer: Callable[[int, str], np.ndarray],
) -> None:
    height, width = values.shape
    strip_transform = transform * Affine.translation(strip.col0, strip.row0)
    slots = range(1, len(strip.large) + 1)
    shapes = _clipped_shapes(geoms[strip.large], slots, strip_transform, values.shape)
    if not shapes:
        return
    labels = labels_buffer(height * width, _label_dtype(len(strip.large)))
    labels = labels[: height * width].reshape(height, width)
    labels.fill(0)
    # GDAL scans every edge of a polygon for every row: rasterize tall strips in bands.
    for top in range(0, height, _RASTERIZE_ROWS):
        band = labels[top : top + _RASTERIZE_ROWS]
        band_transform = strip_transform * Affine.translation(0, top)
        if height > _RASTERIZE_ROWS:
            geoms_in, slots_in = zip(*shapes, strict=True)
            band_shapes = _clipped_shapes(geoms_in, slots_in, band_transform, band.shape)
        else:
            band_shapes = shapes
        if band_shapes:
            rasterize(band_shapes, out=band, transform=band_transform, all_touched=False)
    acc.add_runs(strip.large, labels, values, owned)
