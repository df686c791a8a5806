"""Accumulation of per-zone statistics: weighted pixels (exact) and runs of labels (centre rule).

Values arrive in the work dtype (float32 or float64, see ``cuts``); invalid pixels (nodata,
NaN, masked) are NaN or still :class:`Pending`. NaN passes no ``v >= c`` test and no maximum
takes it. Every sum is accumulated in float64, within a run too: a float32 raster's values
near the float32 maximum cannot overflow, and a window split elsewhere (a task on a cluster)
gives the same sums to float64 rounding. Pixel counts are whole numbers (exact in float64).
The runs of the centre rule are reduced by compiled loops (``kernels``); the weighted pixels
of exact zones, far fewer, by numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from adaptatie.zonal.cuts import NEVER, VALID, Cuts
from adaptatie.zonal.results import ClassScheme, Partials

RUN_MAX = 65_536  # longest run: 256 KiB of float32, read from the CPU cache by every pass
_NO_MASK = np.zeros(0, dtype=bool)


def native_nodata(nodata: float | None, dtype: np.dtype) -> np.generic | None:
    """The nodata value in the raster's own dtype, or None when no pixel can equal it.

    GDAL keeps nodata as a double: for 64-bit integers, 2**64 - 1 and -2**63 - 1 arrive
    rounded to the nearest double, which is then taken as the dtype's extreme."""
    if nodata is None or math.isnan(nodata):
        return None
    if dtype.kind == "f":
        with np.errstate(over="ignore"):
            return dtype.type(nodata)
    info = np.iinfo(dtype)
    if nodata != math.floor(nodata):
        return None
    if nodata == float(info.max):
        return dtype.type(info.max)
    if nodata == float(info.min):
        return dtype.type(info.min)
    if info.min <= nodata <= info.max:
        return dtype.type(int(nodata))
    return None


@dataclass(frozen=True)
class Pending:
    """Invalid pixels not yet set to NaN: marked window by window, where the window is in the
    CPU cache (three passes over a whole strip would cost more than the statistics)."""

    nodata: np.generic | None = None  # in the work dtype (only when it equals the raw dtype)
    mask: np.ndarray | None = None  # True = masked, over the whole window

    def apply(self, values: np.ndarray, rows: slice, cols: slice) -> None:
        """Set the invalid pixels of ``values`` (rows x cols of the window) to NaN."""
        if self.nodata is None and self.mask is None:
            return
        invalid = None if self.nodata is None else values == self.nodata
        if self.mask is not None:
            part = self.mask[rows, cols]
            invalid = part if invalid is None else np.logical_or(invalid, part, out=invalid)
        np.copyto(values, np.nan, where=invalid)


def to_work(
    raw: np.ndarray, mask: np.ndarray | None, owned: bool, cuts: Cuts, nodata: np.generic | None
) -> tuple[np.ndarray, Pending]:
    """``raw`` in the work dtype (a copy unless owned), with the invalid pixels (nodata in the
    raw dtype, masked) set to NaN now (integer rasters) or later (:class:`Pending`)."""
    if raw.dtype == cuts.work_dtype:  # float rasters: nodata compares the same in both
        values = raw if owned else raw.copy()  # the caller's array is left alone
        usable = nodata is not None and not np.isnan(nodata)
        return values, Pending(nodata if usable else None, mask)
    invalid = mask
    if nodata is not None and not (raw.dtype.kind == "f" and np.isnan(nodata)):
        equal = raw == nodata
        if equal.any():
            invalid = equal if invalid is None else np.logical_or(invalid, equal)
    values = raw.astype(cuts.work_dtype)
    if invalid is not None:
        np.copyto(values, np.nan, where=invalid)
    return values, Pending()


