"""Shared fixtures: the real CBS/PDOK data in ../shared/geodata and a synthetic folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from adaptatie.regions.atlas import Atlas
from tests.synthetic import write_regions_file, write_source_folder

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
