"""The compiled inner loop of the centre rule (numba): the statistics of a window, run by run.

A run is a stretch of one pixel row whose centres lie in one zone (see ``coverage.centre_runs``).
Each run is reduced by simple loops over its pixels that the compiler turns into vector
instructions: one that counts the NaN and the nodata pixels and the pixels above the zone's
maximum so far, adds the valid ones up in float64 and counts the pixels with ``v >= cut`` for
the first eight cuts (the classes and thresholds of a stress test need seven), then one more
per further eight cuts. One loop instead of four (count, sum, two groups of four cuts) reads
each pixel once: a third less time on a run. NaN passes no test; nodata pixels that pass a cut
are taken off its count afterwards, so no cut needs a second test per pixel. Counts are kept
in int32 lanes, written so that the compiler keeps them there (a run is at most
``accumulate.RUN_MAX`` pixels, far below 2**31), and the maximum is only searched for when the
run holds a value above the zone's maximum so far. A run is short enough for these loops to
read it from the CPU cache. Masked pixels are first set to NaN (a mask is rare). Everything
runs without the GIL, in the threads that decode the raster.

The functions are compiled at first use and cached on disk by numba (next to this module, or
in the user's cache folder when that is read-only).
"""

from __future__ import annotations

import numpy as np
from numba import njit

CUTS_PER_PASS = 8  # cuts counted by one loop over a run (``cut_groups`` pads with NaN)


def cut_groups(cuts: np.ndarray) -> np.ndarray:
    """The cuts as rows of ``CUTS_PER_PASS``, padded with NaN (which no value passes)."""
    rows = max(1, -(-cuts.size // CUTS_PER_PASS))
    groups = np.full((rows, CUTS_PER_PASS), np.nan, dtype=cuts.dtype)
    groups.reshape(-1)[: cuts.size] = cuts
    return groups


@njit(nogil=True, cache=True, fastmath={"reassoc", "nsz"})
def _first_pass(
    x: np.ndarray, nodata: float, level: float, c: np.ndarray
) -> tuple[int, int, int, float, int, int, int, int, int, int, int, int]:
    # Per run, in one loop: NaN pixels, nodata pixels (none when nodata is NaN), pixels above
    # ``level``, the float64 sum of the valid pixels and, per cut of the first group, the
    # pixels with v >= cut. Reassociation only lets the sum be vectorised (float64 lanes).
    c0, c1, c2, c3, c4, c5, c6, c7 = c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]
    nan = np.int32(0)
    nod = np.int32(0)
    above = np.int32(0)
    total = 0.0
    n0 = np.int32(0)
    n1 = np.int32(0)
    n2 = np.int32(0)
    n3 = np.int32(0)
    n4 = np.int32(0)
    n5 = np.int32(0)
    n6 = np.int32(0)
    n7 = np.int32(0)
    for i in range(x.size):
        v = x[i]
        is_nan = v != v
        is_nodata = v == nodata
        nan = np.int32(nan + np.int32(is_nan))
        nod = np.int32(nod + np.int32(is_nodata))
        above = np.int32(above + np.int32(v > level))
        total += 0.0 if is_nan | is_nodata else np.float64(v)
        n0 = np.int32(n0 + np.int32(v >= c0))
        n1 = np.int32(n1 + np.int32(v >= c1))
        n2 = np.int32(n2 + np.int32(v >= c2))
        n3 = np.int32(n3 + np.int32(v >= c3))
        n4 = np.int32(n4 + np.int32(v >= c4))
        n5 = np.int32(n5 + np.int32(v >= c5))
        n6 = np.int32(n6 + np.int32(v >= c6))
        n7 = np.int32(n7 + np.int32(v >= c7))
    return nan, nod, above, total, n0, n1, n2, n3, n4, n5, n6, n7


@njit(nogil=True, cache=True)
def _mark_masked(x: np.ndarray, nodata: float, masked: np.ndarray) -> None:
    for i in range(x.size):
        v = x[i]
        x[i] = np.nan if (v == nodata) | masked[i] else v


@njit(nogil=True, cache=True)
def _count8(x: np.ndarray, c: np.ndarray) -> tuple[int, int, int, int, int, int, int, int]:
    c0, c1, c2, c3, c4, c5, c6, c7 = c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]
    n0 = np.int32(0)
    n1 = np.int32(0)
    n2 = np.int32(0)
    n3 = np.int32(0)
    n4 = np.int32(0)
    n5 = np.int32(0)
    n6 = np.int32(0)
    n7 = np.int32(0)
    for i in range(x.size):
        v = x[i]
        n0 = np.int32(n0 + np.int32(v >= c0))
        n1 = np.int32(n1 + np.int32(v >= c1))
        n2 = np.int32(n2 + np.int32(v >= c2))
        n3 = np.int32(n3 + np.int32(v >= c3))
        n4 = np.int32(n4 + np.int32(v >= c4))
        n5 = np.int32(n5 + np.int32(v >= c5))
        n6 = np.int32(n6 + np.int32(v >= c6))
        n7 = np.int32(n7 + np.int32(v >= c7))
    return n0, n1, n2, n3, n4, n5, n6, n7


