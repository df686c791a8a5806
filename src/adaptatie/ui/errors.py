"""One place that turns adaptatie errors into Dutch messages on screen."""

from __future__ import annotations

import streamlit as st

from adaptatie.errors import (
    AdaptatieError,
    AmbiguousRegionError,
    BoundaryYearError,
    DataFileError,
    DataSourceError,
    RegionDefinitionError,
    UnknownRegionError,
)

_TITLES: tuple[tuple[type[AdaptatieError], str], ...] = (
    (RegionDefinitionError, "De regiodefinities kloppen niet"),
    (DataFileError, "Een bronbestand is niet bruikbaar"),
    (DataSourceError, "De brongegevens zijn niet gevonden"),
    (BoundaryYearError, "Dit grensjaar is niet beschikbaar"),
    (AmbiguousRegionError, "De naam is niet eenduidig"),
    (UnknownRegionError, "Regio niet gevonden"),
    (AdaptatieError, "Er ging iets mis"),
)


def title_for(error: AdaptatieError) -> str:
    """The Dutch heading for an error (most specific class first)."""
    for cls, title in _TITLES:
        if isinstance(error, cls):
            return title
    return "Er ging iets mis"


def show_error(error: AdaptatieError, stop: bool = True) -> None:
    """Show ``error`` as a Dutch message; stop the page unless ``stop`` is False."""
    st.error(f"**{title_for(error)}.** {error}", icon=":material/warning:")
    if stop:
        st.stop()
