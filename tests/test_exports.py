"""Downloads carry provenance and are safe to open in a spreadsheet."""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from adaptatie.stresstest.exports import export_frame, geopackage_bytes
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
