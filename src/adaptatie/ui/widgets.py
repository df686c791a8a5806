"""Shared widgets: the boundary-year selector and the region picker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import streamlit as st

from adaptatie.regions.atlas import Atlas
from adaptatie.regions.labels import choice_label
from adaptatie.regions.models import Region, RegionKind
from adaptatie.ui import viewstate

YEAR_KEY = "grensjaar"
# Streamlit's own placeholders are English ("Choose an option", "No options to select").
T = TypeVar("T")
CHOOSE_ONE = "Kies een optie"
CHOOSE_SOME = "Kies een of meer opties"


NO_LAYERS = (
    "Er zijn nog geen stresstestlagen. Voeg ze toe op de pagina **Stresstestlagen** (GeoTIFF), "
    "of maak daar de synthetische demolagen."
)


def bound_select(
    name: str,
    label: str,
    options: Sequence[T],
    *,
    key: str,
    format_func: Callable[[T], object] = str,
    reason: str = "",
    container: object | None = None,
) -> T:
    """A selectbox that shows and sets view parameter ``name`` (deep link, other pages, reload):
    :func:`viewstate.bind` before it, :func:`viewstate.put` after it."""
    where = container if container is not None else st
    changed = viewstate.bind(name, key, list(options), reason=reason)
    value = where.selectbox(  # type: ignore[attr-defined]
        label,
        list(options),
        format_func=format_func,
        key=key,
        on_change=changed,
        placeholder=CHOOSE_ONE,
    )
    viewstate.put(name, value)
    return value


def no_layers_notice() -> None:
    """The one notice for a page that needs a stress-test layer when there is none."""
    st.info(NO_LAYERS, icon=":material/info:")


def year_selector(atlas: Atlas, container: object | None = None) -> int:
    """Boundary year, shared between pages and in the URL as ``jaar`` (default: the newest)."""
    years = list(atlas.years)
    changed = viewstate.bind(
        "jaar",
        YEAR_KEY,
        years,
        reason=f"Er zijn gemeentegrenzen voor {years[0]} tot en met {years[-1]}; getoond wordt "
        f"{years[-1]}.",
    )
    if st.session_state.get(YEAR_KEY) not in years:
        st.session_state[YEAR_KEY] = years[-1]
    target = container if container is not None else st.sidebar
    year = int(
        target.select_slider(  # type: ignore[attr-defined]
            "Grensjaar (gemeentelijke indeling)",
            options=years,
            key=YEAR_KEY,
            on_change=changed,
            help="De gemeenten zoals ze op 1 januari van dit jaar waren. Clusters en "
            "samenwerkingsverbanden worden naar dit jaar omgerekend via de herindelingen.",
        )
    )
    viewstate.put("jaar", year)
    return year


def kind_selector(label: str = "Soort regio", key: str = "region_kind") -> RegionKind:
    """Kind of region, shared between pages and in the URL as ``soort``."""
    kinds = list(RegionKind)
    changed = viewstate.bind(
        "soort",
        key,
        kinds,
        encode=lambda k: k.value,
        reason=f"Kies een van: {', '.join(k.value for k in kinds)}.",
    )

    def kind_changed() -> None:
        changed()
        viewstate.put("regio", None)  # region codes belong to one kind

    chosen = st.selectbox(
        label,
        kinds,
        format_func=lambda k: k.label,
        key=key,
        on_change=kind_changed,
        placeholder=CHOOSE_ONE,
    )
    viewstate.put("soort", RegionKind(chosen).value)
    return RegionKind(chosen)


def selection() -> tuple[RegionKind, str] | None:
    """The region the user chose (kind, code), on any page, from the URL or by a click."""
    kind, code = viewstate.get("soort"), viewstate.get("regio")
    if kind is None or code is None or kind not in set(RegionKind):
        return None
    return RegionKind(kind), code


def select(kind: RegionKind, code: str) -> None:
    """Make (kind, code) the chosen region, e.g. after a click on the map."""
    viewstate.put("soort", kind.value)
    viewstate.put("regio", code)


def guess_kind(atlas: Atlas, year: int) -> None:
    """A link with ``regio`` but no ``soort``: take the kind that has that code."""
    code = viewstate.get("regio")
    if code is None or viewstate.get("soort") is not None:
        return
    if code.startswith("GM"):
        viewstate.put("soort", RegionKind.GEMEENTE.value)
        return
    for region in atlas.regions(year):
        if region.id == code:
            viewstate.put("soort", region.kind.value)
            return


def region_picker(
    atlas: Atlas, year: int, key_prefix: str = "picker", on_map: bool = False
) -> Region | None:
    """Pick a region by kind and name; reflects the region chosen on the map or in the URL.

    ``on_map``: the page has a map on which a click picks a region too (the placeholder says so).
    """
    guess_kind(atlas, year)
    kind_key, region_key = f"{key_prefix}_kind", f"{key_prefix}_region"
    kind = kind_selector(key=kind_key)
    regions = {r.id: r for r in atlas.regions(year, kind)}
    chosen = selection()
    st.session_state[region_key] = (
        chosen[1] if chosen and chosen[0] is kind and chosen[1] in regions else None
    )

    def remember() -> None:
        viewstate.put("regio", st.session_state.get(region_key))

    region_id = st.selectbox(
        "Regio",
        list(regions),
        format_func=lambda rid: choice_label(atlas, regions[rid]),
        key=region_key,
        index=None,
        placeholder="Kies een regio of klik op de kaart" if on_map else "Kies een regio",
        on_change=remember,
    )
    return regions.get(region_id) if region_id else None
