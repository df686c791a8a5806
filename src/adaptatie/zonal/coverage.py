"""Where a zone lies on the pixel grid: exact coverage fractions and the pixel-centre rule.

Both work on the zone's boundary segments in pixel coordinates (``u`` = column, ``v`` = row,
both growing away from the top-left corner of the raster), with rings oriented so that the
polygon's interior has winding number 1. No polygon is ever clipped or intersected, so there
are no invalid pieces and no GEOS failures, whatever the vertices (on pixel lines, on a lattice
that holds them, rounded to the millimetre).

Exact fractions (after the scanline form of Green's theorem): within one pixel row, the part
of a pixel ``[j, j + 1]`` covered by the polygon is the sum, over the boundary pieces that lie
in that row, of ``dv * (j + 1 - clamp(u, j, j + 1))``, where ``dv`` is the signed height of the
piece. So every segment is cut where it crosses a row or column line; a piece in pixel ``j``
adds ``dv * (j + 1 - u_mid)`` to that pixel and ``dv`` to every pixel right of it: two entries
in a difference array per piece and one cumulative sum per row. The cost is linear in the
number of pieces plus pixels, all of it vectorised.

The centre rule: a pixel belongs to the zone whose winding number is 1 at its centre. Each
segment crossing a row's centre line adds its direction to the pixels right of the crossing;
again one difference array and one cumulative sum per row. Two zones sharing an edge compute
the same crossing (from the same endpoints in the same order), so a pixel goes to exactly one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from rasterio.transform import Affine

from adaptatie.zonal.zones import clean_geometry

__all__ = [
    "Edges",
    "centre_count",
    "centre_runs",
    "coverage_fractions",
    "edges_of",
    "exact_fractions",
]


@dataclass(frozen=True)
class Edges:
    """Boundary segments of one zone in pixel coordinates, directed so the interior is +1."""

    u0: np.ndarray
    v0: np.ndarray
    u1: np.ndarray
    v1: np.ndarray
    vlo: np.ndarray  # min(v0, v1)
    vhi: np.ndarray  # max(v0, v1)

    @property
    def size(self) -> int:
        return int(self.u0.size)

    def rows(self, r0: float, r1: float) -> Edges:
        """The segments that reach into the rows [r0, r1]."""
        keep = (self.vhi > r0) & (self.vlo < r1)
        if keep.all():
            return self
        return Edges(*(getattr(self, f)[keep] for f in ("u0", "v0", "u1", "v1", "vlo", "vhi")))


def edges_of(geom: shapely.Geometry, transform: Affine) -> Edges:
    """The boundary segments of a (valid) polygon or multipolygon on the grid of ``transform``.

    Exteriors are oriented clockwise in pixel coordinates (counter-clockwise on the map, where
    ``v`` points down), holes the other way; zero-length and horizontal-free segments are kept
    (they add nothing)."""
    parts = shapely.get_parts(shapely.orient_polygons(geom, exterior_cw=False))
    rings = shapely.get_rings(parts)
    coords, index = shapely.get_coordinates(rings, return_index=True)
    same = index[1:] == index[:-1]
    u = (coords[:, 0] - transform.c) / transform.a
    v = (coords[:, 1] - transform.f) / transform.e
    u0, v0, u1, v1 = u[:-1][same], v[:-1][same], u[1:][same], v[1:][same]
    return Edges(u0, v0, u1, v1, np.minimum(v0, v1), np.maximum(v0, v1))


def _crossings(lo: np.ndarray, hi: np.ndarray, first: int, last: int) -> tuple:
    """Per segment, the integer lines strictly between lo and hi and within [first, last]."""
    start = np.maximum(np.floor(lo) + 1, first).astype(np.int64)
    stop = np.minimum(np.ceil(hi) - 1, last).astype(np.int64)
    count = np.maximum(stop - start + 1, 0)
    owner = np.repeat(np.arange(lo.size), count)
    offset = np.arange(owner.size) - np.repeat(np.cumsum(count) - count, count)
    return owner, (start[owner] + offset).astype(np.float64)


def exact_fractions(edges: Edges, rows: tuple[int, int], cols: tuple[int, int]) -> np.ndarray:
    """Covered fraction (0..1) of each pixel of the window ``rows`` x ``cols``."""
    height, width = rows[1] - rows[0], cols[1] - cols[0]
    if height <= 0 or width <= 0:
        return np.zeros((max(height, 0), max(width, 0)))
    e = edges.rows(rows[0], rows[1])
    # Each segment in coordinates of its own: relative to the pixel corner (ou, ov) before its
    # upper-left end. Cut points and pieces then depend on the segment and the pixel lines
    # only, not on the window: a pixel's fraction is the same to the last bit in every window
    # that holds it (a strip of a task on a cluster, a window of the engine's plan), and as
    # precise as in a window around the segment. (Relative to the window, the cut points
    # round differently per window, by up to 1e-12 px: enough to move a sliver's fraction
    # across the snap to 0 below, and with it whether the pixel is covered in part, which
    # changes the weight of the other zones there by up to 1.)
    ou, ov = np.floor(np.minimum(e.u0, e.u1)), np.floor(e.vlo)
    u0, u1, v0, v1 = e.u0 - ou, e.u1 - ou, e.v0 - ov, e.v1 - ov
    du, dv = u1 - u0, v1 - v0
    # Cut points: both ends (t = 0, 1), row lines (v exact) and column lines (u exact).
    h_owner, h_line = _crossings(e.vlo, e.vhi, rows[0], rows[1])
    v_owner, v_line = _crossings(np.minimum(e.u0, e.u1), np.maximum(e.u0, e.u1), *cols)
    h_line -= ov[h_owner]  # integers: exact
    v_line -= ou[v_owner]
    n = u0.size
    ends = np.arange(n)
    owner = np.concatenate((ends, ends, h_owner, v_owner))
    with np.errstate(divide="ignore", invalid="ignore"):
        t_h = (h_line - v0[h_owner]) / dv[h_owner]
        t_v = (v_line - u0[v_owner]) / du[v_owner]
    t = np.concatenate((np.zeros(n), np.ones(n), t_h, t_v))
    u = np.concatenate((u0, u1, u0[h_owner] + t_h * du[h_owner], v_line))
    v = np.concatenate((v0, v1, h_line, v0[v_owner] + t_v * dv[v_owner]))
    order = np.lexsort((t, owner))
    owner, u, v = owner[order], u[order], v[order]
    piece = owner[1:] == owner[:-1]
    ua, ub, va, vb = u[:-1][piece], u[1:][piece], v[:-1][piece], v[1:][piece]
    height_of = vb - va
    u_mid = 0.5 * (ua + ub)
    piece_owner = owner[:-1][piece]
    row = ov[piece_owner] + np.floor(0.5 * (va + vb)) - rows[0]  # in the window
    own_col = np.floor(u_mid)  # in the segment's coordinates
    col = ou[piece_owner] + own_col - cols[0]  # in the window
    keep = (row >= 0) & (row < height) & (col < width) & (height_of != 0)
    row, col, u_mid, height_of = row[keep], col[keep], u_mid[keep], height_of[keep]
    own_col = own_col[keep]
    stride = width + 1
    left = col < 0  # left of the window: the whole row of the window lies right of it
    base = row * stride
    inside = ~left
    inner = height_of[inside] * (own_col[inside] + 1 - u_mid[inside])
    index = np.concatenate((base[left], base[inside] + col[inside], base[inside] + col[inside] + 1))
    weight = np.concatenate((height_of[left], inner, height_of[inside] - inner))
    delta = np.bincount(index.astype(np.intp), weights=weight, minlength=height * stride)
    delta = delta.astype(np.float64, copy=False)  # bincount of nothing is int64
    fractions = np.cumsum(delta.reshape(height, stride), axis=1)[:, :width]
    np.clip(fractions, 0.0, 1.0, out=fractions)
    # Rounding in the cumulative sums: snap to 0 and 1 within 1e-12.
    fractions[fractions < 1e-12] = 0.0
    fractions[fractions > 1.0 - 1e-12] = 1.0
    return fractions


def _centre_crossings(
    zone_edges: list[Edges], slots: np.ndarray, rows: tuple[int, int], cols: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where each zone's boundary crosses the centre lines of the window's rows: flat index
    ``row * (width + 1) + first column right of the crossing`` (clamped to 0..width), and the
    signed slot and direction (+1 entering, -1 leaving) of the crossing."""
    width = cols[1] - cols[0]
    stride = width + 1
    index_parts, slot_parts, sign_parts = [], [], []
    for edges, slot in zip(zone_edges, slots, strict=True):
        e = edges.rows(rows[0], rows[1])  # a superset: vhi > first line, vlo <= last line
        # Centre lines v = i + 0.5 with vlo <= i + 0.5 < vhi (half-open, direction-free).
        start = np.maximum(np.ceil(e.vlo - 0.5), rows[0]).astype(np.int64)
        stop = np.minimum(np.ceil(e.vhi - 0.5) - 1, rows[1] - 1).astype(np.int64)
        count = np.maximum(stop - start + 1, 0)
        owner = np.repeat(np.arange(e.size), count)
        line = start[owner] + (np.arange(owner.size) - np.repeat(np.cumsum(count) - count, count))
        # From the upper endpoint (smaller v), whatever the direction: neighbours agree.
        down = e.v1[owner] > e.v0[owner]
        ua = np.where(down, e.u0[owner], e.u1[owner])
        ub = np.where(down, e.u1[owner], e.u0[owner])
        va, vb = e.vlo[owner], e.vhi[owner]
        u = ua + (line + 0.5 - va) * ((ub - ua) / (vb - va))
        first = np.clip(np.ceil(u - 0.5 - cols[0]), 0, width).astype(np.int64)
        index_parts.append((line - rows[0]) * stride + first)
        sign = np.where(down, 1, -1).astype(np.int64)
        sign_parts.append(sign)
        slot_parts.append(sign * int(slot))
    if not index_parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(index_parts), np.concatenate(slot_parts), np.concatenate(sign_parts)


