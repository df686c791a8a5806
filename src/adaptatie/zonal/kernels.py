"""The compiled inner loop of the centre rule (numba): the statistics of a window, run by run.

A run is a stretch of one pixel row whose centres lie in one zone (see ``coverage.centre_runs``).
Each run is reduced by a few simple loops over its pixels, each of which the compiler turns
into vector instructions (counts in int32 lanes: a run is shorter than 2**31 pixels): one
that counts (and, with a nodata value or a mask, marks as NaN) the invalid pixels, one for the
float64 sum, one per cut for the pixels with ``v >= cut``, and the maximum only when the run
holds a value above the zone's maximum so far. A run is at most ``accumulate.RUN_MAX`` pixels,
so these loops read it from the CPU cache. Everything runs without the GIL, beside the threads
that decode the raster.

The functions are compiled at first use and cached on disk by numba (next to this module, or
in the user's cache folder when that is read-only).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(nogil=True, cache=True)
def _invalid_count(x: np.ndarray, nodata: float, use_nodata: bool) -> int:
    bad = np.int32(0)
    if use_nodata:
        for i in range(x.size):
            v = x[i]
            bad = np.int32(bad + np.int32((v != v) | (v == nodata)))
    else:
        for i in range(x.size):
            bad = np.int32(bad + np.int32(x[i] != x[i]))
    return bad


@njit(nogil=True, cache=True)
def _masked_count(x: np.ndarray, nodata: float, use_nodata: bool, masked: np.ndarray) -> int:
    bad = np.int32(0)
    for i in range(x.size):
        v = x[i]
        bad = np.int32(bad + np.int32((v != v) | (use_nodata & (v == nodata)) | masked[i]))
    return bad


@njit(nogil=True, cache=True)
def _mark_invalid(
    x: np.ndarray, nodata: float, use_nodata: bool, masked: np.ndarray, use_mask: bool
) -> None:
    # Stores without branches (vectorised), one loop per case.
    if use_mask and use_nodata:
        for i in range(x.size):
            v = x[i]
            x[i] = np.nan if (v == nodata) | masked[i] else v
    elif use_mask:
        for i in range(x.size):
            v = x[i]
            x[i] = np.nan if masked[i] else v
    else:
        for i in range(x.size):
            v = x[i]
            x[i] = np.nan if v == nodata else v


@njit(nogil=True, cache=True, fastmath={"reassoc", "nsz"})
def _sum(x: np.ndarray) -> float:
    # Reassociation only lets the sum be vectorised; NaN (invalid) pixels are still tested.
    total = 0.0
    for i in range(x.size):
        v = np.float64(x[i])
        total += v if v == v else 0.0
    return total


@njit(nogil=True, cache=True)
def _count_at_least(x: np.ndarray, cut: float) -> int:
    n = np.int32(0)
    for i in range(x.size):
        n = np.int32(n + np.int32(x[i] >= cut))
    return n


@njit(nogil=True, cache=True)
def _count_above(x: np.ndarray, level: float) -> int:
    n = np.int32(0)
    for i in range(x.size):
        n = np.int32(n + np.int32(x[i] > level))
    return n


@njit(nogil=True, cache=True)
def _max(x: np.ndarray, start: float) -> float:
    best = start
    for i in range(x.size):
        v = x[i]
        best = v if v > best else best
    return best


@njit(nogil=True, cache=True)
def reduce_runs(
    flat: np.ndarray,
    starts: np.ndarray,
    slots: np.ndarray,
    zones: np.ndarray,
    nodata: float,
    use_nodata: bool,
    masked: np.ndarray,
    use_mask: bool,
    cuts: np.ndarray,
    lowest: float,
    total: np.ndarray,
    valid: np.ndarray,
    value_sum: np.ndarray,
    value_max: np.ndarray,
    at_least: np.ndarray,
) -> None:
    """Add the runs of one window to the per-zone totals.

    ``flat``: the window's values, flat, in the work dtype (invalid pixels are set to NaN);
    ``starts``: the sorted flat start of each run; ``slots``: per run 1 + its position in
    ``zones`` (0: in no zone); ``zones``: the accumulator index of each slot. ``nodata`` (in
    the work dtype, when ``use_nodata``) and ``masked`` (bool, flat like ``flat``, when
    ``use_mask``) mark invalid pixels besides NaN. ``cuts``: cut values in the work dtype;
    ``lowest``: minus infinity in the work dtype. Per zone: ``total``, ``valid``,
    ``value_sum`` and ``at_least`` (per cut: valid pixels with ``v >= cut``) in float64,
    ``value_max`` in the work dtype (NaN: no valid pixel yet)."""
    n = starts.size
    for r in range(n):
        slot = slots[r]
        if slot <= 0:
            continue
        a = starts[r]
        b = starts[r + 1] if r + 1 < n else flat.size
        z = zones[slot - 1]
        x = flat[a:b]
        total[z] += b - a
        if use_mask:
            m = masked[a:b]
            bad = _masked_count(x, nodata, use_nodata, m)
        else:
            m = masked
            bad = _invalid_count(x, nodata, use_nodata)
        if bad == b - a:
            continue
        if bad and (use_nodata or use_mask):
            _mark_invalid(x, nodata, use_nodata, m, use_mask)
        valid[z] += b - a - bad
        value_sum[z] += _sum(x)
        current = value_max[z]
        if current != current:
            value_max[z] = _max(x, lowest)
        elif _count_above(x, current):
            value_max[z] = _max(x, current)
        for j in range(cuts.size):
            at_least[z, j] += _count_at_least(x, cuts[j])


def warm_up() -> None:
    """Compile the loops for both work dtypes now (or load them from numba's cache), so that
    the first window of a pass does not pay for it: about a second per process."""
    for dtype in (np.float32, np.float64):
        values = np.zeros(4, dtype=dtype)
        index = np.zeros(1, dtype=np.int64)
        slots = np.ones(1, dtype=np.int64)
        reduce_runs(
            values, index, slots, index, dtype(0), True, np.zeros(4, dtype=bool), True,
            np.zeros(1, dtype=dtype), dtype(-np.inf), np.zeros(1), np.zeros(1), np.zeros(1),
            np.full(1, np.nan, dtype=dtype), np.zeros((1, 1)),
        )  # fmt: skip
