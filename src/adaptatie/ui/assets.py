"""Browser assets served by the app itself (Streamlit static serving), never from a CDN.

The files are installed by ``make setup`` (checkout) or ``adaptatie assets install`` (installed
package) into ``static/vendor/`` beside the main script; Streamlit serves that folder at
``/app/static/`` because ``enableStaticServing`` is on in ``.streamlit/config.toml``.
"""

from __future__ import annotations

from adaptatie.assets import install_command, leaflet_version, missing_assets

LEAFLET_VERSION = leaflet_version()
STATIC_URL = f"/app/static/vendor/leaflet/{LEAFLET_VERSION}"
LEAFLET_JS = (("leaflet", f"{STATIC_URL}/leaflet.js"),)
LEAFLET_CSS = (("leaflet_css", f"{STATIC_URL}/leaflet.css"),)

__all__ = ["LEAFLET_CSS", "LEAFLET_JS", "install_command", "missing_assets"]
