"""The regional water map page ("Regionale waterkaart")."""

from __future__ import annotations

import json
import math

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from adaptatie import fmt
from adaptatie.assets import AssetsError
from adaptatie.errors import AdaptatieError
from adaptatie.exposure.overview import hotspot_view
from adaptatie.io import render as rendering
from adaptatie.regions.models import Region, RegionKind
from adaptatie.regions.presence import absence_note
from adaptatie.stresstest.themes import LayerRecord
from adaptatie.ui import state, viewstate
from adaptatie.ui.assets import install_command, missing_assets
from adaptatie.ui.errors import guard, show_error
from adaptatie.ui.finance_state import ledger
from adaptatie.ui.hotspot_map import LEGEND as HOTSPOT_LEGEND
from adaptatie.ui.hotspot_map import hotspot_features
from adaptatie.ui.map import SELECTED, build_map, raster_overlay
from adaptatie.ui.panel import region_panel
from adaptatie.ui.safe import md_text
from adaptatie.ui.text_alternative import text_alternative, waterkaart_sentences
from adaptatie.ui.widgets import (
    bound_select,
    region_picker,
    select,
    selection,
    year_selector,
)

MAP_KEY = "waterkaart"
DETAIL_MARGIN = 2_000.0  # metres around a selected region rendered in full detail
CLICK_KEY = "waterkaart_last_click"
DEFAULT_VISIBLE = (RegionKind.GEMEENTE, RegionKind.PROVINCIE)
URL_PARAMS = ("jaar", "soort", "regio", "laag")
HOTSPOTS_KEY = "map_hotspots"
OPACITIES = tuple(round(0.1 * step, 1) for step in range(1, 11))  # 0,1 .. 1,0


def render() -> None:
    """Map with layers and legend on the left, the region panel on the right."""
    missing = missing_assets()
    if missing:
        show_error(
            AssetsError(
                f"De kaartbibliotheek (Leaflet) ontbreekt in static/vendor: {', '.join(missing)}. "
                f"Oplossing: voer '{install_command()}' uit (installeert Leaflet uit het "
                "npm-register) en herlaad de pagina."
            ),
            stop=True,
        )
    atlas = state.atlas()
    year = year_selector(atlas)
    basemap = st.sidebar.toggle(
        "Achtergrondkaart (PDOK)",
        value=True,
        help="De BRT-Achtergrondkaart van PDOK komt van internet. Zonder internet blijft de "
        "kaart werken, zonder achtergrond.",
    )
    raster, opacity = _raster_choice()
    with guard(stop=True):
        layers = state.layers(year)
        table = _municipality_table(year)  # before the map: the run ends soon after it is drawn

    # The picker comes before the map in the keyboard order: Leaflet makes every region on the map
    # a tab stop, so after the map it would be some 60 Tab presses away.
    map_col, panel_col = st.columns([5, 3], gap="medium")
    with panel_col:
        picked = region_picker(atlas, year, on_map=True)
        selected = _selected_region(year, picked)
    viewstate.share(URL_PARAMS)

    sources = [
        f"Gemeentegrenzen {year}: CBS/Kadaster (CC-BY 4.0)",
        "Provinciegrenzen: CBS/Kadaster (CC-BY 4.0)",
        "Waterschapsgrenzen: Het Waterschapshuis via PDOK",
        "Indelingen: geodata/regions.toml",
    ]
    fmap = build_map(layers, year, DEFAULT_VISIBLE, basemap=basemap, sources=sources, raster=raster)
    dynamic = [_highlight(layers, selected)]
    if raster is not None:
        catalogue = state.workspace().catalogue
        overview = catalogue.file(raster, raster.display_file).read_bytes()
        details = []
        if selected is not None:
            # The selected region in the detail the raster has (the overview is ~100 m).
            minx, miny, maxx, maxy = state.atlas().geometry(selected).bounds
            window = (
                minx - DETAIL_MARGIN,
                miny - DETAIL_MARGIN,
                maxx + DETAIL_MARGIN,
                maxy + DETAIL_MARGIN,
            )
            key = tuple(round(v) for v in window)
            detail = _detail(raster.id, raster.checksum, key)
            if detail is not None:
                # The overview gets a hole where the detail lies: the same opacity twice
                # would show the region as a darker square.
                overview = _overview_around(raster.id, raster.checksum, key)
                details.append(raster_overlay(raster, detail.png, opacity, detail.bounds))
        overlay = raster_overlay(raster, overview, opacity, raster.display_bounds)
        dynamic = [overlay, *details, *dynamic, *_hotspots_on_map(raster, year)]
    center, zoom = _view_of(selected)
    with map_col:
        output = st_folium(
            fmap,
            key=f"{MAP_KEY}-{raster.id if raster else 'geen'}",
            height=700,
            use_container_width=True,
            returned_objects=["last_active_drawing"],
            feature_group_to_add=dynamic,
            center=center,
            zoom=zoom,
        )
        st.caption(
            "Schakel kaartlagen aan en uit met de lagenknop rechtsboven in de kaart. Klik op "
            "een gebied om te zien waaruit het bestaat."
        )
        if raster is not None:
            _raster_caption(raster)
            if st.session_state.get(HOTSPOTS_KEY):
                st.caption(HOTSPOT_LEGEND, unsafe_allow_html=True)  # fixed text only
    if _take_click(output):
        st.rerun()
    with panel_col:
        if selected is None:
            st.info(
                "Klik op een gebied op de kaart of kies hierboven een regio.",
                icon=":material/touch_app:",
            )
        else:
            region_panel(atlas, selected)
    text_alternative(  # below the map and the panel: every region in words and a table
        waterkaart_sentences(
            year,
            len(atlas.regions(year, RegionKind.GEMEENTE)),
            len(atlas.regions(year, RegionKind.PROVINCIE)),
            raster.title if raster is not None else None,
        ),
        table,
    )


