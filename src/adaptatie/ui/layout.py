"""Page frame shared by all pages: configuration, Dutch navigation, title."""

from __future__ import annotations

import streamlit as st

from adaptatie.config import resource_root
from adaptatie.ui import viewstate

# (script path relative to app.py, Dutch label, icon)
PAGES = (
    ("app.py", "Regionale waterkaart", ":material/map:"),
    ("pages/2_Regio-overzicht.py", "Regio-overzicht", ":material/table:"),
    ("pages/3_Risicodialoog.py", "Risicodialoog", ":material/groups:"),
    ("pages/4_Stresstest.py", "Stresstest per regio", ":material/bar_chart:"),
    ("pages/5_Stresstestlagen.py", "Stresstestlagen", ":material/layers:"),
    ("pages/6_Cofinanciering.py", "Cofinanciering", ":material/euro:"),
    ("pages/10_Hotspots.py", "Hotspots en blootstelling", ":material/warning:"),
    ("pages/7_DPRA-voortgang.py", "DPRA-voortgang", ":material/checklist:"),
    ("pages/8_Herindelingen.py", "Herindelingen", ":material/merge:"),
    ("pages/9_Bronnen.py", "Bronnen en licenties", ":material/menu_book:"),
)


def page(title: str, intro: str = "") -> None:
    """Set up a page: wide layout, the sidebar navigation with Dutch labels, the title."""
    st.set_page_config(
        page_title=f"{title} · adaptatie",
        page_icon=str(resource_root() / "static" / "favicon.svg"),
        layout="wide",
    )
    viewstate.start()  # a deep link (?jaar=...&regio=...) into the shared view state
    with st.sidebar:
        st.markdown("### adaptatie")
        for path, label, icon in PAGES:
            st.page_link(path, label=label, icon=icon)
        st.divider()
    st.title(title)
    if intro:
        st.markdown(intro)
