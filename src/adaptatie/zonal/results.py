"""Results of the zonal engine: value classes, mergeable per-zone partials and the summary table."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from adaptatie.errors import AdaptatieError


class ZonalInputError(AdaptatieError, ValueError):
    """The raster, the zones or the classes cannot be used for zonal statistics."""


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
