"""Which browser assets the map needs (no streamlit/folium import: setup scripts use it too)."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, files

FALLBACK_LEAFLET = "1.9.3"


def leaflet_version() -> str:
    """The Leaflet version folium links to (e.g. ``1.9.3`` for folium 0.20)."""
    try:
        template = next(
            (
                f
                for f in files("folium") or []
                if f.name == "folium.py" and f.parent.name == "folium"
            ),
            None,
        )
        if template is not None:
            match = re.search(r"npm/leaflet@([0-9.]+)/dist/leaflet\.js", template.read_text())
            if match:
                return match.group(1)
    except (PackageNotFoundError, OSError):
        pass
    return FALLBACK_LEAFLET
