"""The page with municipal mergers between two boundary years."""

from __future__ import annotations

import streamlit as st

from adaptatie.regions.effective import effective_years
from adaptatie.regions.tables import changes_table
from adaptatie.ui import state
from adaptatie.ui.safe import md_table
from adaptatie.ui.widgets import CHOOSE_ONE


def render() -> None:
    atlas = state.atlas()
    years = list(atlas.years)
    left, right = st.columns(2)
    from_year = left.selectbox(
        "Van grensjaar", years, index=0, key="lineage_from", placeholder=CHOOSE_ONE
    )
    to_year = right.selectbox(
        "Naar grensjaar", years, index=len(years) - 1, key="lineage_to", placeholder=CHOOSE_ONE
    )
    if from_year == to_year:
        st.info("Kies twee verschillende grensjaren om de herindelingen te zien.")
        return
    effective = effective_years(atlas, from_year, to_year)
    table = changes_table(atlas.lineage(from_year, to_year), effective)
    if table.empty:
        st.success(f"Tussen {from_year} en {to_year} is in het kaartgebied niets veranderd.")
        return
    # A plain table over the full width: long lists of predecessors wrap instead of being cut off.
    st.table(md_table(table), hide_index=True)  # st.table renders Markdown in its cells
    st.caption(
        "Afgeleid uit de overlap van de CBS-gemeentegrenzen van beide jaren, niet uit een "
        "ingetypte lijst. De ingangsdatum is 1 januari van het eerste grensjaar met de nieuwe "
        "indeling (de grensbestanden tonen de gemeenten op 1 januari). De grensbestanden van "
        "verschillende jaren zijn verschillend gegeneraliseerd; overlappen kleiner dan 10 % van "
        "een gemeente gelden als generalisatieverschil, zodat kleine grenscorrecties hier niet "
        "verschijnen."
    )
