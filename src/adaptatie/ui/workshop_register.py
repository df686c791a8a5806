"""Risk-register parts of the Risicodialoog page: pick hotspots from the computed list, take one
off the list again (with a confirmation; the log keeps its values), the owner and decision date
of an outcome, and the register compared between dialogue rounds."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from adaptatie import fmt
from adaptatie.accounts.roles import Permission
from adaptatie.dialogue.records import FIELDS, OWNER_KINDS, ROUNDS, Outcome, Workshop
from adaptatie.dialogue.register import compare, register, register_csv
from adaptatie.dialogue.workshops import WorkshopBook
from adaptatie.finance.audit import format_time
from adaptatie.regions.models import Region
from adaptatie.stresstest.hotspots import hotspots, ranked
from adaptatie.stresstest.themes import THEME_LABELS
from adaptatie.ui import session, state
from adaptatie.ui.errors import deferred, guard, show_deferred
from adaptatie.ui.safe import md_text
from adaptatie.ui.widgets import CHOOSE_ONE

SHOWN = 30  # hotspots offered per region
REMOVED_KEY = "wr_removed_message"


def hotspot_picker(
    book: WorkshopBook,
    workshop: Workshop,
    region: Region | None,
    theme: str,
    user: str,
    taken: set[str],
) -> None:
    """Offer the region's largest hotspots of the theme's first layer (highest threshold)."""
    if region is None:
        return
    workspace = state.workspace()
    layers = [r for r in workspace.catalogue.layers() if r.theme == theme and r.thresholds]
    if not layers or not st.toggle(
        "Hotspot uit de stresstest kiezen", key=f"wr_pick_{workshop.id}_{theme}"
    ):
        return
    with guard():
        layer = layers[0]
        threshold = layer.thresholds[-1]
        store = state.results_store()
        with st.spinner("Hotspots zoeken…"):
            found = hotspots(store, layer, threshold, region.year)
            table = ranked(found, store, region.kind.value)
        table = table[table["region_code"] == region.id].head(SHOWN)
        frame = found.frame.set_index("hotspot_id")
        unit = layer.unit
        options = {
            f"{h} — {fmt.number(a / 10_000, 2)} ha, max. {fmt.number(m, 2)} {unit} "
            f"(> {fmt.number(threshold, 2)} {unit})": h
            for h, a, m in zip(table["hotspot_id"], table["area_m2"], table["max"], strict=True)
        }
        options = {label: h for label, h in options.items() if label not in taken}
        if not options:
            st.caption(md_text(f"Geen (nieuwe) hotspots van {layer.title} in {region.name}."))
            return
        key = f"wr_choice_{workshop.id}_{theme}"

        def pick() -> None:
            label = st.session_state[key]
            if label:
                with deferred(f"{key}_error"):
                    book.pick_hotspot(
                        workshop.id,
                        theme,
                        label,
                        f"{layer.id}|{threshold:g}|{options[label]}",
                        frame.loc[options[label]].geometry.wkt,
                        user=user,
                    )
                st.session_state[key] = ""

        st.selectbox(
            md_text(f"Hotspots van {layer.title} in {region.name}, grootste eerst"),
            ["", *options],
            key=key,
            on_change=pick,
            format_func=lambda v: v or "kies een hotspot om te bespreken",
            placeholder=CHOOSE_ONE,
        )
        show_deferred(f"{key}_error")
        if layer.synthetic:
            st.caption("SYNTHETISCHE stresstestlaag: de hotspots zijn alleen voor demonstratie.")


def hotspot_removal(book: WorkshopBook, workshop: Workshop, theme: str, hotspot: str) -> None:
    """Take ``hotspot`` off the list, after a confirmation; its values go to the log."""
    key = f"wr_remove_{workshop.id}_{theme}_{hotspot}"
    sure = st.checkbox(
        md_text(f"Ja, hotspot {hotspot} en wat erover is besloten van de lijst halen"),
        key=f"{key}_sure",
    )
    if st.button("Hotspot verwijderen", key=key, disabled=not sure, icon=":material/delete:"):
        with guard():
            user = session.ensure(Permission.WORKSHOPS)
            book.remove_hotspot(workshop.id, theme, hotspot, user=user)
            st.session_state.pop(f"{key}_sure", None)
            st.session_state[REMOVED_KEY] = (
                f"Hotspot {hotspot} is van de lijst gehaald; wat erover was vastgelegd staat in "
                "het logboek onderaan."
            )
            st.rerun()


def removed_notice() -> None:
    """The confirmation of a removal, once, after the page was drawn again."""
    if message := st.session_state.pop(REMOVED_KEY, None):
        st.success(md_text(message), icon=":material/delete:")


def removals_section(book: WorkshopBook, workshop: Workshop) -> None:
    """The log of hotspots taken off this workshop's list, with every value they had."""
    removals = book.removals(workshop.id)
    if not removals:
        return
    with st.expander(f"Logboek: verwijderde hotspots ({len(removals)})"):
        labels = {
            **FIELDS,
            "hotspot_ref": "Hotspot-id",
            "hotspot_wkt": "Vorm (RD New)",
            "updated_by": "Laatst bijgewerkt door",
        }
        st.dataframe(
            {
                "Verwijderd op": [format_time(r.at) for r in removals],
                "Door": [r.user for r in removals],
                "Thema": [THEME_LABELS.get(r.theme, r.theme) for r in removals],
                "Hotspot": [r.hotspot for r in removals],
                "Vastgelegd": [
                    "; ".join(
                        f"{labels.get(k, k)}: {v}"
                        for k, v in r.values.items()
                        if k != "hotspot_wkt"
                    )
                    for r in removals
                ],
            },
            hide_index=True,
        )


