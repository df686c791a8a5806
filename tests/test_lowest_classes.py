"""Dry land is not flooded (issue 14 item 3): every theme's lowest class checked, and the figures
of page, report and workshop give no share for a "no water" class and no regional mean.

The SYNTHETIC flood raster below is 0 m in x 0-15 km and 0,30 m in x 15-30 km of the synthetic
world (tests/synthetic.py), so Beedorp (x 10-20 km, 2017) is half dry and half 20-50 cm deep.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio
from affine import Affine

from adaptatie.config import themes_file
from adaptatie.io.catalogue import Catalogue
from adaptatie.io.ingest import NODATA, LayerRequest, add_layer
from adaptatie.io.themes_file import read_themes
from adaptatie.regions.atlas import Atlas
from adaptatie.regions.models import RegionKind
from adaptatie.stresstest.results import ResultsStore
from adaptatie.stresstest.shares import layer_result
from tests.synthetic import KM, X0, Y0

THEMES = read_themes(themes_file())


def test_the_lowest_water_class_of_each_depth_theme_is_transparent_no_water() -> None:
    # Depth themes: the lowest class is what a reader must not take as "under water".
    expected = {"wateroverlast": "< 5 cm", "overstroming": "geen water"}
    for key, label in expected.items():
        classes = THEMES[key].classes
        assert classes.labels[0] == label
        assert classes.background(0), f"{key}: {classes.colours[0]} is niet doorzichtig"
        assert not any(classes.background(i) for i in range(1, len(classes.labels)))
    # 0 m falls in the lowest flood class, 1 cm in the next one.
    assert THEMES["overstroming"].classes.edges[0] == 0.01
    # Heat and drought: the lowest class is a real finding (no heat stress, very low risk).
    for key in ("hitte", "droogte"):
        assert not THEMES[key].classes.background(0)


def _flood_raster(path: Path) -> Path:
    values = np.zeros((100, 300), dtype="float32")  # 100 m pixels, 30 x 10 km
    values[:, 150:] = 0.30
    profile = {
        "driver": "GTiff",
        "dtype": "float32",
        "count": 1,
        "width": 300,
        "height": 100,
        "crs": "EPSG:28992",
        "transform": Affine(100.0, 0.0, X0, 0.0, -100.0, Y0 + 10 * KM),
        "nodata": NODATA,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values, 1)
    return path


def test_the_report_figures_leave_out_dry_land_and_the_regional_mean(
    synthetic_atlas: Atlas, tmp_path: Path
) -> None:
    catalogue = Catalogue(tmp_path / "home")
    request = LayerRequest(
        "overstroming-test", THEMES["overstroming"], "SYNTHETISCH 1/1000", "m", synthetic=True
    )
    layer = add_layer(
        catalogue, _flood_raster(tmp_path / "flood.tif"), request, synthetic_atlas.study_area()
    )
    store = ResultsStore(synthetic_atlas, catalogue, tmp_path / "home")
    beedorp = synthetic_atlas.region(RegionKind.GEMEENTE, "GM9002", 2017)
    rows = dict(layer_result(store, layer, beedorp).rows)
    assert "Klasse geen water" not in rows
    assert not any(label.startswith("Gemiddelde") for label in rows)
    assert rows["Klasse 20-50 cm"] == "50,0 %"
    assert rows["Klasse 1-20 cm"] == "0,0 %"
    assert rows["Maximum"] == "0,30 m"
    assert rows["Aandeel meer dan 50 cm water"].startswith("0,0 %")