class Accumulator:
    """Running totals of ``n`` zones; the unit of work is a window of values."""

    def __init__(self, n: int, cuts: Cuts) -> None:
        self.cuts = cuts
        self.order = np.argsort(np.array(cuts.values, dtype=np.float64), kind="stable")
        self.total = np.zeros(n)
        self.valid = np.zeros(n)
        self.value_sum = np.zeros(n)
        self.value_max = np.full(n, np.nan, dtype=cuts.work_dtype)
        self.cut_values = np.array(cuts.values, dtype=cuts.work_dtype)
        self._cut_groups: np.ndarray | None = None
        self.at_least = np.zeros((n, len(cuts.values)))

    def reset(self, zones: np.ndarray) -> None:
        """Back to no pixels for ``zones`` (indices; the arrays are reused)."""
        for array in (self.total, self.valid, self.value_sum, self.at_least):
            array[zones] = 0.0
        self.value_max[zones] = np.nan

    def add(self, other: Accumulator, zones: np.ndarray) -> None:
        """Add the totals of ``zones`` (indices) in ``other``, which has the same zones and
        cuts: e.g. those of the zones one window met."""
        self.total[zones] += other.total[zones]
        self.valid[zones] += other.valid[zones]
        self.value_sum[zones] += other.value_sum[zones]
        self.value_max[zones] = np.fmax(self.value_max[zones], other.value_max[zones])
        self.at_least[zones] += other.at_least[zones]

    def add_exact(self, zone: int, values: np.ndarray, weights: np.ndarray) -> None:
        """Weighted aggregation of one zone's pixels (``values`` with NaN for invalid).

        Weights may be negative: a correction of weight counted before (the maximum only takes
        pixels of positive weight). The cuts are counted at once: the number of (sorted) cuts
        a value passes, then one weighted histogram of that number."""
        counted = weights != 0
        if not counted.any():
            return
        w, v = weights[counted], values[counted]
        self.total[zone] += w.sum()
        invalid = np.isnan(v)
        if invalid.any():
            w, v = w[~invalid], v[~invalid]
        if v.size == 0:
            return
        self.valid[zone] += w.sum()
        self.value_sum[zone] += float(np.dot(w, v.astype(np.float64)))
        positive = w > 0
        if positive.all():
            self.value_max[zone] = np.fmax(self.value_max[zone], v.max())
        elif positive.any():
            self.value_max[zone] = np.fmax(self.value_max[zone], v[positive].max())
        if not self.order.size:
            return
        passed = np.zeros(v.size, dtype=np.uint8 if self.order.size < 255 else np.uint16)
        for j in self.order:
            passed += v >= self.cuts.values[j]
        per_count = np.bincount(passed, weights=w, minlength=self.order.size + 1)
        at_least = np.cumsum(per_count[::-1])[::-1][1:]  # weight passing the i-th lowest cut
        self.at_least[zone, self.order] += at_least

    def add_runs(
        self,
        zones: np.ndarray,
        starts: np.ndarray,
        slots: np.ndarray,
        values: np.ndarray,
        pending: Pending,
    ) -> None:
        """Centre-rule aggregation of one window, given as runs: ``starts`` (sorted flat pixel
        indices, one at least at every row start, runs at most RUN_MAX long) and per run its
        slot, 1 + position in ``zones`` (0: no zone). ``values`` may be modified (invalid
        pixels are set to NaN). The work is done by the compiled ``kernels.reduce_runs``."""
        from adaptatie.zonal import kernels  # compiles (or loads) at first use: numba

        work = self.cuts.work_dtype
        if self._cut_groups is None:
            self._cut_groups = kernels.cut_groups(self.cut_values)
        nodata = pending.nodata
        mask = pending.mask
        kernels.reduce_runs(
            values.reshape(-1),
            np.ascontiguousarray(starts, dtype=np.int64),
            np.ascontiguousarray(slots, dtype=np.int64),
            np.ascontiguousarray(zones, dtype=np.int64),
            work.type(np.nan if nodata is None else nodata),
            _NO_MASK if mask is None else np.ascontiguousarray(mask).reshape(-1),
            mask is not None,
            self._cut_groups,
            work.type(-np.inf),
            self.total,
            self.valid,
            self.value_sum,
            self.value_max,
            self.at_least,
        )

    def partials(
        self, ids: tuple[str, ...], pixel_area: float, scheme: ClassScheme, thresholds: tuple
    ) -> Partials:
        def weight(ref: int) -> np.ndarray:
            if ref == VALID:
                return self.valid
            if ref == NEVER:
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
            value_max=np.where(self.valid > 0, self.value_max.astype(np.float64), np.nan),
            class_weight=np.stack(classes, axis=1) if classes else np.zeros((n, 0)),
            above=np.stack(above, axis=1) if above else np.zeros((n, 0)),
        )
