"""Raster values at objects: points, the façade of a footprint, and road lengths per pixel.

One streaming pass per call: the sample locations are sorted into row strips and each strip of
the raster that holds a location is read once (only the columns it needs), so the memory stays
bounded for any raster size. Invalid pixels (nodata, NaN, masked) and locations outside the
raster give NaN.

* Points: the value of the pixel that holds the point.
* Façade ("water tegen de gevel", Bijsluiter stresstest): the largest valid value along the
  outline of the footprint moved :data:`FACADE_BUFFER_M` outwards, sampled at most half a pixel
  apart (every corner included), so every pixel the outline crosses for at least half a pixel
  is seen.
* Lines: every segment is cut where it crosses a pixel edge, so each piece lies in one pixel;
  the piece's length counts for that pixel's value (exact lengths per class).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
import shapely
from rasterio.enums import MaskFlags
from rasterio.transform import Affine
from rasterio.windows import Window

FACADE_BUFFER_M = 2.0  # the façade zone around a footprint
STRIP_ROWS = 512
READ_THREADS = 2  # as the zonal engine's readers
FACADE_CHUNK = 1 << 15  # footprints whose façade points are made at a time


@dataclass(frozen=True)
class Samples:
    """Values (float64, NaN where invalid) and the raster's dtype (for class comparisons)."""

    values: np.ndarray
    dtype: np.dtype
    pixel_size_m: float


def raster_dtype(path: Path) -> tuple[np.dtype, float]:
    with rasterio.open(path) as src:
        return np.dtype(src.dtypes[0]), float(abs(src.transform.a))


@dataclass(frozen=True)
class _Grid:
    """What sampling needs of a raster: its pixel grid, dtype and how invalid pixels are marked."""

    path: Path
    transform: Affine
    height: int
    width: int
    dtype: np.dtype
    nodata: float | None
    plain: bool  # only a nodata value (or nothing) marks invalid pixels

    @property
    def pixel_size_m(self) -> float:
        return float(abs(self.transform.a))


def _grid(path: Path) -> _Grid:
    with rasterio.open(path) as src:
        t = src.transform
        # only a nodata value (or nothing) marks invalid pixels: compare the picked values alone
        plain = all(f in (MaskFlags.nodata, MaskFlags.all_valid) for f in src.mask_flag_enums[0])
        grid = _Grid(
            Path(path), t, src.height, src.width, np.dtype(src.dtypes[0]), src.nodata, plain
        )
    if t.b != 0 or t.d != 0 or t.e >= 0:
        raise ValueError("only north-up rasters are sampled")
    return grid


