"""Tabular views of regions and lineage (pure pandas; the UI formats and shows them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from adaptatie import fmt
from adaptatie.regions.atlas import Atlas
from adaptatie.regions.lineage import Lineage
from adaptatie.regions.models import RegionKind


def regions_table(atlas: Atlas, year: int, kind: RegionKind) -> pd.DataFrame:
    """One row per region of ``kind`` in ``year`` with area, population and water boards."""
    rows = []
    for region in atlas.regions(year, kind):
        profile = atlas.profile(region)
        rows.append(
            {
                "code": region.id,
                "naam": region.name,
                "gemeenten": len(region.members),
                "oppervlakte_km2": round(profile.area_km2, 1),
                "inwoners": profile.population.inhabitants,
                "inwoners_jaar": profile.population.year,
                "waterschappen": ", ".join(
                    f"{w.name} ({fmt.percent(w.share, 0)})" for w in profile.waterschappen
                ),
                "grensjaar": year,
            }
        )
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame["inwoners"] = frame["inwoners"].astype("Int64")
        frame["inwoners_jaar"] = frame["inwoners_jaar"].astype("Int64")
    return frame


def changes_table(
    lineage: Lineage, effective: Mapping[str, tuple[int, ...]] | None = None
) -> pd.DataFrame:
    """One row per changed municipality between the two years of ``lineage``; ``effective``
    (:func:`adaptatie.regions.effective.effective_years`) gives the dates the changes took effect.
    """
    effective = effective or {}
    rows = []
    # Oldest change first (then by code), when the dates are known.
    changes = sorted(lineage.changes(), key=lambda c: (effective.get(c.to_code, ()), c.to_code))
    for change in changes:
        partial = "; ".join(
            f"{fmt.percent(t.share, 0)} van {t.from_name} ({fmt.area_km2(t.area_km2)})"
            for t in change.partial
        )
        rows.append(
            {
                "ingangsdatum": ", ".join(
                    fmt.date(dt.date(year, 1, 1)) for year in effective.get(change.to_code, ())
                ),
                "soort": change.kind,
                "code": change.to_code,
                "gemeente": change.to_name,
                "ontstaan uit": ", ".join(
                    f"{n} ({c})" for c, n in zip(change.from_codes, change.from_names, strict=True)
                ),
                "plus delen van": partial,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["ingangsdatum", "soort", "code", "gemeente", "ontstaan uit", "plus delen van"],
    )
