"""Downloadable forms of stress-test results: every row carries its provenance.

:func:`export_frame` is the machine form (the GeoPackage: the summary's own column names and full
precision); :func:`csv_frame` is the form for people (the CSV download): Dutch column names,
areas in km² with 2 decimals, shares in % with 1 decimal, dates dd-mm-jjjj.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from adaptatie import fmt
from adaptatie.regions.atlas import Atlas
from adaptatie.regions.models import ATOM_SET, RegionKind
from adaptatie.stresstest.results import RegionSummary
from adaptatie.stresstest.shares import above_shares

#: The provenance columns that hold a date (written dd-mm-jjjj in the form for people).
_DATES = ("datum_gegevens", "berekend_op")


def _provenance(summary: RegionSummary) -> dict[str, object]:
    """The provenance columns every download carries, by their machine names, as stored.

    The form for people (:func:`csv_frame`) names them with a capital and spaces
    (``datum_gegevens``: ``Datum gegevens``) and writes the dates dd-mm-jjjj.
    """
    layer = summary.layer
    return {
        "laag": layer.id,
        "thema": layer.theme,
        "scenario": layer.scenario,
        "eenheid": layer.unit,
        "synthetisch": "ja" if layer.synthetic else "nee",
        "bron": layer.source,
        "datum_gegevens": layer.date,
        "grensjaar": summary.year,
        "grenzen": summary.boundaries,
        "methode": summary.method,
        "berekend_op": summary.computed_at,
    }


def export_frame(summary: RegionSummary) -> pd.DataFrame:
    """The summary with the provenance columns every download carries."""
    frame = summary.table.copy()
    for name, value in _provenance(summary).items():
        frame[name] = value
    return frame


def csv_frame(summary: RegionSummary) -> pd.DataFrame:
    """The summary for people: Dutch column names, rounded values, provenance per row."""
    layer, table = summary.layer, summary.table
    km2 = 100.0  # hectares per km²
    frame = pd.DataFrame(
        {
            "Regiocode": table["region_code"],
            "Regio": table["region_name"],
            f"Gemiddelde {layer.quantity} ({layer.unit})": table["mean"].round(2),
            f"Maximum {layer.quantity} ({layer.unit})": table["max"].round(2),
            "Oppervlakte (km²)": (table["area_ha"] / km2).round(2),
            "Met gegevens (km²)": (table["valid_area_ha"] / km2).round(2),
            "Zonder gegevens (km²)": (table["nodata_area_ha"] / km2).round(2),
        }
    )
    for index, label in enumerate(layer.classes.labels):
        frame[f"Aandeel klasse {label} (%)"] = table[summary.share_column(index)].round(1)
    for index, label in enumerate(layer.threshold_labels):
        frame[f"Aandeel met {label} (%)"] = (100.0 * above_shares(summary, index)).round(1)
        above_km2 = table[summary.above_column(index)] / km2
        frame[f"Oppervlakte met {label} (km²)"] = above_km2.round(2)
    for name, value in _provenance(summary).items():
        shown = fmt.date_text(str(value)) if name in _DATES else value
        frame[name.replace("_", " ").capitalize()] = shown
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
