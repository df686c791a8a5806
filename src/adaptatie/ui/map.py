"""The regional water map as a folium map (built from prepared layers, no data access)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable

import folium
from branca.element import MacroElement
from folium.template import Template

from adaptatie import fmt
from adaptatie.regions.display import MapLayer
from adaptatie.regions.models import RegionKind
from adaptatie.stresstest.themes import LayerRecord, legend_title
from adaptatie.ui.assets import LEAFLET_CSS, LEAFLET_JS
from adaptatie.ui.map_controls import BasemapNotice, MetricScale
from adaptatie.ui.safe import SafeGeoJsonTooltip, html_text

# Okabe-Ito colours: distinguishable with the common forms of colour blindness.
STYLE: dict[RegionKind, dict[str, object]] = {
    RegionKind.GEMEENTE: {
        "color": "#555555",
        "weight": 1,
        "fillColor": "#999999",
        "fillOpacity": 0.05,
    },
    RegionKind.WATERSCHAP: {
        "color": "#0072B2",
        "weight": 2,
        "fillColor": "#56B4E9",
        "fillOpacity": 0.15,
    },
    RegionKind.PROVINCIE: {"color": "#000000", "weight": 3, "dashArray": "8 4", "fill": False},
    RegionKind.WERKREGIO: {
        "color": "#D55E00",
        "weight": 3,
        "fillColor": "#D55E00",
        "fillOpacity": 0.08,
    },
    RegionKind.SAMENWERKINGSVERBAND: {
        "color": "#009E73",
        "weight": 3,
        "fillColor": "#009E73",
        "fillOpacity": 0.08,
    },
    RegionKind.CLUSTER: {
        "color": "#CC79A7",
        "weight": 2.5,
        "fillColor": "#CC79A7",
        "fillOpacity": 0.12,
    },
}
HIGHLIGHT = {"weight": 4, "fillOpacity": 0.3}
SELECTED = {"color": "#E69F00", "weight": 5, "fillOpacity": 0.0}

PDOK_BRT = (
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
)
PDOK_ATTRIBUTION = (
    'Achtergrond: <a href="https://www.pdok.nl">PDOK</a> BRT-Achtergrondkaart, © Kadaster'
)
CENTER = (52.85, 6.55)  # between Groningen, Drenthe and Twente


def region_tooltip() -> SafeGeoJsonTooltip:
    """The tooltip of a region layer: name, code, kind and boundary year, as text."""
    return SafeGeoJsonTooltip(
        ["naam", "id", "soort", "jaar"], ["Naam", "Code", "Soort", "Grensjaar"]
    )


def layer_name(kind: RegionKind, year: int) -> str:
    """Name of a layer in the layer control."""
    if kind in (RegionKind.PROVINCIE, RegionKind.WATERSCHAP):
        return kind.plural
    return f"{kind.plural} ({year})"


def build_map(
    layers: dict[RegionKind, MapLayer],
    year: int,
    visible: Iterable[RegionKind],
    basemap: bool = True,
    selected_geojson: str | None = None,
    sources: Iterable[str] = (),
    raster: LayerRecord | None = None,
) -> folium.Map:
    """A folium map with one toggleable layer per region kind, a legend and tooltips."""
    shown = set(visible)
    fmap = offline_map()
    if basemap:
        # Not a base layer of the layer control: with one base layer Leaflet would show a radio
        # group with one option. The sidebar switch turns the background on and off.
        background = folium.TileLayer(
            tiles=PDOK_BRT,
            attr=PDOK_ATTRIBUTION,
            name="Achtergrondkaart (PDOK, online)",
            max_zoom=19,
            overlay=True,
            control=False,
        ).add_to(fmap)
        fmap.add_child(BasemapNotice(background))
    for kind, layer in layers.items():
        style = STYLE[kind]
        folium.GeoJson(
            json.loads(layer.geojson),
            name=layer_name(kind, year),
            show=kind in shown,
            # The class names the region on its SVG path (used by end-to-end tests).
            style_function=lambda feature, style=style: {**style, "className": _css_class(feature)},
            highlight_function=lambda _feature: HIGHLIGHT,
            smooth_factor=0.5,
            zoom_on_click=False,
        ).add_child(region_tooltip()).add_to(fmap)
    if selected_geojson:
        folium.GeoJson(
            json.loads(selected_geojson),
            name="Geselecteerde regio",
            style_function=lambda _feature: SELECTED,
            interactive=False,
            control=False,
        ).add_to(fmap)
    control = folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    fmap.add_child(MetricScale())
    fmap.add_child(Legend(layers, year, list(sources), raster, shown, control))
    if RegionKind.GEMEENTE in layers:
        fit(fmap, layers[RegionKind.GEMEENTE])
    return fmap


def offline_map() -> folium.Map:
    """An empty folium map whose only browser assets (Leaflet) are served by the app itself.

    folium's default jQuery, Bootstrap and icon links point at public CDNs; none of them is
    needed for polygons, tooltips, image overlays and the layer control, so they are dropped.
    """
    fmap = folium.Map(
        location=CENTER, zoom_start=8, tiles=None, zoom_control=True, zoom_snap=0.25, zoom_delta=0.5
    )
    fmap.default_js = list(LEAFLET_JS)
    fmap.default_css = list(LEAFLET_CSS)
    return fmap


def fit(fmap: folium.Map, layer: MapLayer) -> None:
    """Zoom the map to a prepared layer's extent."""
    west, south, east, north = layer.bounds
    fmap.fit_bounds([[south, west], [north, east]])


