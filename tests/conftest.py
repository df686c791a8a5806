"""Shared fixtures: the real CBS/PDOK data in ../shared/geodata and a synthetic folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine

from adaptatie.config import themes_file
from adaptatie.io.catalogue import Catalogue
from adaptatie.io.ingest import NODATA, LayerRequest, add_layer
from adaptatie.io.themes_file import read_themes
from adaptatie.regions.atlas import Atlas
from adaptatie.stresstest.results import ResultsStore
from tests.synthetic import KM, X0, Y0, write_regions_file, write_source_folder

# The real CBS/PDOK files beside the checkout; tests and CI read them (never the snapshot, which
# is built from them and tested separately).
SHARED_GEODATA = Path(__file__).resolve().parents[2] / "shared" / "geodata"


@pytest.fixture(scope="session")
def shared_geodata() -> Path:
    folder = SHARED_GEODATA
    if not (folder / "cbs_gemeenten_2024.geojson").is_file():
        pytest.fail(
            f"De gedeelde brongegevens ontbreken in {folder}; zet ../shared naast de checkout."
        )
    return folder


@pytest.fixture(scope="session")
def atlas(shared_geodata: Path) -> Atlas:
    """The real data with the project's own region definitions."""
    return Atlas.open(shared_geodata)


@pytest.fixture
def synthetic_dir(tmp_path: Path) -> Path:
    return write_source_folder(tmp_path / "bron")


@pytest.fixture
def synthetic_atlas(synthetic_dir: Path, tmp_path: Path) -> Atlas:
    return Atlas.open(synthetic_dir, write_regions_file(tmp_path / "regions.toml"))


def write_ramp(path: Path) -> Path:
    """A SYNTHETIC heat raster over the synthetic world: value = 10 + x (x in km from its west
    edge), 30 x 10 km at 100 m, so a strip from x0 to x1 km has mean 10 + (x0 + x1) / 2."""
    columns = np.arange(300)  # 30 km at 100 m
    values = np.tile(10.0 + (columns + 0.5) * 0.1, (100, 1)).astype("float32")
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


@pytest.fixture
def ramp_raster() -> Callable[[Path], Path]:
    """Factory: write the ramp raster (:func:`write_ramp`) to a path."""
    return write_ramp


@pytest.fixture
def store(synthetic_atlas: Atlas, tmp_path: Path) -> ResultsStore:
    """A results store over the synthetic world with the ramp layer ``hitte-ramp``."""
    catalogue = Catalogue(tmp_path / "home")
    request = LayerRequest(
        "hitte-ramp",
        read_themes(themes_file())["hitte"],
        "SYNTHETISCHE helling",
        "°C",
        synthetic=True,
    )
    add_layer(catalogue, write_ramp(tmp_path / "ramp.tif"), request, synthetic_atlas.study_area())
    return ResultsStore(synthetic_atlas, catalogue, tmp_path / "home")


@pytest.fixture
def app_home(
    shared_geodata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Path]:
    """A factory: a fresh home folder for the app under AppTest, with Streamlit's caches cleared.

    The app reads the real boundaries, or the folder ``data`` (and the region definitions
    ``regions``) when given; with ``demo_m`` the home folder gets the SYNTHETIC demo layers at that
    resolution (metres).
    """

    def make(
        demo_m: float | None = None,
        *,
        data: Path | None = None,
        regions: Path | None = None,
    ) -> Path:
        import streamlit as st

        from adaptatie.config import DATA_DIR_ENV, HOME_ENV, REGIONS_FILE_ENV
        from adaptatie.stresstest.demo import install_demo
        from adaptatie.workspace import Workspace

        home = tmp_path / "home"
        source = shared_geodata if data is None else data
        monkeypatch.setenv(DATA_DIR_ENV, str(source))
        if regions is not None:
            monkeypatch.setenv(REGIONS_FILE_ENV, str(regions))
        monkeypatch.setenv(HOME_ENV, str(home))
        monkeypatch.delenv("ADAPTATIE_DB_URL", raising=False)
        st.cache_resource.clear()
        st.cache_data.clear()
        home.mkdir(parents=True, exist_ok=True)
        if demo_m is not None:
            space = Workspace(source, regions, home=home)
            install_demo(space.catalogue, space.themes, space.atlas.study_area(), demo_m)
        return home

    return make
