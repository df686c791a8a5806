"""Downloadable forms of stress-test results: every row carries its provenance."""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from adaptatie.regions.atlas import Atlas
from adaptatie.regions.models import ATOM_SET, RegionKind
from adaptatie.stresstest.results import RegionSummary


def export_frame(summary: RegionSummary) -> pd.DataFrame:
    """The summary with the provenance columns every download carries."""
    layer = summary.layer
    frame = summary.table.copy()
    frame["laag"] = layer.id
    frame["thema"] = layer.theme
    frame["scenario"] = layer.scenario
    frame["eenheid"] = layer.unit
    frame["synthetisch"] = "ja" if layer.synthetic else "nee"
    frame["bron"] = layer.source
    frame["datum_gegevens"] = layer.date
    frame["grensjaar"] = summary.year
    frame["grenzen"] = summary.boundaries
    frame["methode"] = summary.method
    frame["berekend_op"] = summary.computed_at
    return frame


def geopackage_bytes(atlas: Atlas, summary: RegionSummary, table: pd.DataFrame) -> bytes:
    """The regions (full detail, EPSG:28992) with the rows of ``table`` as a GeoPackage."""
    if summary.region_set == ATOM_SET:
        raise ValueError("gemeente x waterschap has no region polygons of its own")
    regions = atlas.region_frame(summary.year, RegionKind(summary.region_set))
    if summary.region_set == "waterschap":
        regions = regions.assign(geometry=regions.geometry.intersection(atlas.study_area()))
    merged = gpd.GeoDataFrame(
        table.merge(regions[["id", "geometry"]], left_on="region_code", right_on="id", how="left"),
        geometry="geometry",
        crs=regions.crs,
    ).drop(columns=["id"])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "stresstest.gpkg"
        merged.to_file(path, driver="GPKG", layer="stresstest")
        return path.read_bytes()
