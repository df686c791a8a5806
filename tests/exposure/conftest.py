"""Fixtures of the exposure tests: the bowl of tests.exposure.worlds as a stress-test layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from adaptatie.config import themes_file
from adaptatie.io.ingest import LayerRequest, add_layer
from adaptatie.io.themes_file import read_themes
from adaptatie.regions.atlas import Atlas
from adaptatie.stresstest.results import ResultsStore
from tests.exposure.worlds import BOWL, write_raster

THEMES = read_themes(themes_file())


@pytest.fixture
def bowl_store(synthetic_atlas: Atlas, tmp_path: Path) -> ResultsStore:
    from adaptatie.io.catalogue import Catalogue

    catalogue = Catalogue(tmp_path / "home")
    request = LayerRequest(
        "wo-kom",
        THEMES["wateroverlast"],
        "SYNTHETISCHE kom",
        "m",
        "SYNTHETISCH",
        "2026-01-01",
        synthetic=True,
    )
    add_layer(
        catalogue, write_raster(tmp_path / "kom.tif", BOWL), request, synthetic_atlas.study_area()
    )
    return ResultsStore(synthetic_atlas, catalogue, tmp_path / "home")
