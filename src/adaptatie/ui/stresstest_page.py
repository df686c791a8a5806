"""The stress-test page: class shares and key figures per region, for one or two scenarios."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import streamlit as st

from adaptatie import fmt
from adaptatie.regions.models import ATOM_SET, REGION_SETS
from adaptatie.stresstest.exports import csv_frame, export_frame, geopackage_bytes
from adaptatie.stresstest.results import RegionSummary
from adaptatie.stresstest.shares import above_shares
from adaptatie.stresstest.themes import LayerRecord, legend_title
from adaptatie.ui import state, viewstate
from adaptatie.ui.charts import dutch
from adaptatie.ui.choropleth import breaks, choropleth
from adaptatie.ui.downloads import csv_bytes
from adaptatie.ui.errors import guard
from adaptatie.ui.safe import md_text
from adaptatie.ui.widgets import CHOOSE_ONE, bound_select, no_layers_notice, year_selector


@st.cache_data(show_spinner="Statistiek per regio berekenen (eenmalig per laag en grensjaar)…")
def _summary(layer_id: str, checksum: str, region_set: str, year: int) -> tuple[pd.DataFrame, str]:
    """Cached on the layer's checksum, so a replaced layer is never served from the cache."""
    del checksum
    layer = state.workspace().catalogue.get(layer_id)
    result = state.results_store().summary(layer, region_set, year)
    return result.table, result.computed_at


def render() -> None:
    workspace = state.workspace()
    year = year_selector(workspace.atlas)
    records = workspace.catalogue.layers()
    if not records:
        no_layers_notice()
        return
    themes = [t for t in workspace.themes if any(r.theme == t for r in records)]
    _theme_of_link({r.id: r for r in records})
    top = st.columns(3)

    def theme_changed() -> None:  # the scenarios of another theme
        viewstate.put("laag", None)
        viewstate.put("vergelijk", None)

    theme = top[0].selectbox(
        "Thema",
        themes,
        format_func=lambda k: workspace.themes[k].label,
        key="st_theme",
        on_change=theme_changed,
        placeholder=CHOOSE_ONE,
    )
    layers = {r.id: r for r in records if r.theme == theme}
    layer_a = layers[
        bound_select(
            "laag",
            "Scenario",
            list(layers),
            key="st_layer_a",
            format_func=lambda i: layers[i].title,
            reason=_GONE,
            container=top[1],
        )
    ]
    region_set = bound_select(
        "set",
        "Regio's",
        list(REGION_SETS),
        key="st_set",
        format_func=REGION_SETS.get,
        container=top[2],
    )
    layer_b = None
    others = [i for i in layers if i != layer_a.id]
    if viewstate.get("vergelijk") is not None:
        st.session_state["st_compare"] = True

    def compare_changed() -> None:
        if not st.session_state.get("st_compare"):
            viewstate.put("vergelijk", None)

    if others and st.toggle(
        "Vergelijk met een tweede scenario", key="st_compare", on_change=compare_changed
    ):
        chosen = bound_select(
            "vergelijk",
            "Tweede scenario",
            others,
            key="st_layer_b",
            format_func=lambda i: layers[i].title,
            reason=_GONE + " Het tweede scenario moet een ander scenario van hetzelfde thema zijn.",
        )
        layer_b = layers[chosen]
    else:
        if viewstate.get("vergelijk") is not None and not others:
            viewstate.ignore("vergelijk", "Dit thema heeft maar één scenario.")
        viewstate.put("vergelijk", None)

    with guard(stop=True):
        summary_a = _load(layer_a, region_set, year)
        summary_b = _load(layer_b, region_set, year) if layer_b else None

    indicators = _indicators(layer_a)
    indicator = bound_select(
        "kengetal", "Kengetal", list(indicators), key="st_indicator", format_func=indicators.get
    )
    viewstate.share(URL_PARAMS)
    for summary in (summary_a, summary_b):
        if summary is not None and summary.layer.synthetic:
            st.warning(
                f"**{md_text(summary.layer.title)}** is een SYNTHETISCHE laag (gegenereerd voor de "
                "demonstratie): de getallen hieronder zeggen niets over de werkelijkheid.",
                icon=":material/science:",
            )

    if summary_b is None:
        map_col, table_col = st.columns([3, 2])
        with map_col:
            choropleth(
                summary_a,
                indicator_values(summary_a, indicator),
                _is_share(indicator),
                indicators[indicator],
            )
        with table_col:
            _ranking(summary_a, None, indicator, indicators[indicator])
        _class_chart(summary_a)
    else:
        values_a = indicator_values(summary_a, indicator)
        values_b = indicator_values(summary_b, indicator)
        edges = breaks(
            [float(v) for v in pd.concat([values_a, values_b]).dropna()], _is_share(indicator)
        )
        order = _hazard_order(summary_a)  # one region order on both sides
        left, right = st.columns(2)
        for column, summary, values, side in (
            (left, summary_a, values_a, "a"),
            (right, summary_b, values_b, "b"),
        ):
            with column:
                st.markdown(f"**{md_text(summary.layer.scenario)}**")
                choropleth(
                    summary,
                    values,
                    _is_share(indicator),
                    indicators[indicator],
                    edges=edges,
                    key=f"-{side}",
                )
        _ranking(summary_a, summary_b, indicator, indicators[indicator])
        left, right = st.columns(2)
        with left:
            _class_chart(summary_a, order)
        with right:
            _class_chart(summary_b, order)
    _sources(summary_a, summary_b)
    _downloads(summary_a, summary_b)


