"""BGT wegdelen (road polygons) as roads: read in the PDOK schemas, summarised as road AREA per
passability class, worked out by hand on the bowl of tests.exposure.worlds. NWB lines keep
giving length (tests/exposure/test_worlds.py)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from adaptatie.errors import DataFileError
from adaptatie.exposure.areas import cut_by_atoms
from adaptatie.exposure.layers import AREAS, LINES, ColumnMap, default_column, read_objects
from adaptatie.exposure.store import ObjectStore
from adaptatie.exposure.summaries import ExposureStore
from adaptatie.regions.atlas import Atlas
from adaptatie.report.exposure_section import plain_row
from adaptatie.stresstest.results import ResultsStore
from tests.exposure.worlds import BOWL_NORTH, BOWL_WEST, PIXEL

RD = "EPSG:28992"
ROW2_MID = BOWL_NORTH - 2.5 * PIXEL  # the middle row of the bowl: 0, 0.25, 0.60, 0.25, 0


def strip(x0: float, x1: float, width: float = 6.0) -> shapely.Polygon:
    """A road polygon along the bowl's middle row from x0 to x1 (m east of its west edge)."""
    return shapely.box(BOWL_WEST + x0, ROW2_MID - width / 2, BOWL_WEST + x1, ROW2_MID + width / 2)


def bgt_wegdelen(path: Path, geoms: list[shapely.Polygon]) -> Path:
    """A BGT wegdeel layer as PDOK's OGC API delivers it (lokaal_id, functie, fysiek_voorkomen)."""
    gpd.GeoDataFrame(
        {
            "lokaal_id": [f"G0114.{i:032x}" for i in range(len(geoms))],
            "bronhouder": ["G0114"] * len(geoms),
            "functie": ["rijbaan lokale weg", "fietspad", "voetpad"][: len(geoms)],
            "fysiek_voorkomen": ["gesloten verharding"] * len(geoms),
            "relatieve_hoogteligging": [0] * len(geoms),
        },
        geometry=geoms,
        crs=RD,
    ).to_file(path, layer="wegdeel", driver="GPKG")
    return path


def test_ogc_api_schema_is_read_as_road_areas(tmp_path: Path) -> None:
    loaded = read_objects(bgt_wegdelen(tmp_path / "bgt.gpkg", [strip(10, 70)]), ColumnMap("wegen"))
    assert loaded.shape == AREAS
    assert loaded.frame["id"].tolist() == [f"G0114.{0:032x}"]
    assert loaded.frame["function"].tolist() == ["rijbaan lokale weg"]


def test_gml_light_names_are_found_and_nwb_keeps_its_own(tmp_path: Path) -> None:
    # GML light as GeoTools names it (brmo): identificatie.lokaalID and bgt-functie.
    path = tmp_path / "bgt_wegdeel.geojson"
    gpd.GeoDataFrame(
        {"identificatie.lokaalID": ["W1"], "bgt-functie": ["fietspad"], "plus-functie": [""]},
        geometry=[strip(0, 20)],
        crs=RD,
    ).to_file(path, driver="GeoJSON")
    frame = read_objects(path, ColumnMap("wegen")).frame
    assert frame[["id", "function"]].values.tolist() == [["W1", "fietspad"]]
    assert default_column("wegen", "id", ["fid", "LOKAALID"]) == "LOKAALID"
    assert default_column("wegen", "id", ["WVK_ID", "lokaal_id"]) == "WVK_ID"  # NWB first
    assert default_column("wegen", "function", ["STT_NAAM"]) is None


def test_bad_bgt_files(tmp_path: Path) -> None:
    mixed = tmp_path / "gemengd.gpkg"
    gpd.GeoDataFrame(
        {"lokaal_id": ["V", "L"]},
        geometry=[strip(0, 20), shapely.LineString([(0, 0), (10, 0)])],
        crs=RD,
    ).to_file(mixed)
    with pytest.raises(DataFileError, match=r"mengt lijnen .* en vlakken .*Oplossing: voeg NWB"):
        read_objects(mixed, ColumnMap("wegen"))
    nameless = tmp_path / "zonder_id.gpkg"
    gpd.GeoDataFrame({"functie": ["voetpad"]}, geometry=[strip(0, 20)], crs=RD).to_file(nameless)
    with pytest.raises(DataFileError, match=r"ontbreken: WVK_ID .*ook herkend: lokaal_id"):
        read_objects(nameless, ColumnMap("wegen"))
    with pytest.raises(DataFileError, match=r"ontbreken: code .*Gevonden: functie"):
        read_objects(nameless, ColumnMap("wegen", {"id": "code"}))


