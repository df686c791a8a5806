"""The co-financing page ("Cofinanciering"): Impulsregeling money per werkregio and measures."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from adaptatie import fmt
from adaptatie.accounts.roles import Permission
from adaptatie.finance.audit import display_value, format_time
from adaptatie.finance.ledger import Ledger
from adaptatie.finance.money import format_euros
from adaptatie.finance.places import unplaceable
from adaptatie.finance.records import ClimateTheme, Measure, Status
from adaptatie.finance.totals import WerkregioTotals
from adaptatie.ui import finance_forms, session
from adaptatie.ui.charts import MILLION_EURO_LABELS, dutch
from adaptatie.ui.coverage_section import coverage_section
from adaptatie.ui.finance_state import ledger
from adaptatie.ui.safe import md_text
from adaptatie.ui.widgets import CHOOSE_ONE


def render() -> None:
    book = ledger()
    user = session.require(Permission.LEDGER)
    summaries = book.totals()
    _overview(summaries)
    measures = _filtered_measures(book)
    finance_forms.edit_section(book, measures, user)
    finance_forms.import_export_section(book, user)
    _audit(book)
    finance_forms.measures_map(book, measures)
    coverage_section(book)  # issue 16: which hotspots the money reaches


def _overview(summaries: list[WerkregioTotals]) -> None:
    st.subheader("Rijksbijdrage per werkregio")
    table = pd.DataFrame(
        {
            "Werkregio": [s.name for s in summaries],
            "Maximum Rijk": [
                "onbekend"
                if s.allocation_cents is None
                else f"{format_euros(s.allocation_cents)} ({s.allocation_basis})"
                for s in summaries
            ],
            "Aangevraagd": [format_euros(s.requested_rijk_cents) for s in summaries],
            "Toegekend": [format_euros(s.granted_rijk_cents) for s in summaries],
            "Gerealiseerd": [format_euros(s.realised_rijk_cents) for s in summaries],
            "Nog beschikbaar": [format_euros(s.remaining_rijk_cents) for s in summaries],
            "Totale kosten": [format_euros(s.total_cost_cents) for s in summaries],
            "Maatregelen": [s.n_measures for s in summaries],
        }
    )
    st.dataframe(table, hide_index=True)
    rows = []
    for s in summaries:
        for label, cents in (
            ("Maximum", s.allocation_cents),
            ("Aangevraagd", s.requested_rijk_cents),
            ("Toegekend", s.granted_rijk_cents),
            ("Gerealiseerd", s.realised_rijk_cents),
        ):
            if cents is not None:
                rows.append(
                    {
                        "Werkregio": s.name,
                        "Soort": label,
                        "miljoen": cents / 1e8,
                        "Bedrag": format_euros(cents),
                    }
                )
    if rows:
        chart = dutch(
            alt.Chart(pd.DataFrame(rows))
            .mark_bar()
            .encode(
                y=alt.Y("Werkregio:N", title=None, axis=alt.Axis(labelLimit=260)),
                yOffset=alt.YOffset(
                    "Soort:N", sort=["Maximum", "Aangevraagd", "Toegekend", "Gerealiseerd"]
                ),
                x=alt.X(
                    "miljoen:Q",
                    title="Rijksbijdrage",
                    axis=alt.Axis(labelExpr=MILLION_EURO_LABELS),
                ),
                color=alt.Color(
                    "Soort:N",
                    sort=["Maximum", "Aangevraagd", "Toegekend", "Gerealiseerd"],
                    scale=alt.Scale(range=["#bdbdbd", "#E69F00", "#0072B2", "#009E73"]),
                ),
                tooltip=["Werkregio", "Soort", "Bedrag"],
            )
        )
        st.altair_chart(chart, width="stretch")
    sources = [
        f"{s.name}: {s.allocation_source}"
        + (f" ({fmt.date_text(s.allocation_date)})" if s.allocation_date else "")
        + (f" — {s.allocation_note}" if s.allocation_note else "")
        for s in summaries
    ]
    st.caption(
        "Maximale rijksbijdrage volgens de Impulsregeling klimaatadaptatie (Rijk betaalt ten "
        "hoogste 1/3 van de realisatiekosten). Bronnen: " + md_text("; ".join(sources))
    )
    for s in summaries:
        for message in s.violations:
            st.error(f"**{md_text(s.name)}:** {md_text(message)}", icon=":material/error:")
        for message in s.warnings:
            st.warning(f"**{md_text(s.name)}:** {md_text(message)}", icon=":material/warning:")


def _filtered_measures(book: Ledger) -> list[Measure]:
    st.subheader("Maatregelen")
    regions = {w.id: w.name for w in book.werkregios.werkregios}
    left, middle, right = st.columns(3)
    werkregio = left.selectbox(
        "Werkregio",
        [None, *regions],
        format_func=lambda w: "alle" if w is None else regions[w],
        key="finance_filter_region",
        placeholder=CHOOSE_ONE,
    )
    statuses = middle.multiselect(
        "Status",
        list(Status),
        format_func=lambda s: s.value,
        key="finance_filter_status",
        placeholder="alle",
    )
    themes = right.multiselect(
        "Thema",
        list(ClimateTheme),
        format_func=lambda t: t.value,
        key="finance_filter_theme",
        placeholder="alle",
    )
    measures = [
        m
        for m in book.measures(werkregio)
        if (not statuses or m.status in statuses) and (not themes or m.themes & set(themes))
    ]
    if not measures:
        st.info("Geen maatregelen (met deze filters).", icon=":material/info:")
        return measures
    st.dataframe(measures_table(measures, regions), hide_index=True)
    total = sum(m.rijk_contribution_cents or 0 for m in measures)
    st.caption(f"{len(measures)} maatregel(en); samen {format_euros(total)} rijksbijdrage.")
    if book.names is not None and (lost := unplaceable(measures, book.names)):
        listing = "; ".join(f"{m.id} (gemeente '{m.gemeente}': {why})" for m, why in lost)
        st.warning(
            md_text(
                f"{len(lost)} maatregel(en) kon(den) niet aan een gemeente worden gekoppeld en "
                f"tellen niet mee in de overzichten per gemeente (raadsrapportage): {listing}. "
                "Oplossing: kies de maatregel hieronder en corrigeer de gemeente."
            ),
            icon=":material/location_off:",
        )
    return measures


def measures_table(measures: list[Measure], regions: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Id": [m.id for m in measures],
            "Naam": [m.name for m in measures],
            "Werkregio": [regions.get(m.werkregio, m.werkregio) for m in measures],
            "Gemeente/partner": [m.gemeente for m in measures],
            "Thema's": [", ".join(sorted(t.value for t in m.themes)) for m in measures],
            "Status": [m.status.value for m in measures],
            "Ronde": ["" if m.round is None else str(m.round) for m in measures],
            "Totale kosten": [format_euros(m.total_cost_cents) for m in measures],
            "Subsidiabel": [format_euros(m.eligible_cost_cents) for m in measures],
            "Rijksbijdrage": [format_euros(m.rijk_contribution_cents) for m in measures],
            "Kassier": [m.kassier for m in measures],
            "Gereed": [fmt.date(m.completion_date) if m.completion_date else "" for m in measures],
        }
    )


def _audit(book: Ledger) -> None:
    with st.expander("Logboek van wijzigingen"):
        entries = book.audit(limit=300)
        if not entries:
            st.caption("Nog geen wijzigingen.")
            return
        st.dataframe(
            pd.DataFrame(
                {
                    "Wanneer": [format_time(e.at) for e in entries],
                    "Wie": [e.user for e in entries],
                    "Actie": [e.action for e in entries],
                    "Maatregel": [e.measure_id or "" for e in entries],
                    "Veld": [e.field for e in entries],
                    "Oud": [display_value(e.field, e.old) for e in entries],
                    "Nieuw": [display_value(e.field, e.new) for e in entries],
                }
            ),
            hide_index=True,
        )