_GONE = "Die stresstestlaag staat niet (meer) in de catalogus; getoond wordt de eerste laag."
URL_PARAMS = ("jaar", "laag", "vergelijk", "set", "kengetal")
CHART_ROW_PX = 24  # per region: room for its label
CHART_FRAME_PX = 150  # title, x axis and the legend below it


def _theme_of_link(records: dict[str, LayerRecord]) -> None:
    """A linked layer opens its own theme; a layer that is gone is ignored with a notice."""
    linked = viewstate.get("laag")
    if linked is None:
        return
    if linked not in records:
        viewstate.ignore("laag", _GONE)
        return
    st.session_state["st_theme"] = records[linked].theme


def _load(layer: LayerRecord, region_set: str, year: int) -> RegionSummary:
    table, computed_at = _summary(layer.id, layer.checksum, region_set, year)
    boundaries = state.atlas().boundary_provenance(year)
    return RegionSummary(layer, region_set, year, table, computed_at, boundaries=boundaries)


def _indicators(layer: LayerRecord) -> dict[str, str]:
    out = {}
    for index, label in enumerate(layer.threshold_labels):
        out[f"above:{index}"] = f"Aandeel oppervlakte met {label}"
    out["mean"] = f"Gemiddelde {layer.quantity} ({layer.unit})"
    out["max"] = f"Maximum {layer.quantity} ({layer.unit})"
    for index, label in enumerate(layer.classes.labels):
        out[f"class:{index}"] = f"Aandeel klasse {label}"
    return out


def indicator_values(summary: RegionSummary, indicator: str) -> pd.Series:
    """The chosen indicator per region; shares in percent of the valid area."""
    table = summary.table
    kind, _, index = indicator.partition(":")
    if kind == "above":
        return 100.0 * above_shares(summary, int(index))
    if kind == "class":
        return table[summary.share_column(int(index))]
    return table[kind]


def _is_share(indicator: str) -> bool:
    return indicator.startswith(("above:", "class:"))


