"""Page frame shared by all pages: configuration, Dutch navigation, title."""

from __future__ import annotations

import streamlit as st

from adaptatie.config import resource_root
from adaptatie.ui import viewstate
from adaptatie.ui.uploads import DUTCH_UPLOADER_CSS

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
    ("pages/10_Toegankelijkheid.py", "Toegankelijkheid", ":material/accessibility:"),
)
LARGE_TYPE_KEY = "large_type"
# Streamlit draws captions at 60 % opacity of the text colour: 3,7:1 on white, below the 4,5:1 of
# WCAG 2.1 AA. The text colour itself at 80 % gives about 6,5:1 (light and dark theme alike).
CONTRAST_CSS = """
<style>
  [data-testid="stCaptionContainer"] { color: inherit !important; opacity: 0.8; }
  [data-testid="stCaptionContainer"] * { color: inherit !important; }
</style>
"""
# An empty date input shows its format as "dd - mm - yyyy" (English letters): the year as "jjjj".
_EMPTY_YEAR = '[data-testid="stDateInput"] [data-type="year"][data-placeholder="true"]'
DATE_PLACEHOLDER_CSS = f"""
<style>
  {_EMPTY_YEAR} {{ font-size: 0 !important; }}
  {_EMPTY_YEAR}::after {{ content: "jjjj"; font-size: 1rem; }}
</style>
"""
# Streamlit cuts a metric's label and value that do not fit with an ellipsis ("1.502…" in the map
# panel on a 768 px tablet); they wrap instead, breaking inside a word only when nothing else fits.
WRAP_CSS = """
<style>
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] *,
  [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
    white-space: normal !important; overflow: visible !important;
    text-overflow: clip !important; overflow-wrap: break-word;
  }
</style>
"""
# Large type for projectors and low vision: the whole page, sidebar included. Streamlit sizes its
# text in rem, so a larger root size scales body text, labels and headings alike (h1 stays larger
# than h3, h3 larger than body text). A size set on every element instead would also reach the
# span inside each heading and make headings as small as body text. The Dutch texts of the date
# and upload fields are sized in rem too, so they grow with it.
LARGE_TYPE_CSS = """
<style>
  html { font-size: 145% !important; }
</style>
"""


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
        # A widget's value is dropped when another page does not draw it at once; keep a copy.
        st.session_state[LARGE_TYPE_KEY] = st.session_state.get("_large_type", False)
        large = st.toggle("Grote letters", key=LARGE_TYPE_KEY, on_change=_keep_large_type)
        st.divider()
    st.markdown(
        CONTRAST_CSS
        + WRAP_CSS
        + DUTCH_UPLOADER_CSS
        + DATE_PLACEHOLDER_CSS
        + (LARGE_TYPE_CSS if large else ""),
        unsafe_allow_html=True,
    )
    st.title(title)
    if intro:
        st.markdown(intro)
    from adaptatie.ui import session  # the ledger database only when a page needs it

    session.gate()


def _keep_large_type() -> None:
    st.session_state["_large_type"] = st.session_state[LARGE_TYPE_KEY]
