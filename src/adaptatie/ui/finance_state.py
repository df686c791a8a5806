"""The shared ledger and the editor session of the co-financing page."""

from __future__ import annotations

import streamlit as st

from adaptatie.errors import AdaptatieError, InputError
from adaptatie.finance.auth import EditorAccess
from adaptatie.finance.ledger import Ledger
from adaptatie.ui.errors import guard, show_error
from adaptatie.ui.safe import md_text

EDITOR_KEY = "finance_editor"  # the editor's name once logged in


@st.cache_resource(show_spinner="Database openen…")
def _ledger() -> Ledger:
    return Ledger.open()


def ledger() -> Ledger:
    """The shared ledger (one engine per process); a database problem stops the page."""
    with guard(stop=True):
        return _ledger()
    raise AssertionError("unreachable: guard stopped the page")


def editor() -> str | None:
    """The logged-in editor's name, or None (read-only)."""
    return st.session_state.get(EDITOR_KEY)


def login_box() -> str | None:
    """Sidebar login; returns the editor's name when logged in."""
    try:
        access = EditorAccess.from_env()
    except AdaptatieError as exc:
        with st.sidebar:
            show_error(exc, stop=False)
        return None
    with st.sidebar:
        st.markdown("#### Bewerken")
        if not access.configured:
            st.caption(
                "Alleen lezen: er is geen redacteurswachtwoord ingesteld "
                "(ADAPTATIE_EDITOR_PASSWORD_HASH, zie `adaptatie db hash-password`)."
            )
            return None
        if editor():
            st.caption(md_text(f"Ingelogd als redacteur: {editor()}"))
            if st.button("Uitloggen", key="finance_logout"):
                del st.session_state[EDITOR_KEY]
                st.rerun()
            return editor()
        with st.form("finance_login"):
            name = st.text_input("Uw naam (voor het logboek)", key="finance_login_name")
            password = st.text_input("Wachtwoord", type="password", key="finance_login_password")
            submitted = st.form_submit_button("Inloggen")
        if submitted:
            if not name.strip():
                show_error(
                    InputError(
                        "Uw naam ontbreekt. Oplossing: vul uw naam in; elke wijziging komt met "
                        "naam in het logboek."
                    )
                )
            elif access.verify(password):
                st.session_state[EDITOR_KEY] = name.strip()
                st.rerun()
            else:
                show_error(
                    InputError(
                        "Het wachtwoord is onjuist. Oplossing: probeer het opnieuw of vraag het "
                        "wachtwoord aan de beheerder."
                    )
                )
        st.caption("Zonder inloggen kunt u alles lezen, maar niets wijzigen.")
    return None
