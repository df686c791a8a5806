"""Measure coverage: which hotspots the granted and realised measures of the ledger reach.

A hotspot counts as *reached* when a measure of the hotspot's theme, with status toegekend, in
uitvoering or gerealiseerd (the statuses whose Rijk contribution counts as granted,
:data:`adaptatie.finance.records.GRANTED`), has a location (point or polygon, WKT in RD New)
that lies in the hotspot or at most ``distance_m`` from it (distance between the geometries, so
49 m counts at 50 m and 51 m does not). A measure reaching several hotspots counts for each; the
Rijk money of a region counts each measure once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from adaptatie.finance.records import GRANTED, Measure

DEFAULT_DISTANCE_M = 50.0
METHOD = (
    "Bereikt: een maatregel van hetzelfde thema met status toegekend, in uitvoering of "
    "gerealiseerd ligt in de hotspot of binnen de gekozen afstand (afstand tussen de geometrieën)"
)


@dataclass(frozen=True)
class Coverage:
    """Per hotspot: reached or not, by which measures and with how much Rijk money."""

    table: pd.DataFrame  # hotspot_id, reached, measures, rijk_cents, nearest_m
    distance_m: float
    theme: str
    measures_used: int  # located measures of the theme with a granted status
    measures_unlocated: int  # measures of the theme with a granted status but no location

    def reached_ids(self) -> set[str]:
        return set(self.table.loc[self.table["reached"], "hotspot_id"])


def counting(measures: Sequence[Measure], theme: str) -> tuple[list[Measure], int]:
    """Located measures of the theme with a granted status, and how many lack a location."""
    chosen = [m for m in measures if m.status in GRANTED and theme in {t.value for t in m.themes}]
    located = [m for m in chosen if (m.location_wkt or "").strip()]
    return located, len(chosen) - len(located)


def coverage(
    hotspots: pd.DataFrame,
    measures: Sequence[Measure],
    theme: str,
    distance_m: float = DEFAULT_DISTANCE_M,
) -> Coverage:
    """Which hotspots (``hotspot_id``, ``geometry``) the measures reach."""
    located, unlocated = counting(measures, theme)
    geoms = hotspots.geometry.to_numpy() if len(hotspots) else np.array([], dtype=object)
    where = np.array([shapely.from_wkt(m.location_wkt) for m in located], dtype=object)
    reach: list[list[int]] = [[] for _ in range(len(geoms))]
    nearest = np.full(len(geoms), np.inf)
    if len(where) and len(geoms):
        tree = shapely.STRtree(where)
        h, m = tree.query(geoms, predicate="dwithin", distance=distance_m)
        for hi, mi in zip(h, m, strict=True):
            reach[hi].append(int(mi))
        near_h, near_m = tree.query_nearest(geoms, return_distance=False, all_matches=False)
        nearest[near_h] = shapely.distance(geoms[near_h], where[near_m])
    table = pd.DataFrame(
        {
            "hotspot_id": list(hotspots["hotspot_id"]) if len(hotspots) else [],
            "reached": [bool(r) for r in reach],
            "measures": [", ".join(located[i].id for i in sorted(r)) for r in reach],
            "measure_index": [tuple(sorted(r)) for r in reach],
            "rijk_cents": [sum(located[i].rijk_contribution_cents or 0 for i in r) for r in reach],
            "nearest_m": nearest,
        }
    )
    return Coverage(table, distance_m, theme, len(located), unlocated)


def per_region(
    ranked: pd.DataFrame, found: Coverage, measures: Sequence[Measure], top: int = 3
) -> pd.DataFrame:
    """Per region (rows of :func:`adaptatie.stresstest.hotspots.ranked`): hotspots reached and
    not, their area, the Rijk money of the measures reaching them (each measure once), the money
    per reached hotspot and the largest hotspots no measure reaches."""
    located, _ = counting(measures, found.theme)
    joined = ranked.merge(found.table, on="hotspot_id", how="left")
    rows = []
    for (code, name), group in joined.groupby(["region_code", "region_name"], sort=False):
        reached = group[group["reached"]]
        unreached = group[~group["reached"]].sort_values("area_m2", ascending=False)
        used = {i for t in reached["measure_index"] for i in t}
        money = sum(located[i].rijk_contribution_cents or 0 for i in used)
        rows.append(
            {
                "region_code": code,
                "region_name": name,
                "hotspots": len(group),
                "bereikt": len(reached),
                "niet_bereikt": len(unreached),
                "oppervlakte_bereikt_ha": reached["area_m2"].sum() / 10_000.0,
                "oppervlakte_niet_bereikt_ha": unreached["area_m2"].sum() / 10_000.0,
                "rijksbijdrage_cents": money,
                "rijksbijdrage_per_bereikte_hotspot_cents": money // len(reached)
                if len(reached)
                else 0,
                "grootste_niet_bereikt": ", ".join(unreached["hotspot_id"].head(top)),
            }
        )
    return pd.DataFrame(rows)


def objects_reached(
    hotspots: pd.DataFrame, found: Coverage, objects: pd.DataFrame, exposed: np.ndarray
) -> pd.DataFrame:
    """Exposed objects (``exposed`` True) per hotspot they touch, reached or not: columns
    ``object_id``, ``hotspot_id``, ``reached``. Objects in no hotspot are not listed."""
    geoms = hotspots.geometry.to_numpy() if len(hotspots) else np.array([], dtype=object)
    chosen = objects.loc[exposed]
    if not len(chosen) or not len(geoms):
        return pd.DataFrame({"object_id": [], "hotspot_id": [], "reached": []})
    tree = shapely.STRtree(geoms)
    o, h = tree.query(chosen.geometry.to_numpy(), predicate="dwithin", distance=2.0)
    reached = found.reached_ids()
    ids = np.asarray(hotspots["hotspot_id"])[h]
    return pd.DataFrame(
        {
            "object_id": chosen["id"].to_numpy()[o],
            "hotspot_id": ids,
            "reached": [i in reached for i in ids],
        }
    )
