"""Upload fields: the limit they name is the one the server and the app apply."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1.util import patch_config_options

from adaptatie.exposure.layers import OBJECTS_MB
from adaptatie.limits import RASTER_MB, UPLOAD_MB
from adaptatie.ui.uploads import allowed_mb, upload_caption

ROOT = Path(__file__).resolve().parents[1]


def test_the_server_takes_the_largest_upload_the_app_allows() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server_mb = config["server"]["maxUploadSize"]
    assert server_mb == max(RASTER_MB.default, OBJECTS_MB.default, UPLOAD_MB.default) == 4000


def test_a_field_names_its_own_limit_capped_by_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    with patch_config_options({"server.maxUploadSize": 4000}):
        assert allowed_mb(UPLOAD_MB) == 20
        assert allowed_mb(RASTER_MB) == 4000
        monkeypatch.setenv(UPLOAD_MB.setting, "50")
        assert allowed_mb(UPLOAD_MB) == 50
        monkeypatch.setenv(RASTER_MB.setting, "8000")  # more than the server takes: the server's
        assert allowed_mb(RASTER_MB) == 4000


def test_caption_lists_the_types_and_the_size() -> None:
    assert upload_caption(["csv", "xlsx"], 20) == "Eén bestand (.csv of .xlsx), ten hoogste 20 MB."
    assert upload_caption(["gpkg", "geojson", "json", "zip"], 2000) == (
        "Eén bestand (.gpkg, .geojson, .json of .zip), ten hoogste 2.000 MB."
    )
    assert upload_caption(["tif"], 4000) == "Eén bestand (.tif), ten hoogste 4.000 MB."
