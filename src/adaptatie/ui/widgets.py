"""Shared widgets: the boundary-year selector and the region picker."""

from __future__ import annotations

import streamlit as st

from adaptatie.regions.atlas import Atlas
from adaptatie.regions.models import Region, RegionKind

YEAR_KEY = "grensjaar"
SELECTED_KEY = "selected_region"  # (kind value, region id)


def year_selector(atlas: Atlas, container: object | None = None) -> int:
    """Boundary year, shared between pages (default: the newest year)."""
    years = list(atlas.years)
    if st.session_state.get(YEAR_KEY) not in years:
        st.session_state[YEAR_KEY] = years[-1]
    target = container if container is not None else st.sidebar
    return int(
        target.select_slider(  # type: ignore[attr-defined]
            "Grensjaar (gemeentelijke indeling)",
            options=years,
            key=YEAR_KEY,
            help="De gemeenten zoals ze op 1 januari van dit jaar waren. Clusters en "
            "samenwerkingsverbanden worden naar dit jaar omgerekend via de herindelingen.",
        )
    )


def kind_selector(label: str = "Soort regio", key: str = "region_kind") -> RegionKind:
    kinds = list(RegionKind)
    chosen = st.selectbox(label, kinds, format_func=lambda k: k.label, key=key)
    return RegionKind(chosen)


def region_picker(atlas: Atlas, year: int, key_prefix: str = "picker") -> Region | None:
    """Pick a region by kind and name; also reflects a region chosen on the map."""
    selected = st.session_state.get(SELECTED_KEY)
    kind_key, region_key = f"{key_prefix}_kind", f"{key_prefix}_region"
    if selected and st.session_state.get(f"{key_prefix}_synced") != selected:
        # A click on the map chose a region: show it in the picker too.
        st.session_state[kind_key] = RegionKind(selected[0])
        st.session_state[region_key] = selected[1]
        st.session_state[f"{key_prefix}_synced"] = selected
    kind = kind_selector(key=kind_key)
    regions = {r.id: r for r in atlas.regions(year, kind)}
    if st.session_state.get(region_key) not in regions:
        st.session_state[region_key] = None

    def remember() -> None:
        chosen = st.session_state.get(region_key)
        if chosen:
            value = (kind.value, chosen)
            st.session_state[SELECTED_KEY] = value
            st.session_state[f"{key_prefix}_synced"] = value

    region_id = st.selectbox(
        "Regio",
        list(regions),
        format_func=lambda rid: f"{regions[rid].name} ({rid})",
        key=region_key,
        index=None,
        placeholder="Kies een regio of klik op de kaart",
        on_change=remember,
    )
    return regions.get(region_id) if region_id else None
