"""Section of the Cofinanciering page: which hotspots the granted measures reach, per werkregio."""

from __future__ import annotations

import streamlit as st

from adaptatie import fmt
from adaptatie.exposure.overview import hotspot_view
from adaptatie.finance.ledger import Ledger
from adaptatie.regions.models import RegionKind
from adaptatie.ui import state
from adaptatie.ui.errors import guard
from adaptatie.ui.safe import md_text
from adaptatie.ui.widgets import CHOOSE_ONE


def coverage_section(book: Ledger) -> None:
    """Per werkregio: hotspots reached and not, Rijk money per reached hotspot, the largest
    hotspots no measure reaches (computed only when the user asks for it)."""
    st.subheader("Bereiken de maatregelen de hotspots?")
    workspace = state.workspace()
    layers = [r for r in workspace.catalogue.layers() if r.thresholds]
    if not layers:
        st.caption("Er is geen stresstestlaag om hotspots uit te halen.")
        return
    if not st.toggle(
        "Toon per werkregio welke hotspots de toegekende maatregelen bereiken", key="fin_coverage"
    ):
        return
    with guard():
        by_id = {r.id: r for r in layers}
        left, middle, right = st.columns(3)
        layer = by_id[
            left.selectbox(
                "Stresstestlaag",
                list(by_id),
                format_func=lambda i: by_id[i].title,
                key="fin_cov_layer",
                placeholder=CHOOSE_ONE,
            )
        ]
        threshold = middle.selectbox(
            "Drempel",
            list(layer.thresholds),
            index=len(layer.thresholds) - 1,
            format_func=lambda t: f"meer dan {fmt.number(t, 2)} {layer.unit}",
            key=f"fin_cov_t_{layer.id}",
            placeholder=CHOOSE_ONE,
        )
        distance = right.number_input(
            "Binnen (m)", min_value=0.0, value=50.0, step=10.0, key="fin_cov_distance"
        )
        store = state.results_store()
        with st.spinner("Hotspots zoeken…"):
            view = hotspot_view(
                store,
                layer,
                float(threshold),
                RegionKind.WERKREGIO.value,
                max(workspace.atlas.years),
                book.measures(),
                distance_m=float(distance),
            )
        if layer.synthetic:
            st.warning(
                "De stresstestlaag is SYNTHETISCH: alleen voor demonstratie.",
                icon=":material/science:",
            )
        rows = view.region_rows()
        if rows.empty:
            st.info("Geen hotspots boven deze drempel.")
            return
        st.dataframe(rows, hide_index=True)
        if view.coverage.measures_unlocated:
            st.warning(
                f"{view.coverage.measures_unlocated} toegekende maatregel(en) zonder locatie "
                "tellen niet mee. Oplossing: vul de locatie (locatie_wkt) in.",
                icon=":material/location_off:",
            )
        st.caption(
            md_text(view.provenance) + " De kaart en de hotspots per gemeente staan op "
            "de pagina Hotspots en blootstelling."
        )
