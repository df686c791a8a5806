"""Class edges and thresholds as ``v >= c`` tests, compared in the raster's own precision."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from adaptatie.zonal.results import ZonalInputError

VALID = -1  # cut reference: "v >= -inf", i.e. every valid pixel
NEVER = -2  # cut reference: no pixel


@dataclass(frozen=True)
class Cuts:
    work_dtype: np.dtype  # dtype the values are compared in (float32 or float64)
    values: tuple[np.generic, ...]  # distinct cut values c, each counted as weight(v >= c)
    edge_refs: tuple[int, ...]  # per class edge: index into values, or VALID / NEVER
    threshold_refs: tuple[int, ...]  # per threshold ("v > t"): index into values, or VALID/NEVER


def work_dtype_of(dtype: np.dtype) -> np.dtype:
    if dtype.kind == "f":
        return np.dtype(np.float64) if dtype.itemsize > 4 else np.dtype(np.float32)
    if dtype.kind in "iu":
        return np.dtype(np.float32) if dtype.itemsize <= 2 else np.dtype(np.float64)
    raise ZonalInputError(
        f"Rastertype {dtype} wordt niet ondersteund: gebruik een geheel getal of float."
    )


def as_dtype(value: float, dtype: np.dtype) -> np.generic:
    """``value`` rounded to ``dtype``; out-of-range values become +-inf without a warning."""
    with np.errstate(over="ignore"):
        return dtype.type(value)


def make_cuts(raster_dtype: np.dtype, edges: Sequence[float], thresholds: Sequence[float]) -> Cuts:
    """Class edges and thresholds as ``v >= c`` tests, in the precision of the raster."""
    work = work_dtype_of(raster_dtype)
    infinity = work.type(np.inf)
    # Each test is a reference (VALID, NEVER: Python ints) or a cut value (a numpy scalar).
    if raster_dtype.kind in "iu":
        info = np.iinfo(raster_dtype)

        def at_least(c: float) -> int | np.generic:
            if c == -math.inf or math.ceil(c) <= info.min:
                return VALID
            if c == math.inf or math.ceil(c) > info.max:
                return NEVER
            return work.type(math.ceil(c))

        def above(t: float) -> int | np.generic:
            if t in (-math.inf, math.inf):
                return VALID if t < 0 else NEVER
            return at_least(math.floor(t) + 1)

    else:

        def at_least(c: float) -> int | np.generic:
            cut = as_dtype(c, work)
            return VALID if cut == -infinity else cut

        def above(t: float) -> int | np.generic:
            if t == math.inf:
                return NEVER
            return np.nextafter(as_dtype(t, work), infinity)

    # An upper edge of inf includes inf in the last class.
    tests = [NEVER if e == math.inf else at_least(e) for e in edges]
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
    return Cuts(
        work_dtype=work,
        values=tuple(values),
        edge_refs=tuple(refs[: len(edges)]),
        threshold_refs=tuple(refs[len(edges) :]),
    )
