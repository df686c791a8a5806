"""Browser assets served by the app itself (Streamlit static serving), never from a CDN.

``make setup`` runs ``scripts/install_assets.py``, which installs Leaflet from the npm registry
into ``static/vendor/`` (git-ignored). Streamlit serves that folder at ``/app/static/`` because
``enableStaticServing`` is on in ``.streamlit/config.toml``.
"""

from __future__ import annotations

from pathlib import Path

from adaptatie.assets import leaflet_version
from adaptatie.config import project_root

LEAFLET_VERSION = leaflet_version()
STATIC_URL = f"/app/static/vendor/leaflet/{LEAFLET_VERSION}"
LEAFLET_JS = (("leaflet", f"{STATIC_URL}/leaflet.js"),)
LEAFLET_CSS = (("leaflet_css", f"{STATIC_URL}/leaflet.css"),)


def vendor_dir() -> Path:
    return project_root() / "static" / "vendor"


def missing_assets() -> list[str]:
    """Asset files the map needs that are not installed (empty when all is well)."""
    needed = [f"leaflet/{LEAFLET_VERSION}/leaflet.js", f"leaflet/{LEAFLET_VERSION}/leaflet.css"]
    return [name for name in needed if not (vendor_dir() / name).is_file()]
