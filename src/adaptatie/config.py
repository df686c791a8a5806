"""Where adaptatie finds its inputs and keeps its own files.

Resources that ship with adaptatie (region definitions, themes, allocations, the data snapshot,
the page scripts) are found from the package itself: from the checkout when it runs from one,
else from the bundle that the wheel carries (``adaptatie/_bundle``). Never from the working
directory.

The source data (boundaries and population) come from, in this order:

1. a folder given on the command line (``--data-dir``);
2. the folder in ``ADAPTATIE_DATA_DIR``;
3. the data fetched by ``adaptatie data update`` (``<home>/data/current``);
4. the snapshot that ships with adaptatie (``geodata/snapshot``).

The home folder (``ADAPTATIE_HOME``) holds what adaptatie writes: layers, results, the ledger,
fetched data and caches. It defaults to ``.data/`` in a checkout and to the platform's user data
folder for an installed package.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from adaptatie.errors import DataSourceError, HomeFolderError

DATA_DIR_ENV = "ADAPTATIE_DATA_DIR"
REGIONS_FILE_ENV = "ADAPTATIE_REGIONS_FILE"
HOME_ENV = "ADAPTATIE_HOME"
THEMES_FILE_ENV = "ADAPTATIE_THEMES_FILE"

_PACKAGE = Path(__file__).resolve().parent
BUNDLE = _PACKAGE / "_bundle"


def checkout_root() -> Path | None:
    """The project checkout this package runs from, or None for an installed package."""
    candidate = _PACKAGE.parents[1]
    if (candidate / "pyproject.toml").is_file() and (candidate / "geodata").is_dir():
        return candidate
    return None


def resource_root() -> Path:
    """The folder with ``geodata/``, ``app.py``, ``pages/`` and ``static/``.

    An installed package carries them in its bundle; a checkout has them at the top level.
    """
    if (BUNDLE / "geodata").is_dir():
        return BUNDLE
    root = checkout_root()
    if root is not None:
        return root
    raise DataSourceError(
        f"De meegeleverde bestanden van adaptatie ontbreken (gezocht in {BUNDLE}). Oplossing: "
        "installeer adaptatie opnieuw (pip install adaptatie-….whl) of start het vanuit een "
        "volledige checkout."
    )


def is_installed() -> bool:
    """True when running from an installed package (no checkout around it)."""
    return checkout_root() is None


@dataclass(frozen=True)
class DataChoice:
    """The source-data folder in use and how it was chosen (Dutch label for provenance)."""

    folder: Path
    origin: str  # "opgegeven", "omgeving", "bijgewerkt" or "momentopname"
    label: str


def snapshot_dir() -> Path:
    return resource_root() / "geodata" / "snapshot"


def resolve_data(override: str | Path | None = None, home: Path | None = None) -> DataChoice:
    """Choose the source-data folder (see the module docstring for the order)."""
    if override is not None:
        return _existing(Path(override), "opgegeven", "opgegeven map")
    if os.environ.get(DATA_DIR_ENV):
        how = f"map uit de omgevingsvariabele {DATA_DIR_ENV}"
        return _existing(Path(os.environ[DATA_DIR_ENV]), "omgeving", how)
    from adaptatie.io.datahome import current_release
    from adaptatie.io.manifest import verify_manifest

    release = current_release(home_dir() if home is None else home)
    if release is not None:
        manifest = verify_manifest(release)
        return DataChoice(
            release, "bijgewerkt", f"bijgewerkt met 'adaptatie data update' op {_day(manifest)}"
        )
    snapshot = snapshot_dir()
    manifest = verify_manifest(snapshot)
    return DataChoice(
        snapshot, "momentopname", f"momentopname meegeleverd met adaptatie ({_day(manifest)})"
    )


def data_dir(override: str | Path | None = None) -> Path:
    """The source-data folder in use (see :func:`resolve_data`)."""
    return resolve_data(override).folder


def _existing(folder: Path, origin: str, how: str) -> DataChoice:
    if not folder.is_dir():
        raise DataSourceError(
            f"De map met brongegevens bestaat niet: {folder} ({how}). Oplossing: geef met "
            f"--data-dir of {DATA_DIR_ENV} een map met de CBS/PDOK-bestanden "
            "(cbs_gemeenten_JJJJ.geojson, cbs_provincies_JJJJ.geojson, waterschappen.geojson, "
            "cbs_kerncijfers_gemeenten_*.csv), of laat beide weg om de meegeleverde gegevens te "
            "gebruiken."
        )
    return DataChoice(folder, origin, f"{how}: {folder}")


def _day(manifest: object) -> str:
    created = str(getattr(manifest, "created", ""))
    try:
        return dt.date.fromisoformat(created[:10]).strftime("%d-%m-%Y")
    except ValueError:
        return created


def shipped_file(name: str, override: str | Path | None = None, env: str = "") -> Path:
    """A file that ships in ``geodata/``: the argument, else ``$env``, else the shipped one."""
    if override is not None:
        return Path(override)
    if env and os.environ.get(env):
        return Path(os.environ[env])
    return resource_root() / "geodata" / name


def regions_file(override: str | Path | None = None) -> Path:
    """The region definitions file (``geodata/regions.toml`` unless overridden)."""
    return shipped_file("regions.toml", override, REGIONS_FILE_ENV)


def themes_file(override: str | Path | None = None) -> Path:
    """The stress-test themes file (``geodata/stresstest.toml`` unless overridden)."""
    return shipped_file("stresstest.toml", override, THEMES_FILE_ENV)


def default_home() -> Path:
    """``.data/`` in a checkout; the platform's user data folder for an installed package."""
    root = checkout_root()
    if root is not None:
        return root / ".data"
    from platformdirs import user_data_path

    return user_data_path("adaptatie", appauthor=False)


def home_dir(override: str | Path | None = None) -> Path:
    """The writable home folder, created on demand; a Dutch error when it cannot be used."""
    if override is not None:
        chosen, how = Path(override), "opgegeven met --home"
    elif os.environ.get(HOME_ENV):
        chosen, how = Path(os.environ[HOME_ENV]), f"omgevingsvariabele {HOME_ENV}"
    else:
        chosen, how = default_home(), "standaardwerkmap"
    if chosen.exists() and not chosen.is_dir():
        raise HomeFolderError(
            f"De werkmap {chosen} ({how}) is een bestand, geen map. Oplossing: laat "
            f"{HOME_ENV} naar een map wijzen (die wordt zo nodig aangemaakt)."
        )
    try:
        chosen.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HomeFolderError(
            f"De werkmap {chosen} ({how}) kan niet worden aangemaakt: {_os_reason(exc)}. "
            f"Oplossing: kies met {HOME_ENV} een map waarin u mag schrijven."
        ) from exc
    return chosen


def check_writable(home: Path) -> None:
    """Raise a Dutch error when nothing can be written in ``home`` (before any real write)."""
    probe = home / ".schrijftest"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise HomeFolderError(
            f"In de werkmap {home} kan niet worden geschreven: {_os_reason(exc)}. Oplossing: "
            f"geef schrijfrechten op die map, of kies met {HOME_ENV} een andere map."
        ) from exc


def _os_reason(exc: OSError) -> str:
    from adaptatie.oserrors import describe

    return describe(exc)
