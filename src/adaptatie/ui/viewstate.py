"""One view state for every page: what the user looks at, kept across pages and in the URL.

The boundary year, the region, the layer and the other choices of the parameter list below live
in one dictionary in the session (not in widget keys, which Streamlit forgets when a page that
lacks the widget runs), so a year chosen on the map holds on the stress-test page. Every page
writes the values it uses back to the address bar (``st.query_params``), so a reload, a bookmark
or a link in a council mail opens the same view. A value that cannot be used (a year without
boundaries, a region that did not exist that year, a removed layer) is ignored with a Dutch
notice that says what was ignored and why; it never raises.

The parameter names are part of the product (links in mails and agendas): never rename them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar
from urllib.parse import urlencode

import streamlit as st

from adaptatie.ui.safe import md_text

T = TypeVar("T", bound=Hashable)

# Stable URL parameter names -> what they hold (Dutch, for notices).
PARAMS: dict[str, str] = {
    "jaar": "grensjaar",
    "soort": "soort regio",
    "regio": "regio",
    "laag": "stresstestlaag",
    "vergelijk": "tweede scenario",
    "set": "regio-indeling",
    "kengetal": "kengetal",
    "workshop": "risicodialoog",
    "volg": "volgscherm",
}
_VIEW = "viewstate"
_TAKEN = "viewstate_taken"  # the deep link already taken into the view in this session


def start() -> None:
    """Take a deep link into the view (once per link) and clear the address for this page.

    Called on every run by :func:`adaptatie.ui.layout.page`, before any widget. The page then
    writes back the parameters it uses (:func:`put`, :func:`bind`), so the address bar never
    holds a parameter of another page.
    """
    view: dict[str, str] = st.session_state.setdefault(_VIEW, {})
    incoming = {name: st.query_params[name] for name in PARAMS if name in st.query_params}
    new = {k: v for k, v in incoming.items() if view.get(k) != v}
    if new and st.session_state.get(_TAKEN) != incoming:
        view.update(new)
        st.session_state[_TAKEN] = incoming
    for name in PARAMS:
        if name in st.query_params:
            del st.query_params[name]


def get(name: str) -> str | None:
    """The raw value of parameter ``name`` (None when not set)."""
    return st.session_state.get(_VIEW, {}).get(name)


def put(name: str, value: object | None) -> None:
    """Set (or with None: clear) parameter ``name`` in the view and in the address bar."""
    view: dict[str, str] = st.session_state.setdefault(_VIEW, {})
    if value is None or value == "":
        view.pop(name, None)
        if name in st.query_params:
            del st.query_params[name]
        return
    text = str(value)
    view[name] = text
    if st.query_params.get(name) != text:
        st.query_params[name] = text


def ignore(name: str, reason: str) -> None:
    """Drop parameter ``name`` from the view and tell the user why (Dutch)."""
    value = get(name)
    put(name, None)
    notice(f"Genegeerd: {PARAMS[name]} '{value}'. {reason}")


def notice(text: str) -> None:
    """A Dutch notice about the view at this place on the page (user text is escaped)."""
    st.info(md_text(text), icon=":material/link_off:")


def bind(
    name: str,
    key: str,
    options: Sequence[T],
    encode: Callable[[T], str] = str,
    reason: str = "",
) -> Callable[[], None]:
    """Prepare the widget with ``key`` that shows parameter ``name``; returns its ``on_change``.

    The view's value is put into the widget's state when it is one of ``options`` (a value that
    is not is ignored with a notice, with ``reason`` when given); the callback writes the user's
    choice back into the view. Call :func:`put` with the widget's value after the widget, so the
    default choice is in the view and the URL too. The widget must not also get a default
    (``index``/``value``) other than the one Streamlit uses when its state is set.
    """
    raw = get(name)
    if raw is not None:
        by_code = {encode(option): option for option in options}
        if raw in by_code:
            st.session_state[key] = by_code[raw]
        else:
            known = ", ".join(list(by_code)[:12])
            ignore(name, reason or f"Die bestaat hier niet; mogelijk: {known}.")

    def changed() -> None:
        value = st.session_state.get(key)
        put(name, None if value is None else encode(value))

    return changed


def link(names: Sequence[str]) -> str:
    """The address of this page with the view's values of ``names`` (relative without a browser)."""
    values = {name: get(name) for name in names if get(name) is not None}
    base = st.context.url or "/"
    return base + ("?" + urlencode(values) if values else "")


def share(names: Sequence[str]) -> None:
    """The "Deel deze weergave" control: the link to this view, to copy into a mail or agenda.

    Also puts every value of ``names`` in the address bar, so a reload opens the same view.
    """
    for name in names:
        put(name, get(name))
    with st.sidebar.popover("Deel deze weergave", icon=":material/share:"):
        st.caption(
            "Deze link opent deze pagina met dezelfde keuzes (grensjaar, regio, laag). Kopieer "
            "hem met de knop rechts in het vak."
        )
        st.code(link(names), language=None, wrap_lines=True)
