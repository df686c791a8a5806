"""Hotspots, their coverage by measures and exposed objects for one region set: the numbers the
Hotspots page, the Cofinanciering page and the council report show, computed in one place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from adaptatie import fmt
from adaptatie.exposure import coverage as cov
from adaptatie.exposure.sampling import object_values
from adaptatie.exposure.store import ObjectRecord, ObjectStore
from adaptatie.exposure.summaries import ExposureStore, ExposureSummary
from adaptatie.finance.money import format_euros
from adaptatie.finance.records import Measure
from adaptatie.regions.models import REGION_SETS
from adaptatie.stresstest.hotspots import DEFAULT_MIN_AREA_M2, HotspotSet, hotspots, ranked
from adaptatie.stresstest.results import ResultsStore
from adaptatie.stresstest.themes import LayerRecord


@dataclass(frozen=True)
class HotspotView:
    found: HotspotSet
    region_set: str
    ranked: pd.DataFrame  # per (region, hotspot), see hotspots.ranked
    coverage: cov.Coverage
    regions: pd.DataFrame  # per region, see coverage.per_region

    @property
    def provenance(self) -> str:
        layer = self.found.layer
        synthetic = " SYNTHETISCH: geen meting." if layer.synthetic else ""
        return (
            f"Hotspots: {layer.title}, bron {layer.source} ({fmt.date_text(layer.date)}); drempel "
            f"{fmt.number(self.found.threshold, 2)} {layer.unit}, minimaal "
            f"{fmt.number(self.found.min_area_m2)} m². Methode: {self.found.method}. "
            f"Maatregelen: {cov.METHOD}, afstand {fmt.number(self.coverage.distance_m)} m. "
            f"{REGION_SETS[self.region_set]}, grensjaar {self.found.year}.{synthetic}"
        )

    def hotspot_rows(self, region_code: str | None = None) -> pd.DataFrame:
        """Dutch table: rank per region, id, area, max, mean, reached, measures, Rijk money."""
        table = self.ranked.merge(self.coverage.table, on="hotspot_id", how="left")
        if region_code is not None:
            table = table[table["region_code"] == region_code]
        unit = self.found.layer.unit
        return pd.DataFrame(
            {
                "Regio": table["region_name"],
                "Rang": table["rank"],
                "Hotspot": table["hotspot_id"],
                "Oppervlakte (ha)": [fmt.number(a / 10_000, 2) for a in table["area_m2"]],
                f"Maximum ({unit})": [fmt.number(v, 2) for v in table["max"]],
                f"Gemiddeld ({unit})": [fmt.number(v, 2) for v in table["mean"]],
                "Bereikt": ["ja" if r else "nee" for r in table["reached"]],
                "Maatregelen": table["measures"],
                "Rijksbijdrage": [format_euros(int(c)) if c else "" for c in table["rijk_cents"]],
            }
        )

    def region_rows(self) -> pd.DataFrame:
        r = self.regions
        if r.empty:
            return pd.DataFrame()
        return pd.DataFrame(
            {
                "Regio": r["region_name"],
                "Hotspots": r["hotspots"],
                "Bereikt": r["bereikt"],
                "Niet bereikt": r["niet_bereikt"],
                "Bereikt (ha)": [fmt.number(v, 2) for v in r["oppervlakte_bereikt_ha"]],
                "Niet bereikt (ha)": [fmt.number(v, 2) for v in r["oppervlakte_niet_bereikt_ha"]],
                "Rijksbijdrage bij bereikte hotspots": [
                    format_euros(int(c)) for c in r["rijksbijdrage_cents"]
                ],
                "Per bereikte hotspot": [
                    format_euros(int(c)) for c in r["rijksbijdrage_per_bereikte_hotspot_cents"]
                ],
                "Grootste niet bereikt": r["grootste_niet_bereikt"],
            }
        )


def hotspot_view(
    store: ResultsStore,
    layer: LayerRecord,
    threshold: float,
    region_set: str,
    year: int,
    measures: Sequence[Measure],
    *,
    min_area_m2: float = DEFAULT_MIN_AREA_M2,
    distance_m: float = cov.DEFAULT_DISTANCE_M,
) -> HotspotView:
    found = hotspots(store, layer, threshold, year, min_area_m2)
    table = ranked(found, store, region_set)
    reach = cov.coverage(found.frame, measures, layer.theme, distance_m)
    return HotspotView(found, region_set, table, reach, cov.per_region(table, reach, measures))


def exposure_summaries(
    store: ResultsStore,
    objects: ObjectStore,
    layer: LayerRecord,
    region_set: str,
    year: int,
    records: Sequence[ObjectRecord] | None = None,
) -> list[ExposureSummary]:
    """The exposure of the given object layers (default: every stored one) to one stress-test
    layer, per region of ``region_set``."""
    exposure = ExposureStore(store, objects)
    chosen = objects.records() if records is None else records
    return [exposure.summary(layer, r, region_set, year) for r in chosen]


def objects_reached(
    view: HotspotView, store: ResultsStore, objects: ObjectStore, record: ObjectRecord
) -> pd.DataFrame:
    """Per region: exposed objects (value at the façade or under the point above the hotspot
    threshold) that touch a hotspot a measure reaches, and those that touch only unreached
    hotspots. Buildings and vital objects only (roads and cells are not objects one reaches)."""
    layer = view.found.layer
    frame = objects.frame(record)
    geoms = frame.geometry.to_numpy()
    raster = store.catalogue.file(layer, layer.analysis_file)
    sampled = object_values(raster, geoms)
    values, dtype = sampled.values, sampled.dtype
    kind = dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)
    with np.errstate(invalid="ignore"):
        exposed = values.astype(kind) > np.array(view.found.threshold, dtype=kind)
    pairs = cov.objects_reached(view.found.frame, view.coverage, frame, exposed)
    regions = view.ranked[["hotspot_id", "region_code", "region_name"]]
    joined = pairs.merge(regions, on="hotspot_id")
    rows = []
    for (code, name), group in joined.groupby(["region_code", "region_name"], sort=False):
        by_object = group.groupby("object_id")["reached"].any()
        rows.append(
            {
                "region_code": code,
                "Regio": name,
                "Blootgesteld in een hotspot": len(by_object),
                "Bereikt": int(by_object.sum()),
                "Niet bereikt": int((~by_object).sum()),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["region_code", "Regio", "Blootgesteld in een hotspot", "Bereikt", "Niet bereikt"],
    )
