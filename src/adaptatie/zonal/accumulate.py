"""Accumulation of per-zone statistics: weighted pixels (exact) and runs of labels (centre rule).

Values arrive in the work dtype (float32 or float64, see ``cuts``) with every invalid pixel
(nodata, NaN, masked) set to NaN: NaN passes no ``v >= c`` test and ``fmax`` skips it, so only
the sums need the invalid pixels set to 0. All sums are accumulated in float64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from adaptatie.zonal.cuts import NEVER, VALID, Cuts
from adaptatie.zonal.results import ClassScheme, Partials

RUN_MAX = 65_535  # longest run; keeps per-run uint16 counts exact
GROUP_PIXELS = 1 << 19  # pixels per row group: 2 MiB of float32, stays in the CPU cache


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


def to_work(
    raw: np.ndarray, mask: np.ndarray | None, owned: bool, cuts: Cuts, nodata: np.generic | None
) -> np.ndarray:
    """``raw`` in the work dtype with invalid pixels (nodata in the raw dtype, masked) as NaN."""
    invalid = mask
    if nodata is not None and not (raw.dtype.kind == "f" and np.isnan(nodata)):
        equal = raw == nodata
        if equal.any():
            invalid = equal if invalid is None else np.logical_or(invalid, equal)
    if raw.dtype != cuts.work_dtype:
        values = raw.astype(cuts.work_dtype)
    elif owned:
        values = raw
    else:
        values = raw.copy()  # the caller's array is left alone
    if invalid is not None:
        np.copyto(values, np.nan, where=invalid)
    return values


@dataclass
class _Runs:
    """Per-run results of one strip, collected over its row groups (only runs in a zone)."""

    slot: list[np.ndarray] = field(default_factory=list)
    length: list[np.ndarray] = field(default_factory=list)
    valid: list[np.ndarray] = field(default_factory=list)
    maximum: list[np.ndarray] = field(default_factory=list)
    total: list[np.ndarray] = field(default_factory=list)
    at_least: list[list[np.ndarray]] = field(default_factory=list)


class Accumulator:
    """Running totals of ``n`` zones; the unit of work is a window of values."""

    def __init__(self, n: int, cuts: Cuts) -> None:
        self.cuts = cuts
        self.total = np.zeros(n)
        self.valid = np.zeros(n)
        self.value_sum = np.zeros(n)
        self.value_max = np.full(n, np.nan)
        self.at_least = np.zeros((n, len(cuts.values)))

    def add_exact(self, zone: int, values: np.ndarray, weights: np.ndarray) -> None:
        """Weighted aggregation of one zone's pixels (``values`` with NaN for invalid)."""
        covered = weights > 0
        if not covered.any():
            return
        w, v = weights[covered], values[covered]
        self.total[zone] += w.sum()
        ok = ~np.isnan(v)
        w, v = w[ok], v[ok]
        if v.size == 0:
            return
        self.valid[zone] += w.sum()
        self.value_sum[zone] += float(np.dot(w, v.astype(np.float64)))
        self.value_max[zone] = np.fmax(self.value_max[zone], v.max())
        for j, cut in enumerate(self.cuts.values):
            self.at_least[zone, j] += w[v >= cut].sum()

    def add_runs(self, zones: np.ndarray, labels: np.ndarray, values: np.ndarray) -> None:
        """Centre-rule aggregation of one window; ``labels`` holds 1 + position in ``zones``
        (0: no zone). ``values`` may be modified (invalid pixels are set to 0).

        The window is processed in groups of rows that fit in the CPU cache: a dozen passes
        over a group are then much cheaper than over the whole window."""
        height, width = labels.shape
        step = max(1, GROUP_PIXELS // max(width, 1))
        runs = _Runs(at_least=[[] for _ in self.cuts.values])
        mask = np.empty((step, width), dtype=bool)
        for row in range(0, height, step):
            group = slice(row, row + step)
            self._add_group(labels[group], values[group], mask, runs)
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
        self, labels: np.ndarray, values: np.ndarray, mask: np.ndarray, runs: _Runs
    ) -> None:
        width = labels.shape[1]
        flat = labels.ravel()
        breaks = flat[1:] != flat[:-1]
        breaks[width - 1 :: width] = True  # a run never crosses a row end
        if width > RUN_MAX:
            breaks[RUN_MAX - 1 :: RUN_MAX] = True
        starts = np.flatnonzero(breaks)
        starts += 1
        starts = np.concatenate((np.zeros(1, dtype=starts.dtype), starts))
        slot = flat[starts].astype(np.intp)
        keep = slot > 0
        if not keep.any():
            return
        mask = mask[: labels.shape[0]]
        ones = mask.ravel().view(np.uint8)
        length = np.diff(starts, append=flat.size)
        np.isnan(values, out=mask)
        has_invalid = bool(mask.any())
        valid = length - np.add.reduceat(ones, starts, dtype=np.uint16) if has_invalid else length
        for j, cut in enumerate(self.cuts.values):
            np.greater_equal(values, cut, out=mask)
            runs.at_least[j].append(np.add.reduceat(ones, starts, dtype=np.uint16)[keep])
        flat_values = values.ravel()
        run_max = np.fmax.reduceat(flat_values, starts)  # NaN pixels are skipped
        if has_invalid:
            np.copyto(values, 0, where=np.isnan(values))
        # Pairwise summation within a run (<= 65535 pixels), in float64 throughout.
        run_sum = np.add.reduceat(flat_values, starts, dtype=np.float64)
        runs.slot.append(slot[keep])
        runs.length.append(length[keep])
        runs.valid.append(valid[keep])
        runs.maximum.append(run_max[keep])
        runs.total.append(run_sum[keep])

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
            value_max=np.where(self.valid > 0, self.value_max, np.nan),
            class_weight=np.stack(classes, axis=1) if classes else np.zeros((n, 0)),
            above=np.stack(above, axis=1) if above else np.zeros((n, 0)),
        )
