"""adaptatie: home page, the regional water map (Regionale waterkaart)."""

import streamlit as st

from adaptatie.ui import map_page

st.set_page_config(
    page_title="Regionale waterkaart · adaptatie",
    page_icon="💧",
    layout="wide",
)
st.title("Regionale waterkaart")
st.markdown(
    "Gemeenten, clusters, samenwerkingsverbanden, DPRA-werkregio's, waterschappen en provincies "
    "van Groningen, Drenthe en Twente, voor elk grensjaar van 2017 tot en met 2024."
)
map_page.render()
