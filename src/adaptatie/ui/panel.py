"""The region panel: what a region is made of, with sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from adaptatie import fmt
from adaptatie.regions.atlas import Atlas
from adaptatie.regions.models import Region, RegionKind
from adaptatie.ui.report_button import report_button
from adaptatie.ui.safe import md_text


def region_panel(atlas: Atlas, region: Region) -> None:
    """Members, area, population and water boards of ``region``."""
    profile = atlas.profile(region)
    st.subheader(md_text(region.name))
    st.caption(md_text(f"{region.kind.label} · code {region.id} · grensjaar {region.year}"))
    area_col, pop_col = st.columns(2)
    area_col.metric("Oppervlakte", fmt.area_km2(profile.area_km2))
    pop = profile.population
    if pop.inhabitants is not None:
        pop_col.metric(
            "Inwoners",
            fmt.number(pop.inhabitants),
            help=md_text(f"CBS {pop.year}: {pop.source}"),
        )
        pop_col.caption(f"CBS, {pop.year}")
    else:
        pop_col.metric("Inwoners", "onbekend")
    if pop.note:
        st.caption(md_text(pop.note))

    label = "Gemeenten" if region.kind is not RegionKind.GEMEENTE else "Gemeente"
    st.markdown(f"**{label} ({region.year})**")
    members = pd.DataFrame(
        {
            "CBS-code": [m.code for m in region.members],
            "Gemeente": [m.name for m in region.members],
            "Aandeel in regio": [fmt.percent(m.share) for m in region.members],
        }
    )
    st.dataframe(members, hide_index=True)
    if region.kind is not RegionKind.WATERSCHAP:
        st.caption(
            "Aandeel in regio: deel van de oppervlakte van de gemeente dat binnen de regio "
            "valt zoals die is vastgesteld"
            + (f" (indeling {region.definition_year})." if region.definition_year else ".")
        )

    st.markdown("**Waterschappen (aandeel van de oppervlakte)**")
    boards = pd.DataFrame(
        {
            "Code": [w.code for w in profile.waterschappen],
            "Waterschap": [w.name for w in profile.waterschappen],
            "Aandeel": [fmt.percent(w.share) for w in profile.waterschappen],
        }
    )
    st.dataframe(boards, hide_index=True)
    rest = 1 - sum(w.share for w in profile.waterschappen)
    if rest > 0.005:
        st.caption(
            f"{fmt.percent(rest)} van de oppervlakte valt niet in een waterschap van de lijst "
            "(open water zoals Waddenzee of Dollard, of verschillen tussen de grensbestanden; "
            "aandelen onder 0,5 % zijn weggelaten)."
        )
    for note in region.notes:
        st.info(md_text(note), icon=":material/info:")
    sources = [f"Grenzen: {profile.boundary_source}"]
    if region.source:
        sources.insert(0, f"Indeling: {region.source}")
    sources.append("Waterschapsgrenzen: Het Waterschapshuis via PDOK")
    st.caption(md_text(" · ".join(sources)))
    report_button(region)
