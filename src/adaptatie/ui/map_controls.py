"""Small Leaflet controls of the water map: a metric scale bar and the background notice."""

from __future__ import annotations

import folium
from branca.element import MacroElement
from folium.template import Template


class MetricScale(MacroElement):
    """A scale bar in metres and kilometres only (folium's default adds miles)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false, position: "bottomright"})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"


class BasemapNotice(MacroElement):
    """One line on the map when the background tiles cannot be loaded (no internet, PDOK down).

    The line is a Leaflet control with ``role="status"``, present (empty) from the start so a
    screen reader announces the text when it appears: after a tile fails while none has loaded.
    It goes away again as soon as a tile loads.
    """

    TEXT = "Achtergrondkaart niet bereikbaar"

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var tiles = {{ this.layer.get_name() }};
            var loaded = false;
            var Notice = L.Control.extend({
                options: {position: "topleft"},
                onAdd: function () {
                    var box = L.DomUtil.create("div", "adaptatie-basemap-notice");
                    box.setAttribute("role", "status");
                    return box;
                }
            });
            var notice = new Notice().addTo({{ this._parent.get_name() }});
            var box = notice.getContainer();
            function show(text) {
                box.textContent = text;
                box.style.cssText = text ? "background:rgba(255,255,255,0.92); color:#333;"
                    + " border:1px solid #888; border-radius:4px; padding:2px 6px;"
                    + " font:12px/1.4 sans-serif;" : "";
            }
            tiles.on("tileerror", function () { if (!loaded) { show({{ this.text|tojson }}); } });
            tiles.on("tileload", function () { loaded = true; show(""); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, layer: folium.TileLayer) -> None:
        super().__init__()
        self._name = "BasemapNotice"
        self.layer = layer
        self.text = self.TEXT
