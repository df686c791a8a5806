"""A choropleth of one indicator per region (stress-test page)."""

from __future__ import annotations

import json
import math

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from adaptatie import fmt
from adaptatie.regions.models import ATOM_SET, RegionKind
from adaptatie.stresstest.results import RegionSummary
from adaptatie.ui import state
from adaptatie.ui.map import fit, offline_map
from adaptatie.ui.safe import SafeGeoJsonTooltip

COLOURS = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")  # YlGnBu
NO_DATA = "#bdbdbd"
SHARE_BREAKS = (0.0, 1.0, 2.5, 5.0, 10.0, 20.0, 100.0)


def breaks(values: list[float], share: bool) -> list[float]:
    """Class breaks: fixed for shares (percent), six equal steps otherwise."""
    if share:
        return list(SHARE_BREAKS)
    if not values:
        return [0.0, 1.0]
    low, high = min(values), max(values)
    if high == low:
        return [low, high + 1e-9]
    step = (high - low) / len(COLOURS)
    return [low + i * step for i in range(len(COLOURS) + 1)]


def colour(value: float | None, edges: list[float]) -> str:
    if value is None or math.isnan(value):
        return NO_DATA
    for index in range(len(edges) - 1):
        if value <= edges[index + 1]:
            return COLOURS[min(index, len(COLOURS) - 1)]
    return COLOURS[-1]


def choropleth(
    summary: RegionSummary,
    values: pd.Series,
    share: bool,
    label: str,
    *,
    edges: list[float] | None = None,
    key: str = "",
) -> None:
    """Regions coloured by ``values`` (aligned with ``summary.table``), with a legend.

    ``edges``: class breaks shared with another map (two scenarios side by side); ``key`` tells
    such maps apart."""
    if summary.region_set == ATOM_SET:
        st.caption("Voor gemeente x waterschap is er geen kaart; zie de tabel.")
        return
    layer = state.layers(summary.year)[RegionKind(summary.region_set)]
    by_code = dict(zip(summary.table["region_code"], values, strict=True))
    if edges is None:
        edges = breaks([v for v in by_code.values() if not math.isnan(v)], share)
    data = json.loads(layer.geojson)
    unit = " %" if share else f" {summary.layer.unit}"
    for feature in data["features"]:
        value = by_code.get(feature["properties"]["id"])
        shown = (
            "geen gegevens"
            if value is None or math.isnan(value)
            else (fmt.number(value, 1 if share else 2) + unit)
        )
        feature["properties"]["waarde"] = shown
        feature["properties"]["kleur"] = colour(value, edges)
    fmap = offline_map()
    folium.GeoJson(
        data,
        name=label,
        style_function=lambda f: {
            "color": "#444444",
            "weight": 1,
            "fillColor": f["properties"]["kleur"],
            "fillOpacity": 0.85,
        },
    ).add_child(SafeGeoJsonTooltip(["naam", "waarde"], ["Regio", label])).add_to(fmap)
    fit(fmap, layer)
    st_folium(
        fmap,
        key=f"choropleth-{summary.region_set}{key}",
        height=520,
        use_container_width=True,
        returned_objects=[],
    )
    rows = [
        f"<span style='background:{COLOURS[min(i, len(COLOURS) - 1)]};padding:0 10px;"
        f"border:1px solid #888'></span> {fmt.number(edges[i], 1)}–{fmt.number(edges[i + 1], 1)}"
        f"{unit}"
        for i in range(len(edges) - 1)
    ]
    rows.append(f"<span style='background:{NO_DATA};padding:0 10px'></span> geen gegevens")
    st.markdown(f"<small>{' · '.join(rows)}</small>", unsafe_allow_html=True)