@st.cache_data(max_entries=16, show_spinner=False)
def _municipality_table(year: int) -> object:
    """The municipalities of the map as a table (code, name, area, inhabitants, water boards)."""
    from adaptatie.regions.tables import regions_table

    table = regions_table(state.atlas(), year, RegionKind.GEMEENTE)
    # In Dutch: 346,6 and 108.034; unknown inhabitants (a boundary year CBS did not count) as
    # words, not as "None"
    table["oppervlakte_km2"] = [fmt.number(v, 1) for v in table["oppervlakte_km2"]]
    table["inwoners"] = ["onbekend" if pd.isna(v) else fmt.number(v) for v in table["inwoners"]]
    table["inwoners_jaar"] = ["—" if pd.isna(v) else str(v) for v in table["inwoners_jaar"]]
    return table.rename(
        columns={
            "code": "CBS-code",
            "naam": "Gemeente",
            "gemeenten": "Aantal gemeenten",
            "oppervlakte_km2": "Oppervlakte (km²)",
            "inwoners": "Inwoners",
            "inwoners_jaar": "Peiljaar inwoners",
            "waterschappen": "Waterschappen (aandeel)",
            "grensjaar": "Grensjaar",
        }
    ).drop(columns=["Aantal gemeenten"])


@st.cache_data(max_entries=64, show_spinner=False)
def _detail(layer_id: str, checksum: str, window: tuple[int, ...]) -> rendering.Rendered | None:
    """A render of one region's surroundings, cached per layer version and window."""
    del checksum  # part of the cache key only
    catalogue = state.workspace().catalogue
    record = catalogue.get(layer_id)
    theme = state.workspace().themes[record.theme]
    try:
        return rendering.render(
            catalogue.file(record, record.analysis_file), record.classes, theme.categorical, window
        )
    except ValueError:  # the region lies outside the raster
        return None


@st.cache_data(max_entries=16, show_spinner=False)
def _overview_around(layer_id: str, checksum: str, window: tuple[int, ...]) -> bytes:
    """The overview image with a transparent hole where the detail of ``window`` lies."""
    catalogue = state.workspace().catalogue
    record = catalogue.get(layer_id)
    png = catalogue.file(record, record.display_file).read_bytes()
    detail = _detail(layer_id, checksum, window)
    if detail is None:
        return png
    return rendering.cut_out(png, record.display_bounds, detail.bounds)


def _hotspots_on_map(raster: LayerRecord, year: int) -> list[folium.FeatureGroup]:
    """Sidebar switch: the layer's hotspots above its highest threshold, coloured by whether a
    granted or realised measure reaches them (as on the Hotspots page); none when off."""
    if not raster.thresholds:
        return []
    threshold = raster.thresholds[-1]
    shown = st.sidebar.toggle(
        f"Hotspots (meer dan {fmt.number(threshold, 2)} {raster.unit})",
        key=HOTSPOTS_KEY,
        help="Aaneengesloten gebieden boven de hoogste drempel van de laag; groen: een "
        "toegekende of gerealiseerde maatregel bereikt ze, oranje: niet. Details, andere "
        "drempels en de tabel staan op de pagina Hotspots.",
    )
    if not shown:
        return []
    with guard(), st.spinner("Hotspots zoeken…"):
        measures = ledger().measures()
        view = hotspot_view(state.results_store(), raster, threshold, "gemeente", year, measures)
        return [hotspot_features(view, measures, None)[0]]
    return []


