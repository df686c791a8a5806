"""The regions overview page: every region of a kind in a table, with a download."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from adaptatie import fmt
from adaptatie.regions.models import RegionKind
from adaptatie.regions.tables import regions_table
from adaptatie.ui import state
from adaptatie.ui.downloads import csv_bytes
from adaptatie.ui.widgets import kind_selector, year_selector

# Column names of the download (the numbers stay numbers: area in km² with 1 decimal)
CSV_COLUMNS = {
    "code": "Code",
    "naam": "Naam",
    "gemeenten": "Gemeenten",
    "oppervlakte_km2": "Oppervlakte (km²)",
    "inwoners": "Inwoners",
    "inwoners_jaar": "Peiljaar inwoners",
    "waterschappen": "Waterschappen (aandeel oppervlakte)",
    "grensjaar": "Grensjaar",
}


@st.cache_data(show_spinner="Regio's doorrekenen…")
def _table(year: int, kind_value: str) -> pd.DataFrame:
    return regions_table(state.atlas(), year, RegionKind(kind_value))


def render() -> None:
    atlas = state.atlas()
    year = year_selector(atlas)
    kind = kind_selector(key="overview_kind")
    table = _table(year, kind.value)
    st.dataframe(_dutch(table), hide_index=True)
    missing = table["inwoners"].isna().sum() if not table.empty else 0
    if missing:
        st.caption(
            f"Voor {missing} regio('s) zijn geen inwonertallen bekend: de CBS-tabel in de "
            f"brongegevens heeft jaren {', '.join(map(str, atlas.source.population().years))} en "
            "de gemeentelijke indeling van dit grensjaar was toen anders (of het gaat om "
            "waterschappen, die CBS niet telt)."
        )
    st.caption(
        f"Bronnen: gemeentegrenzen {year} CBS/Kadaster (CC-BY 4.0); inwoners CBS Kerncijfers "
        "wijken en buurten (CC-BY 4.0); waterschapsgrenzen Het Waterschapshuis via PDOK; "
        "indelingen geodata/regions.toml."
    )
    st.download_button(
        "Download als CSV",
        lambda: csv_bytes(
            table.rename(columns=CSV_COLUMNS), source=f"adaptatie, {kind.plural} grensjaar {year}"
        ),
        file_name=f"regios_{kind.value}_{year}.csv",
        mime="text/csv",
        on_click="ignore",
    )


def _dutch(table: pd.DataFrame) -> pd.DataFrame:
    """The table with nl-NL formatted numbers for display (downloads keep plain numbers)."""
    if table.empty:
        return table
    return pd.DataFrame(
        {
            "Code": table["code"],
            "Naam": table["naam"],
            "Gemeenten": table["gemeenten"],
            "Oppervlakte": [fmt.area_km2(v) for v in table["oppervlakte_km2"]],
            "Inwoners": [
                "onbekend" if pd.isna(v) else fmt.number(int(v)) for v in table["inwoners"]
            ],
            "CBS-jaar inwoners": [
                "" if pd.isna(v) else str(int(v)) for v in table["inwoners_jaar"]
            ],
            "Waterschappen (aandeel oppervlakte)": table["waterschappen"],
        }
    )
