"""Cached shared objects of the app (one per server process)."""

from __future__ import annotations

import streamlit as st

from adaptatie.regions.atlas import Atlas
from adaptatie.regions.display import MapLayer, map_layers
from adaptatie.regions.models import RegionKind
from adaptatie.stresstest.results import ResultsStore
from adaptatie.ui.errors import guard
from adaptatie.workspace import Workspace


@st.cache_resource(show_spinner="Brongegevens laden en controleren…")
def _workspace() -> Workspace:
    workspace = Workspace()
    workspace.atlas  # noqa: B018 - load and validate the sources now, inside the spinner
    return workspace


def workspace() -> Workspace:
    """The shared Workspace; a data problem stops the page with a Dutch message.

    A failed load is not cached, so fixing the files and reloading the page is enough.
    """
    with guard(stop=True):
        return _workspace()
    raise AssertionError("unreachable: guard stopped the page")


def atlas() -> Atlas:
    """The shared Atlas (see :func:`workspace`)."""
    return workspace().atlas


def results_store() -> ResultsStore:
    """The stress-test results of the shared workspace (kept on disk per layer and year)."""
    space = workspace()
    return ResultsStore(space.atlas, space.catalogue, space.home)


@st.cache_resource(show_spinner="Kaartlagen voorbereiden…")
def layers(year: int) -> dict[RegionKind, MapLayer]:
    """Simplified map layers of one boundary year (shared, read-only)."""
    atlas = _workspace().atlas
    return atlas.stored(("map_layers", year), lambda: map_layers(atlas, year))
