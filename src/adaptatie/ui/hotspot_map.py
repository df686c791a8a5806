"""The hotspot map: hotspots of a layer (reached by a measure or not) and the located measures."""

from __future__ import annotations

import json

import folium
import geopandas as gpd
import shapely

from adaptatie import fmt
from adaptatie.exposure.overview import HotspotView
from adaptatie.finance.records import Measure
from adaptatie.ui.map import offline_map
from adaptatie.ui.safe import SafeGeoJsonTooltip, SafeTooltip

MAX_ON_MAP = 1_500  # the largest hotspots drawn; the table lists all
REACHED = "#009E73"  # Okabe-Ito bluish green
NOT_REACHED = "#D55E00"  # Okabe-Ito vermillion
MEASURE = "#0072B2"


def hotspot_map(view: HotspotView, measures: list[Measure], codes: set[str] | None) -> folium.Map:
    """Hotspots of the regions in ``codes`` (all when None), largest first, with tooltips."""
    fmap = offline_map()
    group, bounds = hotspot_features(view, measures, codes)
    group.add_to(fmap)
    if bounds is not None:
        west, south, east, north = bounds
        fmap.fit_bounds([[south, west], [north, east]])
    return fmap


def hotspot_features(
    view: HotspotView, measures: list[Measure], codes: set[str] | None
) -> tuple[folium.FeatureGroup, tuple[float, float, float, float] | None]:
    """The hotspots (coloured by reached or not, with tooltips) and the located measures as one
    group, with the hotspots' lon/lat bounds (None when there are none)."""
    frame = view.found.frame
    if codes is not None:
        chosen = set(view.ranked.loc[view.ranked["region_code"].isin(codes), "hotspot_id"])
        frame = frame[frame["hotspot_id"].isin(chosen)]
    frame = frame.head(MAX_ON_MAP).merge(view.coverage.table, on="hotspot_id", how="left")
    unit = view.found.layer.unit
    shown = gpd.GeoDataFrame(
        {
            "hotspot": frame["hotspot_id"],
            "oppervlakte": [f"{fmt.number(a / 10_000, 2)} ha" for a in frame["area_m2"]],
            "maximum": [f"{fmt.number(v, 2)} {unit}" for v in frame["max"]],
            "gemiddeld": [f"{fmt.number(v, 2)} {unit}" for v in frame["mean"]],
            "bereikt": [
                "ja: " + m if r else "nee"
                for r, m in zip(frame["reached"], frame["measures"], strict=True)
            ],
        },
        geometry=shapely.simplify(frame.geometry.to_numpy(), 5.0),
        crs="EPSG:28992",
    ).to_crs("EPSG:4326")
    group = folium.FeatureGroup(name=f"Hotspots: {view.found.label}", control=False)
    bounds = None
    if len(shown):
        folium.GeoJson(
            json.loads(shown.to_json()),
            name="Hotspots",
            style_function=lambda f: {
                "color": REACHED if f["properties"]["bereikt"] != "nee" else NOT_REACHED,
                "weight": 1.5,
                "fillOpacity": 0.5,
            },
        ).add_child(
            SafeGeoJsonTooltip(
                ["hotspot", "oppervlakte", "maximum", "gemiddeld", "bereikt"],
                ["Hotspot", "Oppervlakte", "Maximum", "Gemiddeld", "Bereikt door maatregel"],
            )
        ).add_to(group)
        west, south, east, north = (float(v) for v in shown.total_bounds)
        bounds = (west, south, east, north)
    for m in measures:
        if not m.location_wkt:
            continue
        geom = gpd.GeoSeries([shapely.from_wkt(m.location_wkt)], crs="EPSG:28992")
        point = geom.to_crs("EPSG:4326").iloc[0].representative_point()
        folium.CircleMarker(
            [point.y, point.x], radius=6, color=MEASURE, fill=True, fill_opacity=0.9
        ).add_child(SafeTooltip(f"{m.id} — {m.name} ({m.status.value})")).add_to(group)
    return group, bounds


LEGEND = (
    f"<span style='color:{REACHED}'>■</span> bereikt door een maatregel · "
    f"<span style='color:{NOT_REACHED}'>■</span> niet bereikt · "
    f"<span style='color:{MEASURE}'>●</span> maatregel"
)