def _format(value: float, indicator: str, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "geen gegevens"
    if _is_share(indicator):
        return f"{fmt.number(value, 1)} %"
    return f"{fmt.number(value, 2)} {unit}"


def _ranking(a: RegionSummary, b: RegionSummary | None, indicator: str, label: str) -> None:
    values_a = indicator_values(a, indicator)
    frame = pd.DataFrame(
        {"Regio": a.table["region_name"], "Code": a.table["region_code"], "a": values_a}
    )
    columns = {"a": a.layer.scenario}
    if b is not None:
        frame = frame.merge(
            pd.DataFrame({"Code": b.table["region_code"], "b": indicator_values(b, indicator)}),
            on="Code",
            how="left",
        )
        frame["verschil"] = frame["b"] - frame["a"]
        columns.update({"b": b.layer.scenario, "verschil": "Verschil"})
    frame = frame.sort_values("a", ascending=False, na_position="last").reset_index(drop=True)
    frame.insert(0, "Rang", range(1, len(frame) + 1))
    shown = frame.copy()
    for column in columns:
        shown[column] = [_format(v, indicator, a.layer.unit) for v in frame[column]]
    st.markdown(f"**{md_text(label)}**")
    st.dataframe(shown.rename(columns=columns), hide_index=True, width="stretch")
    top = frame.dropna(subset=["a"]).head(3)
    if not top.empty:
        names = ", ".join(top["Regio"])
        st.caption(md_text(f"Hoogst bij {a.layer.scenario}: {names}."))


def _shown_classes(layer: LayerRecord) -> list[int]:
    """The classes a reader looks for: not the lowest one ("< 5 cm", "geen hittestress"), which
    covers most of the area and would hide the rest, and no transparent ("geen water") class."""
    return [
        i
        for i, colour in enumerate(layer.classes.colours)
        if i > 0 and not (len(colour) == 9 and colour.endswith("00"))
    ]


def _hazard_order(summary: RegionSummary) -> list[str]:
    """Region names by the share of the shown classes, largest first (ties by name)."""
    total = sum(summary.table[summary.share_column(i)].fillna(0) for i in _shown_classes(
        summary.layer
    ))  # fmt: skip
    frame = pd.DataFrame({"name": summary.table["region_name"], "total": total})
    return frame.sort_values(["total", "name"], ascending=[False, True])["name"].tolist()


def _class_chart(summary: RegionSummary, order: list[str] | None = None) -> None:
    """Per region a bar of the classes that matter; every region labelled, in ``order`` (by
    default the largest share first)."""
    layer = summary.layer
    if not _shown_classes(layer):
        return
    spec = _class_chart_spec(
        layer, summary.region_set, summary.year, order and tuple(order), summary
    )
    st.vega_lite_chart(spec=spec, width="stretch")
    lowest = layer.classes.labels[0]
    st.caption(
        md_text(
            f"De laagste klasse ('{lowest}') is weggelaten: die beslaat meestal bijna alles en "
            "zou de andere klassen onzichtbaar maken. Het aandeel per klasse staat in de "
            "download."
        )
    )


@st.cache_data(show_spinner=False, max_entries=256)
def _class_chart_spec(
    layer: LayerRecord,
    region_set: str,
    year: int,
    order: tuple[str, ...] | None,
    _summary: RegionSummary,
) -> dict:
    """The Vega-Lite specification of the class chart, built once for every session: Altair's
    validation was a tenth of the page's server time. Cached on what the summary is made of
    (the layer record with its checksum, titles and classes; the region set and year);
    ``_summary`` itself is not hashed."""
    del region_set, year
    summary = _summary
    shown = _shown_classes(layer)
    rows = []
    for index in shown:
        label = layer.classes.labels[index]
        column = summary.share_column(index)
        for name, share in zip(summary.table["region_name"], summary.table[column], strict=True):
            rows.append({"Regio": name, "Klasse": label, "Aandeel (%)": share, "order": index})
    data = pd.DataFrame(rows)
    labels = [layer.classes.labels[i] for i in shown]
    colours = [layer.classes.colours[i][:7] for i in shown]
    lowest = layer.classes.labels[0]
    chart = dutch(
        alt.Chart(data, title=f"Klassen per regio: {layer.title}")
        .mark_bar()
        .encode(
            x=alt.X(
                "sum(Aandeel (%)):Q",
                title=f"Aandeel van de oppervlakte (%), zonder '{lowest}'",
            ),
            y=alt.Y(
                "Regio:N",
                sort=list(order) if order is not None else "-x",
                title=None,
                axis=alt.Axis(labelLimit=320, labelOverlap=False),
            ),
            color=alt.Color(
                "Klasse:N",
                scale=alt.Scale(domain=labels, range=colours),
                sort=labels,
                legend=alt.Legend(title=legend_title(layer), orient="bottom", columns=3),
            ),
            order=alt.Order("order:Q"),
            tooltip=["Regio", "Klasse", alt.Tooltip("Aandeel (%):Q", format=".1f")],
        )
        # Streamlit fits the whole chart (title, axis, the legend below) into this height.
        .properties(height=CHART_FRAME_PX + CHART_ROW_PX * summary.table.shape[0])
    )
    return chart.to_dict()


def _sources(a: RegionSummary, b: RegionSummary | None) -> None:
    lines = []
    for summary in (a, b):
        if summary is None:
            continue
        layer = summary.layer
        date = f", {fmt.date_text(layer.date)}" if layer.date else ""
        synthetic = " SYNTHETISCH." if layer.synthetic else ""
        lines.append(
            f"{layer.title}: bron {layer.source}{date}; {layer.resolution_m:g} m pixels; "
            f"berekend {fmt.date_text(summary.computed_at)}.{synthetic}"
        )
    lines.append(
        f"Regio's: grensjaar {a.year} ({a.boundaries}; CC-BY 4.0; waterschappen Het "
        f"Waterschapshuis via PDOK). Methode: {a.method}. Aandelen zijn procenten van de "
        "oppervlakte met gegevens."
    )
    st.caption("  \n".join(md_text(line) for line in lines))


def _downloads(a: RegionSummary, b: RegionSummary | None) -> None:
    summaries = [a] if b is None else [a, b]
    synthetic = " (SYNTHETISCH)" if any(s.layer.synthetic for s in summaries) else ""
    name = f"stresstest_{a.layer.id}_{a.region_set}_{a.year}"
    left, right = st.columns(2)
    # Both files, and the tables in them, are built only when their button is clicked, not on
    # every render (the tables alone were a fifth of the page's server time).
    left.download_button(
        "Download CSV",
        lambda: csv_bytes(
            pd.concat([csv_frame(s) for s in summaries], ignore_index=True),
            source=f"adaptatie, {a.label}{synthetic}",
        ),
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",
    )
    if a.region_set != ATOM_SET:
        atlas = state.atlas()
        right.download_button(
            "Download GeoPackage",
            lambda: geopackage_bytes(
                atlas, a, pd.concat([export_frame(s) for s in summaries], ignore_index=True)
            ),
            file_name=f"{name}.gpkg",
            mime="application/geopackage+sqlite3",
            on_click="ignore",
        )