def test_a_wegdeel_crossing_a_boundary_is_cut(synthetic_atlas: Atlas) -> None:
    # Aadorp and Beedorp meet at x = BOWL_WEST + 50 m; a 60 m x 6 m strip from +10 to +70 m is
    # 40 m x 6 m = 240 m² in Aadorp and 20 m x 6 m = 120 m² in Beedorp.
    atoms = synthetic_atlas.atoms(2017)
    pieces, atom = cut_by_atoms(np.array([strip(10, 70)], dtype=object), atoms)
    found = sorted(zip(atoms["gemeente"].to_numpy()[atom], shapely.area(pieces), strict=True))
    assert found == [("GM9001", pytest.approx(240.0)), ("GM9002", pytest.approx(120.0))]
    # A wegdeel inside one atom stays whole.
    inside = strip(0, 20)
    pieces, atom = cut_by_atoms(np.array([inside], dtype=object), atoms)
    assert len(pieces) == 1 and pieces[0].equals(inside)
    assert atoms["gemeente"].iloc[atom[0]] == "GM9001"


def test_road_area_per_passability_class_by_hand(bowl_store: ResultsStore, tmp_path: Path) -> None:
    # Road A, 6 m wide along the middle row from +10 m to +70 m (east of the bowl's west edge):
    #   column 0 (0 m)     x 10-25: 15 x 6 =  90 m² passable,           Aadorp
    #   column 1 (0.25 m)  x 25-50: 25 x 6 = 150 m² impassable (> 15),  Aadorp
    #   column 2 (0.60 m)  x 50-70: 20 x 6 = 120 m² not even emergency, Beedorp
    # Road B, 6 m wide from -10 m to +10 m: 10 x 6 = 60 m² outside the raster (no data) and
    # 10 x 6 = 60 m² in column 0 (passable), all in Aadorp.
    path = bgt_wegdelen(tmp_path / "bgt.gpkg", [strip(10, 70), strip(-10, 10)])
    objects = ObjectStore(tmp_path / "home")
    record = objects.add(
        path,
        layer_id="bgt",
        columns=ColumnMap("wegen"),
        title="BGT-wegdelen",
        source="SYNTHETISCH",
        date="2026-01-01",
    )
    assert record.shape == AREAS and record.road_areas
    assert "oppervlakte in m²" in record.kind_label
    layer = bowl_store.catalogue.get("wo-kom")
    summary = ExposureStore(bowl_store, objects).summary(layer, record, "gemeente", 2017)
    rows = summary.table.set_index("region_code")
    aadorp, beedorp = rows.loc["GM9001"], rows.loc["GM9002"]
    assert aadorp["wegoppervlak (m²)"] == pytest.approx(90 + 150 + 120)
    assert aadorp["wegoppervlak begaanbaar (m²)"] == pytest.approx(90 + 60)
    assert aadorp["wegoppervlak onbegaanbaar >15 cm (m²)"] == pytest.approx(150)
    assert aadorp["wegoppervlak ook niet voor hulpdiensten >30 cm (m²)"] == pytest.approx(0)
    assert aadorp["wegoppervlak geen gegevens (m²)"] == pytest.approx(60)
    assert beedorp["wegoppervlak (m²)"] == pytest.approx(120)
    assert beedorp["wegoppervlak ook niet voor hulpdiensten >30 cm (m²)"] == pytest.approx(120)
    assert beedorp["wegoppervlak begaanbaar (m²)"] == pytest.approx(0)
    assert not any(c.startswith("weglengte") for c in summary.table.columns)
    assert "oppervlakte (m²)" in summary.provenance and "m²" in summary.measure
    # The council report reads the area rows as area.
    assert plain_row("wegoppervlak onbegaanbaar >15 cm (m²)", 150.0, "m") == (
        "wegoppervlak onbegaanbaar (15-30 cm water)",
        "150 m²",
    )


def test_nwb_lines_still_give_length(tmp_path: Path) -> None:
    path = tmp_path / "nwb.gpkg"
    gpd.GeoDataFrame(
        {"WVK_ID": [1], "STT_NAAM": ["Kommeweg"]},
        geometry=[shapely.LineString([(0, 0), (100, 0)])],
        crs=RD,
    ).to_file(path)
    store = ObjectStore(tmp_path / "home")
    record = store.add(
        path, layer_id="nwb", columns=ColumnMap("wegen"), title="", source="NWB", date="2026-01-01"
    )
    assert (record.shape, record.road_areas) == (LINES, False)
    assert "lengte in m" in record.kind_label
