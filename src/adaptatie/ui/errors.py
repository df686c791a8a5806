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
from adaptatie.ui.safe import md_text

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


def show_error(
    error: AdaptatieError,
    stop: bool = True,
    heading: str | None = None,
    icon: str = ":material/warning:",
) -> None:
    """Show ``error`` as a Dutch message under ``heading`` (default: by its class).

    The message is shown literally (it may quote user text); the page stops unless ``stop`` is
    False.
    """
    title = heading if heading is not None else f"{title_for(error)}."
    st.error(f"**{md_text(title)}** {md_text(error)}", icon=icon)
    if stop:
        st.stop()
