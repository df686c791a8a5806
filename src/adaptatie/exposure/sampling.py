"""Raster values at objects: points, the façade of a footprint, and road lengths per pixel.

One streaming pass per call: the sample locations are sorted into row strips and each strip of
the raster that holds a location is read once (only the columns it needs), so the memory stays
bounded for any raster size. Invalid pixels (nodata, NaN, masked) and locations outside the
raster give NaN.

* Points: the value of the pixel that holds the point.
* Façade ("water tegen de gevel", Bijsluiter stresstest): the largest valid value along the
  outline of the footprint grown by :data:`FACADE_BUFFER_M`, sampled at most half a pixel apart
  (every vertex included), so every pixel the outline crosses for at least half a pixel is seen.
* Lines: every segment is cut where it crosses a pixel edge, so each piece lies in one pixel;
  the piece's length counts for that pixel's value (exact lengths per class).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
import shapely
from rasterio.windows import Window

FACADE_BUFFER_M = 2.0  # the façade zone around a footprint
STRIP_ROWS = 512


@dataclass(frozen=True)
class Samples:
    """Values (float64, NaN where invalid) and the raster's dtype (for class comparisons)."""

    values: np.ndarray
    dtype: np.dtype
    pixel_size_m: float


def raster_dtype(path: Path) -> tuple[np.dtype, float]:
    with rasterio.open(path) as src:
        return np.dtype(src.dtypes[0]), float(abs(src.transform.a))


def sample_points(path: Path, xs: np.ndarray, ys: np.ndarray) -> Samples:
    """The pixel value under each point (RD New coordinates)."""
    xs = np.asarray(xs, dtype=np.float64)
    ys = np.asarray(ys, dtype=np.float64)
    out = np.full(xs.shape, np.nan)
    with rasterio.open(path) as src:
        t = src.transform
        if t.b != 0 or t.d != 0 or t.e >= 0:
            raise ValueError("only north-up rasters are sampled")
        cols = np.floor((xs - t.c) / t.a).astype(np.int64)
        rows = np.floor((ys - t.f) / t.e).astype(np.int64)
        inside = (rows >= 0) & (rows < src.height) & (cols >= 0) & (cols < src.width)
        index = np.flatnonzero(inside)
        index = index[np.argsort(rows[index], kind="stable")]
        sorted_rows = rows[index]
        for start in range(0, src.height, STRIP_ROWS):
            lo, hi = np.searchsorted(sorted_rows, [start, start + STRIP_ROWS])
            if lo == hi:
                continue
            chosen = index[lo:hi]
            c0, c1 = int(cols[chosen].min()), int(cols[chosen].max()) + 1
            height = min(STRIP_ROWS, src.height - start)
            block = src.read(1, window=Window(c0, start, c1 - c0, height), masked=True)
            data = np.ma.getdata(block).astype(np.float64)
            invalid = np.ma.getmaskarray(block) | np.isnan(data)
            picked_r, picked_c = rows[chosen] - start, cols[chosen] - c0
            values = data[picked_r, picked_c]
            values[invalid[picked_r, picked_c]] = np.nan
            out[chosen] = values
        return Samples(out, np.dtype(src.dtypes[0]), float(abs(t.a)))


def facade_values(path: Path, footprints: np.ndarray) -> Samples:
    """The largest valid value in the façade zone of each footprint (NaN when none is valid)."""
    _, pixel = raster_dtype(path)
    spacing = pixel / 2.0
    zones = shapely.buffer(footprints, FACADE_BUFFER_M, quad_segs=2)
    outlines = shapely.segmentize(shapely.boundary(zones), spacing)
    coords, owner = shapely.get_coordinates(outlines, return_index=True)
    samples = sample_points(path, coords[:, 0], coords[:, 1])
    result = np.full(len(footprints), np.nan)
    np.fmax.at(result, owner, samples.values)
    return Samples(result, samples.dtype, samples.pixel_size_m)


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
