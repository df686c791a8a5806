"""The shared ledger (one engine per process); who may edit is :mod:`adaptatie.ui.session`."""

from __future__ import annotations

import streamlit as st

from adaptatie.finance.ledger import Ledger
from adaptatie.ui.errors import guard


@st.cache_resource(show_spinner="Database openen…")
def _ledger() -> Ledger:
    return Ledger.open()


def ledger() -> Ledger:
    """The shared ledger (one engine per process); a database problem stops the page."""
    with guard(stop=True):
        return _ledger()
    raise AssertionError("unreachable: guard stopped the page")