def _raster_choice() -> tuple[LayerRecord | None, float]:
    """Sidebar: which stress-test layer to lay over the map, and how opaque."""
    records = state.workspace().catalogue.layers()
    if not records:
        st.sidebar.caption(
            "Nog geen stresstestlagen. Voeg ze toe op de pagina Stresstestlagen, of maak daar de "
            "synthetische demolagen."
        )
        return None, 0.7
    by_id = {r.id: r for r in records}
    chosen = bound_select(
        "laag",
        "Stresstestlaag op de kaart",
        [None, *by_id],
        key="map_raster",
        format_func=lambda rid: "geen" if rid is None else by_id[rid].title,
        reason="Die stresstestlaag staat niet (meer) in de catalogus; de kaart toont geen "
        "stresstestlaag. Kies er een in de zijbalk.",
        container=st.sidebar,
    )
    # A select slider, because st.slider formats with sprintf (always a decimal point).
    opacity = st.sidebar.select_slider(
        "Dekking stresstestlaag",
        options=OPACITIES,
        value=0.7,
        format_func=lambda v: fmt.number(v, 1),
        key="map_raster_opacity",
        help="1 = volledig dekkend, 0,1 = bijna doorzichtig.",
    )
    return (by_id[chosen] if chosen else None), opacity


def _raster_caption(record: LayerRecord) -> None:
    text = (
        f"Stresstestlaag: {record.title}; {record.quantity} in {record.unit}, "
        f"{record.resolution_m:g} m; bron: {record.source}"
        + (f", {fmt.date_text(record.date)}" if record.date else "")
        + (f"; licentie {record.licence}" if record.licence else "")
    )
    if record.synthetic:
        st.warning(
            "Deze stresstestlaag is **synthetisch**: gegenereerd voor de demonstratie, geen "
            "meting of berekening van de werkelijkheid.",
            icon=":material/science:",
        )
    st.caption(md_text(text))


def _selected_region(year: int, picked: Region | None) -> Region | None:
    value = selection()
    if value is None:
        return picked
    kind, region_id = value
    atlas = state.atlas()
    try:
        return atlas.region(kind, region_id, year)
    except AdaptatieError:
        st.warning(
            md_text(
                absence_note(atlas, kind, region_id, year)
                + " Kies een ander grensjaar of een andere regio; zie ook de pagina "
                "Herindelingen."
            ),
            icon=":material/info:",
        )
        return None


def _view_of(region: Region | None) -> tuple[tuple[float, float] | None, int | None]:
    """Centre (lat, lon) and Leaflet zoom that show ``region`` whole, or (None, None)."""
    if region is None:
        return None, None
    minx, miny, maxx, maxy = _lonlat_bounds(region)
    lat = (miny + maxy) / 2
    # Web Mercator: metres per pixel at zoom z = 156543.03 cos(lat) / 2^z; leave a margin
    # around the region in a map of about 700 x 600 pixels.
    metres_x = max((maxx - minx) * 111_320 * math.cos(math.radians(lat)), 1.0)
    metres_y = max((maxy - miny) * 110_574, 1.0)
    fit = min(600 / metres_x, 560 / metres_y) * 156_543.03 * math.cos(math.radians(lat))
    zoom = max(6, min(14, math.floor(math.log2(fit))))
    return ((miny + maxy) / 2, (minx + maxx) / 2), zoom


@st.cache_data(max_entries=256, show_spinner=False)
def _lonlat_bounds(region: Region) -> tuple[float, float, float, float]:
    import geopandas as gpd

    from adaptatie.io.boundaries import RD_NEW

    shape = gpd.GeoSeries([state.atlas().geometry(region)], crs=RD_NEW)
    return tuple(float(v) for v in shape.to_crs(4326).total_bounds)  # type: ignore[return-value]


def _take_click(output: dict | None) -> bool:
    """Store a newly clicked region as the selection; True when the page must rerun."""
    drawing = (output or {}).get("last_active_drawing") or {}
    props = drawing.get("properties") or {}
    if "kind" not in props or "id" not in props:
        return False
    click = (props["kind"], props["id"])
    if st.session_state.get(CLICK_KEY) == click:
        return False
    st.session_state[CLICK_KEY] = click
    if selection() == (RegionKind(click[0]), click[1]):
        return False
    select(RegionKind(click[0]), click[1])
    return True


def _highlight(layers: dict, selected: Region | None) -> folium.FeatureGroup:
    """The selected region's outline, added without reloading the map (keeps zoom and pan)."""
    group = folium.FeatureGroup(name="Geselecteerde regio", control=False)
    if selected is None or selected.kind not in layers:
        return group
    collection = json.loads(layers[selected.kind].geojson)
    features = [f for f in collection["features"] if f["properties"]["id"] == selected.id]
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            style_function=lambda _feature: SELECTED,
            interactive=False,
        ).add_to(group)
    return group
