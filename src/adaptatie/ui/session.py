"""Who is using this browser: the login box, the session cookie and ``require(permission)``.

A login opens a server-side session (:meth:`AccountStore.open_session`); its random token is kept
in the cookie ``adaptatie_sessie`` (``SameSite=Strict``, ``Secure`` over https, lifetime of the
session), so a reload or a second tab stays logged in until the session expires. The token never
appears in the URL. Logout ends the session on the server and clears the cookie. Every run checks
the session again, so a password reset, a role change or removing the user takes effect at once.

Pages that change data call :func:`require` to decide whether to show their forms, and
:func:`ensure` right before the change (a widget callback may run after the role changed).
"""

from __future__ import annotations

import json
import logging

import streamlit as st

from adaptatie.accounts import settings
from adaptatie.accounts.errors import AccessDeniedError
from adaptatie.accounts.roles import Permission, allows, roles_allowing
from adaptatie.accounts.store import Account, AccountStore
from adaptatie.errors import AdaptatieError
from adaptatie.ui.errors import show_error
from adaptatie.ui.finance_state import ledger
from adaptatie.ui.safe import md_text

log = logging.getLogger(__name__)

COOKIE = "adaptatie_sessie"
ACCOUNT_KEY = "account"  # the Account of this browser session, or absent
TOKEN_KEY = "account_token"
CLEAR_KEY = "account_cookie_clear"  # the browser may still hold an ended session's cookie
NOTICE_KEY = "account_notice"


@st.cache_resource(show_spinner=False)
def _store() -> AccountStore:
    # One store (and so one login brake) per server process, on the ledger's database.
    return AccountStore(ledger().engine)


def store() -> AccountStore:
    """The account store of this server."""
    return _store()


def current() -> Account | None:
    """The logged-in account (resumed from the cookie after a reload), checked on every run."""
    token = st.session_state.get(TOKEN_KEY) or _cookie()
    if not token:
        return None
    try:
        account = store().resume(token)
    except AdaptatieError as exc:
        show_error(exc, stop=False)
        return None
    if account is None:
        if st.session_state.pop(TOKEN_KEY, None):
            st.session_state[NOTICE_KEY] = (
                "Uw sessie is beëindigd (verlopen, of uw wachtwoord of rol is gewijzigd). "
                "Log opnieuw in."
            )
        st.session_state.pop(ACCOUNT_KEY, None)
        if _cookie():
            st.session_state[CLEAR_KEY] = True
        return None
    st.session_state[TOKEN_KEY] = token
    st.session_state[ACCOUNT_KEY] = account
    return account


def require(permission: Permission) -> str | None:
    """The login box; the account name when it may make changes of kind ``permission``.

    Otherwise None, with a Dutch note in the sidebar saying which role is needed. The name is
    what the audit log records.
    """
    account = login_box()
    if account is not None and allows(account.role, permission):
        return account.username
    if account is not None:
        st.sidebar.caption(md_text(_missing_role(account, permission)))
    return None


def ensure(permission: Permission) -> str:
    """The account name, or :class:`AccessDeniedError` (right before a change is made)."""
    account = current()
    if account is None:
        raise AccessDeniedError(
            f"Niet opgeslagen: om te {permission.label} moet u ingelogd zijn. Oplossing: log in "
            "via de zijbalk."
        )
    if not allows(account.role, permission):
        raise AccessDeniedError("Niet opgeslagen. " + _missing_role(account, permission))
    return account.username


def gate() -> None:
    """Resume the session and keep its cookie; without public reading, stop until logged in."""
    try:
        public = settings.public_read()
    except AdaptatieError as exc:
        show_error(exc, stop=True)
        return
    current()
    _write_cookie()
    if public:
        return
    if login_box() is None:
        st.info(
            "Deze installatie is alleen toegankelijk na inloggen. Log in via de zijbalk; een "
            "account krijgt u van de beheerder.",
            icon=":material/lock:",
        )
        st.stop()


def login_box() -> Account | None:
    """The sidebar login (or who is logged in, with a logout button)."""
    account = current()
    with st.sidebar:
        if notice := st.session_state.pop(NOTICE_KEY, None):
            st.info(notice, icon=":material/schedule:")
        if account is not None:
            st.markdown("#### Ingelogd")
            st.caption(md_text(f"{account.display}, rol {account.role.value}"))
            if st.button("Uitloggen", key="account_logout"):
                _logout()
            return account
        st.markdown("#### Inloggen")
        with st.form("account_login"):
            username = st.text_input(
                "Gebruikersnaam", key="login_username", autocomplete="username"
            )
            password = st.text_input(
                "Wachtwoord", type="password", key="login_password", autocomplete="current-password"
            )
            submitted = st.form_submit_button("Inloggen")
        if submitted:
            _login(username, password)
        st.caption("Zonder inloggen kunt u alles lezen, maar niets wijzigen.")
    return None


def _login(username: str, password: str) -> None:
    try:
        account = store().authenticate(username, password, client=_client())
        token = store().open_session(account)
    except AdaptatieError as exc:
        log.info("failed login for an account name of %d characters", len(username))
        show_error(exc, stop=False)
        return
    st.session_state[TOKEN_KEY] = token
    st.session_state[ACCOUNT_KEY] = account
    st.session_state.pop(CLEAR_KEY, None)
    st.session_state.pop("login_password", None)
    st.rerun()


def _logout() -> None:
    try:
        store().close_session(st.session_state.get(TOKEN_KEY))
    except AdaptatieError as exc:
        show_error(exc, stop=False)
    st.session_state.pop(TOKEN_KEY, None)
    st.session_state.pop(ACCOUNT_KEY, None)
    st.session_state[CLEAR_KEY] = True  # the server session is gone in any case
    st.rerun()


def _cookie() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE)
    except (AttributeError, RuntimeError):  # no browser request (tests, bare mode)
        return None
    return value if isinstance(value, str) else None


def _client() -> str:
    try:
        address = st.context.ip_address
    except (AttributeError, RuntimeError):
        return "onbekend"
    return address if isinstance(address, str) and address else "onbekend"


def _write_cookie() -> None:
    """Write (or clear) the session cookie in the browser with a tiny script.

    Drawn on every run while it applies: a run interrupted by the next one may never reach the
    browser, and an unchanged element is not executed again.
    """
    token = st.session_state.get(TOKEN_KEY)
    if token:
        max_age = int(settings.session_lifetime().total_seconds())
    elif st.session_state.get(CLEAR_KEY):
        token, max_age = "", 0
    else:
        return
    value = json.dumps(f"{COOKIE}={token}; Path=/; Max-Age={max_age}; SameSite=Strict")
    script = (
        "<script>document.cookie = "
        f"{value} + (location.protocol === 'https:' ? '; Secure' : '');</script>"
    )
    st.html(script, unsafe_allow_javascript=True)


def _missing_role(account: Account, permission: Permission) -> str:
    roles = " of ".join(r.value for r in roles_allowing(permission))
    return (
        f"U bent ingelogd als {account.display} met de rol {account.role.value}; om te "
        f"{permission.label} is de rol {roles} nodig. Oplossing: vraag de beheerder om die rol."
    )
