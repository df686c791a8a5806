"""Where the data fetched by ``adaptatie data update`` live in the home folder.

Layout::

    <home>/data/current                 name of the release in use (one line)
    <home>/data/releases/<name>/        a complete source folder plus manifest.json
    <home>/data/.partial/               resumable staging

Kept free of heavy imports: every command reads the pointer to choose its source data.
"""

from __future__ import annotations

from pathlib import Path

from adaptatie.errors import DataFileError
from adaptatie.io.manifest import verify_manifest

POINTER = "current"


def data_root(home: Path) -> Path:
    return Path(home) / "data"


def releases_dir(home: Path) -> Path:
    return data_root(home) / "releases"


def partial_dir(home: Path) -> Path:
    return data_root(home) / ".partial"


def current_release(home: Path) -> Path | None:
    """The release named by ``<home>/data/current``, verified; ``None`` without a pointer."""
    pointer = data_root(home) / POINTER
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    folder = releases_dir(home) / name
    if not name or Path(name).name != name or not folder.is_dir():
        raise DataFileError(
            pointer,
            f"de verwijzing naar de gegevens in gebruik noemt '{name}', maar die map staat niet "
            f"in {releases_dir(home)}.",
            "voer 'adaptatie data update' opnieuw uit, of verwijder dit bestand om de "
            "meegeleverde gegevens te gebruiken.",
        )
    verify_manifest(folder)
    return folder