def raster_overlay(
    record: LayerRecord,
    png: bytes,
    opacity: float,
    bounds: tuple[float, float, float, float],
) -> folium.FeatureGroup:
    """A display image of the stress-test layer (palette PNG in Web Mercator) as an overlay;
    ``bounds`` are lat/lon: south, west, north, east."""
    group = folium.FeatureGroup(name=f"Stresstest: {record.title}", control=False)
    south, west, north, east = bounds
    folium.raster_layers.ImageOverlay(
        image="data:image/png;base64," + base64.b64encode(png).decode("ascii"),
        bounds=[[south, west], [north, east]],
        opacity=opacity,
        interactive=False,
        cross_origin=False,
        zindex=1,
    ).add_to(group)
    return group


def raster_legend_items(record: LayerRecord) -> list[dict[str, object]]:
    """Legend rows for a stress-test layer: one per class, skipping the transparent class."""
    return [
        {
            "label": html_text(label),
            "color": colour[:7],
            "weight": 1,
            "line": "solid",
            "fill": colour[:7],
        }
        for label, colour in zip(record.classes.labels, record.classes.colours, strict=True)
        if not (len(colour) == 9 and colour.endswith("00"))
    ]


SMALL_SCREEN_PX = 700  # on a screen narrower than this, legend and layer box start folded


