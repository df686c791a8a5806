"""Stress-test figures per region in words and numbers, one home for page, report and workshop.

The share of a region above a threshold is :func:`above_shares`: the area above it over the
area with valid values (both in the summary table, :mod:`adaptatie.stresstest.results`); the
stress-test page ranks regions by it, :func:`layer_result` writes it as a key figure and a plain
Dutch sentence for the council report and the risk dialogue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from adaptatie import fmt
from adaptatie.regions.models import REGION_SETS, Region
from adaptatie.stresstest.themes import LayerRecord

if TYPE_CHECKING:
    import pandas as pd

    from adaptatie.stresstest.results import RegionSummary, ResultsStore

def above_shares(summary: RegionSummary, index: int) -> pd.Series:
    """Share (0-1) of each region's valid area above threshold ``index`` (NaN without any)."""
    table = summary.table
    return table[summary.above_column(index)] / table["valid_area_ha"]


@dataclass(frozen=True)
class LayerResult:
    """One stress-test layer for the region: key-value rows and a plain sentence."""

    layer: LayerRecord
    rows: tuple[tuple[str, str], ...]
    sentences: tuple[str, ...]
    computed_at: str
    method: str


def _decimals(unit: str) -> int:
    return 2 if unit == "m" else 1


def _value(value: float, unit: str) -> str:
    if not math.isfinite(value):
        return "geen waarde"
    return f"{fmt.number(value, _decimals(unit))} {unit}"


def layer_result(store: ResultsStore, layer: LayerRecord, region: Region) -> LayerResult:
    """Key figures and plain Dutch sentences of one layer for one region."""
    region_set = region.kind.value
    if region_set not in REGION_SETS:
        return LayerResult(
            layer,
            (),
            (f"Voor een {region.kind.label.lower()} is geen stresstestsamenvatting beschikbaar.",),
            "",
            "",
        )
    summary = store.summary(layer, region_set, region.year)
    position, row = _row(summary, region.id)
    if row is None or not row["valid_area_ha"] > 0:
        return LayerResult(
            layer,
            (),
            (f"De laag {layer.title} heeft geen geldige waarden binnen deze regio.",),
            summary.computed_at,
            summary.method,
        )
    valid = float(row["valid_area_ha"])
    # No regional mean of a water depth or a risk class: averaged over a whole region it means
    # nothing to a reader ("Gemiddelde 0,00 m", "Gemiddelde 1,7 klasse"); the highest value
    # does, for classes in their own words. A mean temperature does mean something.
    rows: list[tuple[str, str]] = []
    if layer.unit not in ("m", "klasse"):
        rows.append((f"Gemiddelde {layer.quantity}", _value(float(row["mean"]), layer.unit)))
    rows += [
        (
            "Hoogste klasse" if layer.unit == "klasse" else "Maximum",
            _highest(layer, float(row["max"])),
        ),
        ("Oppervlakte met gegevens", f"{fmt.number(valid)} ha"),
    ]
    sentences = []
    for index, label in enumerate(layer.threshold_labels):
        above = float(row[summary.above_column(index)])
        share = fmt.percent(float(above_shares(summary, index).loc[position]))
        rows.append((f"Aandeel {label}", f"{share} ({fmt.number(above)} ha)"))
        sentences.append(_sentence(layer, label, share))
    for index, label in enumerate(layer.classes.labels):
        if layer.classes.background(index):  # "geen water", "< 5 cm": not under water
            continue
        share = float(row[summary.share_column(index)])
        rows.append((f"Klasse {label}", fmt.percent(share / 100)))
    if not sentences:
        sentences.append(
            f"Bij {layer.scenario} is de gemiddelde {layer.quantity} "
            f"{_value(float(row['mean']), layer.unit)}."
        )
    return LayerResult(layer, tuple(rows), tuple(sentences), summary.computed_at, summary.method)


def _highest(layer: LayerRecord, value: float) -> str:
    """The maximum as a class label for class rasters, else as a number with its unit."""
    if layer.unit == "klasse" and math.isfinite(value):
        bounds = layer.classes.bounds
        index = next(i for i in range(len(bounds) - 1) if bounds[i] <= value < bounds[i + 1])
        return layer.classes.labels[index]
    return _value(value, layer.unit)


def _row(summary: RegionSummary, region_id: str) -> tuple[object, dict | None]:
    table = summary.table[summary.table["region_code"] == region_id]
    return (None, None) if table.empty else (table.index[0], table.iloc[0].to_dict())


def _sentence(layer: LayerRecord, label: str, share: str) -> str:
    if layer.theme in ("wateroverlast", "overstroming"):
        return f"Bij {layer.scenario} staat op {share} van de oppervlakte {label}."
    return f"Bij {layer.scenario} heeft {share} van de oppervlakte een {label}."