def _pixels(grid: _Grid, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of the pixel that holds each point (outside the raster: out of range)."""
    t = grid.transform
    cols = np.floor((xs - t.c) / t.a).astype(np.int64)
    rows = np.floor((ys - t.f) / t.e).astype(np.int64)
    return rows, cols


def _inside(grid: _Grid, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    return (rows >= 0) & (rows < grid.height) & (cols >= 0) & (cols < grid.width)


def sample_points(path: Path, xs: np.ndarray, ys: np.ndarray) -> Samples:
    """The pixel value under each point (RD New coordinates); strips read by two threads."""
    grid = _grid(path)
    rows, cols = _pixels(grid, np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64))
    out = np.full(rows.shape, np.nan)
    inside = _inside(grid, rows, cols)
    out[inside] = _pixel_values(grid, rows[inside], cols[inside])
    return Samples(out, grid.dtype, grid.pixel_size_m)


def _pixel_values(grid: _Grid, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The values (float64, NaN where invalid) of pixels inside the raster, in their order.

    The pixels are sorted into row strips; each strip that holds one is read once (only the
    columns it needs) by one of two threads, into a buffer the thread reuses (a fresh array
    per strip would cost a page fault per 4 KiB)."""
    out = np.empty(len(rows))
    height, dtype, nodata = grid.height, grid.dtype, grid.nodata
    strip = (rows // STRIP_ROWS).astype(np.int16)  # small ints: a radix sort
    index = np.argsort(strip, kind="stable")
    strips = -(-height // STRIP_ROWS)
    bounds = np.searchsorted(strip[index], np.arange(strips + 1))
    invalid_value = None if nodata is None else np.array(nodata).astype(dtype)

    def work(numbers: range) -> None:
        buffer = np.empty(0, dtype=dtype)
        with rasterio.open(grid.path) as src:  # one dataset per thread
            for number in numbers:
                chosen = index[bounds[number] : bounds[number + 1]]
                if not len(chosen):
                    continue
                start = number * STRIP_ROWS
                picked_c = cols[chosen]
                c0, c1 = int(picked_c.min()), int(picked_c.max()) + 1
                shape = (min(STRIP_ROWS, height - start), c1 - c0)
                window = Window(c0, start, shape[1], shape[0])
                flat = (rows[chosen] - start) * shape[1] + (picked_c - c0)
                if grid.plain:
                    if buffer.size < shape[0] * shape[1]:
                        buffer = np.empty(shape[0] * shape[1], dtype=dtype)
                    block = buffer[: shape[0] * shape[1]].reshape(shape)
                    raw = src.read(1, window=window, out=block).reshape(-1)[flat]
                    invalid = (
                        np.zeros(len(raw), dtype=bool)
                        if invalid_value is None
                        else (raw == invalid_value)
                    )
                else:
                    masked = src.read(1, window=window, masked=True)
                    raw = np.ma.getdata(masked).reshape(-1)[flat]
                    invalid = np.ma.getmaskarray(masked).reshape(-1)[flat]
                values = raw.astype(np.float64)
                values[invalid | np.isnan(values)] = np.nan
                out[chosen] = values

    with ThreadPoolExecutor(max_workers=READ_THREADS) as pool:
        for future in [
            pool.submit(work, range(i, strips, READ_THREADS)) for i in range(READ_THREADS)
        ]:
            future.result()
    return out


def facade_values(path: Path, footprints: np.ndarray) -> Samples:
    """The largest valid value in the façade zone of each footprint (NaN when none is valid)."""
    return facade_samples(path, footprints)[0]


def object_values(path: Path, geoms: np.ndarray) -> Samples:
    """The value under each point object and the façade value of each footprint (NaN when
    none is valid); the sample dtype is the raster's."""
    point = shapely.get_type_id(geoms) == 0
    values = np.full(len(geoms), np.nan)
    dtype, pixel = raster_dtype(path)
    if point.any():
        s = sample_points(path, shapely.get_x(geoms[point]), shapely.get_y(geoms[point]))
        values[point] = s.values
    if (~point).any():
        values[~point] = facade_values(path, geoms[~point]).values
    return Samples(values, dtype, pixel)


def facade_samples(path: Path, footprints: np.ndarray) -> tuple[Samples, np.ndarray, np.ndarray]:
    """:func:`facade_values` plus a point per footprint (the mean of its outer vertices) that
    locates it in a region.

    The façade points are made :data:`FACADE_CHUNK` footprints at a time and only their pixels
    are kept: a point in the same pixel as the one before it on the same footprint, or outside
    the raster, adds nothing to the largest value."""
    grid = _grid(path)
    footprints = np.asarray(footprints, dtype=object)
    n = len(footprints)
    centre_x, centre_y = np.empty(n), np.empty(n)
    rows_of, cols_of, owners_of = ([np.empty(0, np.int64)] for _ in range(3))
    for start in range(0, n, FACADE_CHUNK):
        chunk = footprints[start : start + FACADE_CHUNK]
        ring = facade_points(chunk, FACADE_BUFFER_M, grid.pixel_size_m / 2.0)
        centre_x[start : start + len(chunk)] = ring.centre_x
        centre_y[start : start + len(chunk)] = ring.centre_y
        rows, cols = _pixels(grid, ring.x, ring.y)
        keep = _inside(grid, rows, cols)
        keep[1:] &= (
            (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1]) | (ring.owner[1:] != ring.owner[:-1])
        )
        rows_of.append(rows[keep])
        cols_of.append(cols[keep])
        owners_of.append(ring.owner[keep] + start)
    rows, cols, owner = (np.concatenate(a) for a in (rows_of, cols_of, owners_of))
    result = np.full(n, np.nan)
    np.fmax.at(result, owner, _pixel_values(grid, rows, cols))
    return Samples(result, grid.dtype, grid.pixel_size_m), centre_x, centre_y


@dataclass(frozen=True)
class FacadePoints:
    x: np.ndarray
    y: np.ndarray
    owner: np.ndarray  # footprint index of each point
    centre_x: np.ndarray  # per footprint: mean of its outer vertices (NaN when empty)
    centre_y: np.ndarray


def facade_points(footprints: np.ndarray, distance: float, spacing: float) -> FacadePoints:
    """Points along the outer ring of every footprint moved ``distance`` outwards (mitred
    corners, at most ``2 * distance`` from the corner), at most ``spacing`` apart, every
    corner included. Plain numpy on the ring coordinates (a GEOS buffer of every footprint
    costs several times more); inner rings (courtyards) are left out.
    """
    footprints = np.asarray(footprints, dtype=object)
    n = len(footprints)
    simple = (shapely.get_type_id(footprints) == 3) & (
        shapely.get_num_interior_rings(footprints) == 0
    )
    if simple.all():
        rings, ring_owner = footprints, np.arange(n)
    else:
        parts, part_owner = shapely.get_parts(footprints[~simple], return_index=True)
        rings = np.concatenate([footprints[simple], shapely.get_exterior_ring(parts)])
        ring_owner = np.concatenate([np.flatnonzero(simple), np.flatnonzero(~simple)[part_owner]])
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    x, y = coords[:, 0], coords[:, 1]
    same = ring[1:] == ring[:-1]
    cross = x[:-1] * y[1:] - x[1:] * y[:-1]  # shoelace: orientation per ring
    ccw = np.bincount(ring[:-1][same], cross[same], minlength=len(rings)) > 0
    keep = np.r_[same, False]  # drop the closing vertex (it repeats the first)
    x, y, ring = x[keep], y[keep], ring[keep]
    owner = ring_owner[ring]
    count = np.bincount(owner, minlength=n).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre_x = np.bincount(owner, x, minlength=n) / count
        centre_y = np.bincount(owner, y, minlength=n) / count
    if not len(x):
        empty = np.empty(0)
        return FacadePoints(empty, empty, np.empty(0, dtype=np.int64), centre_x, centre_y)
    starts = np.flatnonzero(np.r_[True, ring[1:] != ring[:-1]])
    ends = np.r_[starts[1:], len(ring)] - 1
    nxt = np.arange(1, len(ring) + 1)
    nxt[ends] = starts
    prv = np.arange(-1, len(ring) - 1)
    prv[starts] = ends
    side = np.where(ccw[ring], 1.0, -1.0)  # outward = right of travel on a CCW ring
    # unit outward normals of the edge into and out of every vertex
    ex, ey = x - x[prv], y - y[prv]
    length = np.hypot(ex, ey)
    ok = length > 0
    nx_in = np.divide(ey, length, out=np.zeros_like(ex), where=ok) * side
    ny_in = np.divide(-ex, length, out=np.zeros_like(ex), where=ok) * side
    nx_out, ny_out = nx_in[nxt], ny_in[nxt]
    ok_out = ok[nxt]
    nx_in, ny_in = np.where(ok, nx_in, nx_out), np.where(ok, ny_in, ny_out)
    nx_out, ny_out = np.where(ok_out, nx_out, nx_in), np.where(ok_out, ny_out, ny_in)
    scale = distance / np.maximum(1.0 + nx_in * nx_out + ny_in * ny_out, 0.5)  # |mitre| <= 2d
    qx, qy = x + scale * (nx_in + nx_out), y + scale * (ny_in + ny_out)
    dx, dy = qx[nxt] - qx, qy[nxt] - qy
    pieces = np.maximum(np.ceil(np.hypot(dx, dy) / spacing), 1).astype(np.int64)
    edge = np.repeat(np.arange(len(qx)), pieces)
    t = (np.arange(len(edge)) - np.repeat(np.cumsum(pieces) - pieces, pieces)) / pieces[edge]
    return FacadePoints(
        qx[edge] + t * dx[edge], qy[edge] + t * dy[edge], owner[edge], centre_x, centre_y
    )


@dataclass(frozen=True)
class Pieces:
    """Pieces of lines, each inside one pixel: owning line, length (m), midpoint, value."""

    line: np.ndarray
    length: np.ndarray
    x: np.ndarray
    y: np.ndarray
    samples: Samples


def line_pieces(path: Path, lines: np.ndarray) -> Pieces:
    """Cut every line at the pixel edges of the raster and sample each piece at its middle."""
    with rasterio.open(path) as src:
        t = src.transform
    parts, owner = shapely.get_parts(lines, return_index=True)
    coords, part = shapely.get_coordinates(parts, return_index=True)
    same = part[1:] == part[:-1]
    seg_line = owner[part[:-1][same]]
    x0, y0 = coords[:-1][same].T
    x1, y1 = coords[1:][same].T
    c0, c1 = (x0 - t.c) / t.a, (x1 - t.c) / t.a  # pixel units, fractional
    r0, r1 = (y0 - t.f) / t.e, (y1 - t.f) / t.e
    n = len(x0)
    seg_ids = [np.arange(n), np.arange(n)]
    params = [np.zeros(n), np.ones(n)]
    for a, b in ((c0, c1), (r0, r1)):
        first = np.floor(np.minimum(a, b)) + 1
        last = np.ceil(np.maximum(a, b)) - 1
        count = np.maximum(last - first + 1, 0).astype(np.int64)
        seg = np.repeat(np.arange(n), count)
        offsets = np.cumsum(count) - count
        k = first[seg] + (np.arange(count.sum()) - offsets[seg])
        delta = (b - a)[seg]
        seg_ids.append(seg)
        params.append((k - a[seg]) / np.where(delta == 0, 1.0, delta))
    seg_all = np.concatenate(seg_ids)
    t_all = np.concatenate(params)
    order = np.lexsort((t_all, seg_all))
    seg_all, t_all = seg_all[order], t_all[order]
    keep = (seg_all[1:] == seg_all[:-1]) & (t_all[1:] > t_all[:-1])
    seg = seg_all[:-1][keep]
    ta, tb = t_all[:-1][keep], t_all[1:][keep]
    seg_length = np.hypot(x1 - x0, y1 - y0)
    mid = (ta + tb) / 2.0
    xs = x0[seg] + mid * (x1 - x0)[seg]
    ys = y0[seg] + mid * (y1 - y0)[seg]
    samples = sample_points(path, xs, ys)
    return Pieces(seg_line[seg], (tb - ta) * seg_length[seg], xs, ys, samples)
