"""Downloads carry provenance and are safe to open in a spreadsheet."""

from __future__ import annotations

import io
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from adaptatie.exposure.summaries import ExposureSummary
from adaptatie.stresstest.exports import csv_frame, export_frame, geopackage_bytes
from adaptatie.stresstest.results import ResultsStore
from adaptatie.ui.downloads import csv_bytes


def test_geopackage_has_regions_numbers_and_provenance(store: ResultsStore, tmp_path: Path) -> None:
    summary = store.summary(store.catalogue.get("hitte-ramp"), "gemeente", 2017)
    table = export_frame(summary)
    assert set(table["synthetisch"]) == {"ja"}
    assert set(table["grensjaar"]) == {2017}
    path = tmp_path / "uit.gpkg"
    path.write_bytes(geopackage_bytes(store.atlas, summary, table))
    frame = gpd.read_file(path)
    assert frame.crs.to_epsg() == 28992
    areas = dict(zip(frame["region_code"], frame.geometry.area / 1e6, strict=True))
    assert areas == {
        "GM9001": pytest.approx(100.0),
        "GM9002": pytest.approx(100.0),
        "GM9003": pytest.approx(100.0),
    }
    assert frame.loc[frame["region_code"] == "GM9002", "mean"].iloc[0] == pytest.approx(
        25.0, abs=1e-4
    )
    assert set(frame["laag"]) == {"hitte-ramp"}


def test_csv_is_dutch_and_formula_safe() -> None:
    frame = pd.DataFrame({"naam": ['=HYPERLINK("x")', "+31", "Assen"], "waarde": [1.5, 2.25, 3.0]})
    text = csv_bytes(frame, source="test").decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "# Bron: test"
    assert lines[1] == "naam;waarde"
    assert lines[3] == "'+31;2,25"
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",", comment="#")
    assert back["naam"].tolist() == ['\'=HYPERLINK("x")', "'+31", "Assen"]
    assert back["waarde"].tolist() == [1.5, 2.25, 3.0]


def test_stress_test_csv_is_for_people(store: ResultsStore) -> None:
    # The SYNTHETIC ramp is 10 + x °C (x in km) over three 10 x 10 km municipalities: Aadorp
    # (x 0-10) has mean 15 °C and max 19,95 °C (the last pixel centre), Ceedorp (x 20-30) lies
    # half above 35 °C: 50,0 % and 50 km².
    summary = store.summary(store.catalogue.get("hitte-ramp"), "gemeente", 2017)
    data = csv_bytes(csv_frame(summary), source="test")
    assert data.startswith("\ufeff".encode())  # UTF-8 with BOM: Excel reads the ° and ²
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[1].split(";")[:7] == [
        "Regiocode",
        "Regio",
        "Gemiddelde gevoelstemperatuur (PET) (°C)",
        "Maximum gevoelstemperatuur (PET) (°C)",
        "Oppervlakte (km²)",
        "Met gegevens (km²)",
        "Zonder gegevens (km²)",
    ]
    assert lines[2].split(";")[:7] == ["GM9001", "Aadorp", "15,0", "19,95", "100,0", "100,0", "0,0"]
    table = pd.read_csv(io.StringIO("\n".join(lines)), sep=";", decimal=",", comment="#")
    ceedorp = table.set_index("Regio").loc["Ceedorp"]
    label = "gevoelstemperatuur boven 35 °C (sterke hittestress)"
    assert ceedorp[f"Aandeel met {label} (%)"] == 50.0
    assert ceedorp[f"Oppervlakte met {label} (km²)"] == 50.0
    assert ceedorp["Aandeel klasse matige (29-35 °C) (%)"] == 50.0
    beedorp = table.set_index("Regio").loc["Beedorp"]
    assert beedorp["Aandeel klasse lichte (23-29 °C) (%)"] == 60.0
    assert set(table["Synthetisch"]) == {"ja"}
    assert re.fullmatch(r"\d\d-\d\d-\d{4}", table["Berekend op"].iloc[0])  # not ISO
    assert not any(c.startswith(("share_", "above_", "region_")) for c in table.columns)


def test_missing_values_are_empty_cells() -> None:
    frame = pd.DataFrame({"a": [1.5, float("nan")], "b": pd.array([3, None], dtype="Int64")})
    lines = csv_bytes(frame, source="test").decode("utf-8-sig").splitlines()
    assert lines[2:] == ["1,5;3", ";"]


def test_exposure_csv_has_dutch_headers_and_whole_numbers() -> None:
    table = pd.DataFrame(
        {
            "region_code": ["GM0114"],
            "region_name": ["Emmen"],
            "inwoners": [1234.6],
            "inwoners boven 0,15 m": [10.4],
        }
    )
    summary = ExposureSummary(None, None, "gemeente", 2024, table, "")  # type: ignore[arg-type]
    lines = csv_bytes(summary.csv_frame(), source="test").decode("utf-8-sig").splitlines()
    assert lines[1:] == ["Regiocode;Regio;inwoners;inwoners boven 0,15 m", "GM0114;Emmen;1235;10"]