def register_fields(
    book: WorkshopBook,
    workshop: Workshop,
    theme: str,
    hotspot: str,
    current: Outcome | None,
    user: str,
    prefix: str,
) -> None:
    """The owner class and the decision date of one outcome, saved as chosen."""

    def save(field: str) -> None:
        value = st.session_state[f"{prefix}_{field}"]
        if isinstance(value, dt.date):
            value = value.isoformat()
        with deferred(f"{prefix}_register_error"):
            book.save_field(workshop.id, theme, hotspot, field, value or "", user=user)

    left, right = st.columns(2)
    left.selectbox(
        "Risico-eigenaar",
        OWNER_KINDS,
        format_func=lambda v: v or "nog niet gekozen",
        index=OWNER_KINDS.index(current.owner_kind) if current and current.owner_kind else 0,
        key=f"{prefix}_owner_kind",
        on_change=save,
        args=("owner_kind",),
        placeholder=CHOOSE_ONE,
    )
    right.date_input(
        "Besluitdatum",
        value=current.decision_date if current else None,
        format="DD-MM-YYYY",
        key=f"{prefix}_decision_date",
        on_change=save,
        args=("decision_date",),
    )
    show_deferred(f"{prefix}_register_error")


def register_section(book: WorkshopBook, workshop: Workshop) -> None:
    """The region's risk register per round and the changes from the first to the second."""
    with st.expander("Risicoregister van deze regio: eerste en tweede ronde"):
        frame = register(book, workshop.region_kind, workshop.region_code)
        st.caption(
            md_text(
                f"Deze risicodialoog hoort bij de {ROUNDS[workshop.dialogue_round]}. Per ronde "
                "telt het laatste besluit per thema en hotspot."
            )
        )
        if frame.empty:
            st.caption("Nog geen besluiten vastgelegd.")
            return
        st.dataframe(frame.drop(columns=["_wkt"]), hide_index=True)
        st.markdown("**Verschil tussen de rondes**")
        st.dataframe(compare(frame), hide_index=True)
        st.download_button(
            "Risicoregister als CSV",
            register_csv(frame),
            file_name=f"risicoregister_{workshop.region_code}.csv",
            mime="text/csv",
            on_click="ignore",
            key=f"wr_csv_{workshop.id}",
        )