class Legend(MacroElement):
    """A legend that is always visible (bottom left), with the sources of the boundaries.

    It lists only the layers that are on (rows follow the layer box), takes at most a corner
    (45 % of width and height, scrolling inside), fades while a tooltip lies over it, and starts
    folded, as does the layer box, on a screen narrower than ``SMALL_SCREEN_PX``.

    Every text in it is escaped with :func:`~adaptatie.ui.safe.html_text` when it is set.

    streamlit-folium inserts the header with ``innerHTML``, so only the ``html`` macro (markup
    with inline styles) is used here; scripts in the header would never run.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          .leaflet-control-layers { font: 12px/1.5 sans-serif; }
          .leaflet-control-layers-expanded { padding: 4px 8px; }
          /* A clicked region keeps no focus rectangle; keyboard focus stays visible. */
          .leaflet-interactive:focus:not(:focus-visible) { outline: none; }
          .adaptatie-legend.under-tooltip { opacity: 0.15; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            function legend() { return document.getElementById("adaptatie-legend"); }
            // Only the layers that are on are listed.
            function mark(name, on) {
                var box = legend();
                if (!box) { return; }
                box.querySelectorAll("[data-layer]").forEach(function (row) {
                    if (row.dataset.layer === name) { row.hidden = !on; }
                });
            }
            map.on("overlayadd", function (e) { mark(e.name, true); });
            map.on("overlayremove", function (e) { mark(e.name, false); });
            // A tooltip is never hidden behind the legend: the legend fades while they overlap.
            map.on("tooltipopen", function (e) {
                var box = legend(), tip = e.tooltip.getElement();
                if (!box || !tip) { return; }
                var a = box.getBoundingClientRect(), b = tip.getBoundingClientRect();
                var overlap = a.left < b.right && b.left < a.right
                    && a.top < b.bottom && b.top < a.bottom;
                box.classList.toggle("under-tooltip", overlap);
            });
            map.on("tooltipclose", function () {
                var box = legend();
                if (box) { box.classList.remove("under-tooltip"); }
            });
            // Small screens (a phone, a narrow window): legend and layer box start folded.
            map.whenReady(function () {
                // The screen, not the map: the map's own size is not settled yet here.
                var width = window.innerWidth;
                try { width = window.top.innerWidth; } catch (err) { /* other origin */ }
                if (width >= {{ this.small_px }}) { return; }
                var box = legend();
                var details = box && box.querySelector("details");
                if (details) { details.open = false; }
                var control = {{ this.control_name }};
                if (control && !control.options.collapsed) {
                    control.options.collapsed = true;
                    control.remove();
                    control.addTo(map);
                }
            });
        })();
        {% endmacro %}
        {% macro html(this, kwargs) %}
        <div class="adaptatie-legend" id="adaptatie-legend" role="region" aria-label="Legenda"
             style="position:fixed; bottom:24px; left:10px; z-index:1000;
                    background:rgba(255,255,255,0.92); padding:6px 8px; border:1px solid #888;
                    border-radius:4px; font:12px/1.35 sans-serif; max-width:min(300px, 45%);
                    max-height:45%; overflow:auto; transition:opacity 0.15s;">
          <details open>
          <summary style="font-weight:bold; margin-bottom:4px; cursor:pointer;">Legenda</summary>
          {% for item in this.items %}
          <div data-layer="{{ item.label }}"{% if not item.visible %} hidden{% endif %}>
               <span style="display:inline-block; width:22px; height:12px; margin-right:6px;
                 vertical-align:middle; border:{{ item.weight }}px {{ item.line }} {{ item.color }};
                 background:{{ item.fill }};"></span>{{ item.label }}</div>
          {% endfor %}
          {% if this.raster_title %}
          <div style="font-weight:bold; margin:6px 0 2px 0;">{{ this.raster_title }}</div>
          {% for item in this.raster_items %}
          <div><span style="display:inline-block; width:22px; height:12px; margin-right:6px;
                 vertical-align:middle; border:1px solid #666; background:{{ item.fill }};">
                 </span>{{ item.label }}</div>
          {% endfor %}
          <div style="font-size:10px; color:#333;">{{ this.raster_source }}</div>
          {% endif %}
          <div style="margin-top:4px; font-size:10px; color:#333;">{{ this.sources }}</div>
          </details>
        </div>
        {% endmacro %}
        """
    )

    def __init__(
        self,
        layers: dict[RegionKind, MapLayer],
        year: int,
        sources: list[str],
        raster: LayerRecord | None = None,
        visible: Iterable[RegionKind] = (),
        control: folium.LayerControl | None = None,
    ) -> None:
        super().__init__()
        self._name = "Legend"
        shown = set(visible)
        self.small_px = SMALL_SCREEN_PX
        self.control_name = control.get_name() if control is not None else "null"
        self.raster_title = ""
        self.raster_items: list[dict[str, object]] = []
        self.raster_source = ""
        if raster is not None:
            synthetic = " — SYNTHETISCH, geen meting" if raster.synthetic else ""
            self.raster_title = html_text(
                f"{raster.title} ({legend_title(raster)}){synthetic}"
            )
            self.raster_items = raster_legend_items(raster)
            self.raster_source = html_text(
                f"Bron: {raster.source}"
                + (f", {fmt.date_text(raster.date)}" if raster.date else "")
            )
        self.items = []
        for kind in layers:
            style = STYLE[kind]
            fill = (
                style.get("fillColor", "transparent") if style.get("fillOpacity") else "transparent"
            )
            self.items.append(
                {
                    "label": html_text(layer_name(kind, year)),
                    "color": style["color"],
                    "weight": min(float(style["weight"]), 3),
                    "line": "dashed" if "dashArray" in style else "solid",
                    "fill": _with_alpha(str(fill), float(style.get("fillOpacity", 0))),
                    "visible": kind in shown,
                }
            )
        self.sources = html_text(" · ".join(sources))


def _css_class(feature: dict) -> str:
    props = feature["properties"]
    return f"region-{props['kind']}-{props['id']}"


def _with_alpha(colour: str, opacity: float) -> str:
    if not colour.startswith("#") or len(colour) != 7:
        return colour
    alpha = max(0.15, min(1.0, opacity * 3))
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha:.2f})"
