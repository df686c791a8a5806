"""Where adaptatie finds its inputs.

Source data (CBS/PDOK boundaries and the population table) are read from a folder chosen with the
environment variable ``ADAPTATIE_DATA_DIR``. Without it, ``../shared/geodata`` beside the project
checkout is used when it exists. Region definitions live in the project's ``geodata/`` folder and
can be replaced with ``ADAPTATIE_REGIONS_FILE``.
"""

from __future__ import annotations

import os
from pathlib import Path

from adaptatie.errors import DataSourceError

DATA_DIR_ENV = "ADAPTATIE_DATA_DIR"
REGIONS_FILE_ENV = "ADAPTATIE_REGIONS_FILE"


def project_root() -> Path:
    """The checkout this package runs from (the folder holding ``pyproject.toml``)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "geodata").is_dir():
            return parent
    return Path.cwd()


def default_data_dir() -> Path:
    """``../shared/geodata`` next to the project checkout."""
    return project_root().parent / "shared" / "geodata"


def data_dir(override: str | Path | None = None) -> Path:
    """Resolve the source-data folder, raising a Dutch error when it does not exist."""
    if override is not None:
        chosen, how = Path(override), "opgegeven map"
    elif os.environ.get(DATA_DIR_ENV):
        chosen, how = Path(os.environ[DATA_DIR_ENV]), f"omgevingsvariabele {DATA_DIR_ENV}"
    else:
        chosen, how = default_data_dir(), "standaardmap ../shared/geodata"
    if not chosen.is_dir():
        raise DataSourceError(
            f"De map met brongegevens bestaat niet: {chosen} ({how}). Oplossing: zet "
            f"{DATA_DIR_ENV} op een map met de CBS/PDOK-bestanden (cbs_gemeenten_JJJJ.geojson, "
            "cbs_provincies_JJJJ.geojson, waterschappen.geojson, cbs_kerncijfers_gemeenten_*.csv)."
        )
    return chosen


def regions_file(override: str | Path | None = None) -> Path:
    """The region definitions file (``geodata/regions.toml`` unless overridden)."""
    if override is not None:
        return Path(override)
    if os.environ.get(REGIONS_FILE_ENV):
        return Path(os.environ[REGIONS_FILE_ENV])
    return project_root() / "geodata" / "regions.toml"


HOME_ENV = "ADAPTATIE_HOME"
THEMES_FILE_ENV = "ADAPTATIE_THEMES_FILE"


def home_dir(override: str | Path | None = None) -> Path:
    """Writable folder for the layer catalogue, analysis copies and stored results.

    ``ADAPTATIE_HOME``, else ``.data/`` in the project checkout (git-ignored). Created on demand.
    """
    if override is not None:
        chosen = Path(override)
    elif os.environ.get(HOME_ENV):
        chosen = Path(os.environ[HOME_ENV])
    else:
        chosen = project_root() / ".data"
    chosen.mkdir(parents=True, exist_ok=True)
    return chosen


def themes_file(override: str | Path | None = None) -> Path:
    """The stress-test themes file (``geodata/stresstest.toml`` unless overridden)."""
    if override is not None:
        return Path(override)
    if os.environ.get(THEMES_FILE_ENV):
        return Path(os.environ[THEMES_FILE_ENV])
    return project_root() / "geodata" / "stresstest.toml"