@njit(nogil=True, cache=True)
def _max(x: np.ndarray, nodata: float, start: float) -> float:
    best = start
    for i in range(x.size):
        v = x[i]
        best = v if (v > best) & (v != nodata) else best
    return best


@njit(nogil=True, cache=True)
def reduce_runs(
    flat: np.ndarray,
    starts: np.ndarray,
    slots: np.ndarray,
    zones: np.ndarray,
    nodata: float,
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

    ``flat``: the window's values, flat, in the work dtype; ``starts``: the sorted flat start
    of each run; ``slots``: per run 1 + its position in ``zones`` (0: in no zone); ``zones``:
    the accumulator index of each slot. Invalid pixels: NaN, those equal to ``nodata`` (in the
    work dtype; NaN when there is none) and, when ``use_mask``, those marked in ``masked``
    (bool, flat like ``flat``; they are set to NaN). ``cuts``: the cut values in the work
    dtype, as :func:`cut_groups` gives them; ``lowest``: minus infinity in the work dtype. Per
    zone: ``total``, ``valid``, ``value_sum`` and ``at_least`` (per cut: valid pixels with
    ``v >= cut``) in float64, ``value_max`` in the work dtype (NaN: no valid pixel yet)."""
    n = starts.size
    for r in range(n):
        slot = slots[r]
        if slot <= 0:
            continue
        a = starts[r]
        b = starts[r + 1] if r + 1 < n else flat.size
        z = zones[slot - 1]
        x = flat[a:b]
        length = b - a
        total[z] += length
        invalid = nodata
        if use_mask:
            _mark_masked(x, nodata, masked[a:b])
            invalid = np.nan  # every invalid pixel is NaN now
        current = value_max[z]
        level = lowest if current != current else current
        first = _first_pass(x, invalid, level, cuts[0])
        nan, nod, above = first[0], first[1], first[2]
        bad = nan + nod
        if bad == length:
            continue
        valid[z] += length - bad
        value_sum[z] += first[3]
        if nod and invalid > level:
            above -= nod
        if current != current or above:
            value_max[z] = _max(x, invalid, level)
        _add_passed(at_least, z, 0, first[4:], cuts[0], nod, invalid)
        for g in range(1, cuts.shape[0]):
            _add_passed(at_least, z, g, _count8(x, cuts[g]), cuts[g], nod, invalid)


@njit(nogil=True, cache=True)
def _add_passed(
    at_least: np.ndarray, z: int, g: int, passed: tuple, c: np.ndarray, nod: int, nodata: float
) -> None:
    # The pixels that passed the cuts of group g, less the nodata pixels among them.
    j = g * CUTS_PER_PASS
    count = at_least.shape[1]
    for k, n in enumerate(passed):
        if j + k < count:
            at_least[z, j + k] += n - (nod if nodata >= c[k] else 0)


def warm_up() -> None:
    """Compile the loops for both work dtypes now (or load them from numba's cache), so that
    the first window of a pass does not pay for it: about a second per process."""
    for dtype in (np.float32, np.float64):
        values = np.zeros(4, dtype=dtype)
        index = np.zeros(1, dtype=np.int64)
        slots = np.ones(1, dtype=np.int64)
        reduce_runs(
            values, index, slots, index, dtype(0), np.zeros(4, dtype=bool), True,
            cut_groups(np.zeros(1, dtype=dtype)), dtype(-np.inf), np.zeros(1), np.zeros(1),
            np.zeros(1), np.full(1, np.nan, dtype=dtype), np.zeros((1, 1)),
        )  # fmt: skip