def centre_count(edges: Edges, rows: tuple[int, int], cols: tuple[int, int]) -> np.ndarray:
    """Per pixel of the window: the zone's winding number at the pixel's centre (int64; 1
    inside, 0 outside)."""
    height, width = rows[1] - rows[0], cols[1] - cols[0]
    index, _, sign = _centre_crossings([edges], np.ones(1, dtype=np.int64), rows, cols)
    counts = np.zeros(height * (width + 1), dtype=np.int64)
    np.add.at(counts, index, sign)
    return np.cumsum(counts.reshape(height, width + 1), axis=1)[:, :width]


def centre_runs(
    zone_edges: list[Edges],
    slots: np.ndarray,
    rows: tuple[int, int],
    cols: tuple[int, int],
    run_max: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The centre rule as runs of pixels: ``starts`` (sorted flat indices into the window, one
    at every row start and every ``run_max`` pixels), and per run the sum of the slots and the
    number of the zones whose interior holds the centres of its pixels. No pixel image is made:
    the cost is in the number of crossings, not of pixels."""
    height, width = rows[1] - rows[0], cols[1] - cols[0]
    stride = width + 1
    index, slot, sign = _centre_crossings(zone_edges, slots, rows, cols)
    breaks = np.arange(0, width, run_max, dtype=np.int64)
    sentinels = (np.arange(height, dtype=np.int64)[:, None] * stride + breaks).ravel()
    index = np.concatenate((sentinels, index))
    order = np.argsort(index, kind="stable")
    index = index[order]
    zeros = np.zeros(sentinels.size, dtype=np.int64)
    # Every row's crossings sum to zero (closed rings), so one running sum serves all rows.
    total = np.cumsum(np.concatenate((zeros, slot))[order])
    number = np.cumsum(np.concatenate((zeros, sign))[order])
    last = np.r_[index[1:] != index[:-1], True]
    index, total, number = index[last], total[last], number[last]
    row, col = np.divmod(index, stride)
    keep = col < width
    return row[keep] * width + col[keep], total[keep], number[keep]


def coverage_fractions(
    geom: shapely.Geometry, transform: Affine, rows: tuple[int, int], cols: tuple[int, int]
) -> np.ndarray:
    """Fraction of each pixel of the window ``rows`` x ``cols`` covered by ``geom`` (0..1):
    area(pixel ∩ geom) / pixel area, exactly (up to rounding of about 1e-12)."""
    geom = clean_geometry(geom)
    if shapely.is_empty(geom):
        return np.zeros((max(rows[1] - rows[0], 0), max(cols[1] - cols[0], 0)))
    return exact_fractions(edges_of(geom, transform), rows, cols)
