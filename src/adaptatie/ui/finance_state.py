"""The shared ledger (one engine per process); who may edit is :mod:`adaptatie.ui.session`.

The ledger resolves gemeente and kassier with the CBS names of the app's source data
(:meth:`adaptatie.regions.atlas.Atlas.names`). Nothing read from it is cached: every view and
download reads the database when it is drawn or clicked, so after a save, import or delete (which
rerun the page, :mod:`adaptatie.ui.finance_forms`) everything shows what is stored.
"""

from __future__ import annotations

import streamlit as st

from adaptatie.finance.ledger import Ledger
from adaptatie.regions.names import NameTable
from adaptatie.ui import state
from adaptatie.ui.errors import guard


@st.cache_resource(show_spinner="Database openen…")
def _ledger() -> Ledger:
    # The names are read at the first save or import, not here: pages that only log in or read
    # do not load the source data for it.
    return Ledger.open(names=_names)


def _names() -> NameTable:
    return state.atlas().names()


def ledger() -> Ledger:
    """The shared ledger (one engine per process); a database problem stops the page."""
    with guard(stop=True):
        return _ledger()
    raise AssertionError("unreachable: guard stopped the page")
