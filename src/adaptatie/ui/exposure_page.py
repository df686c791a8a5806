"""The page "Hotspots en blootstelling": hotspots per region, exposed objects, measure coverage
and the object layers (add with a column mapping, list, remove)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from adaptatie import fmt
from adaptatie.accounts.roles import Permission
from adaptatie.errors import AdaptatieError, InputError
from adaptatie.exposure.demo import install_demo_objects
from adaptatie.exposure.files import file_info
from adaptatie.exposure.layers import KINDS, OBJECTS_MB, ROLES, ColumnMap, default_column
from adaptatie.exposure.overview import (
    HotspotView,
    exposure_summaries,
    hotspot_view,
    objects_reached,
)
from adaptatie.exposure.store import ObjectStore
from adaptatie.regions.models import REGION_SETS
from adaptatie.stresstest.hotspots import DEFAULT_MIN_AREA_M2
from adaptatie.stresstest.results import ResultsStore
from adaptatie.stresstest.themes import LayerRecord
from adaptatie.ui import session, state
from adaptatie.ui.downloads import csv_bytes
from adaptatie.ui.errors import guard
from adaptatie.ui.finance_state import ledger
from adaptatie.ui.hotspot_map import LEGEND, hotspot_map
from adaptatie.ui.safe import md_text
from adaptatie.ui.uploads import upload_field
from adaptatie.ui.widgets import CHOOSE_ONE, no_layers_notice


def render() -> None:
    workspace = state.workspace()
    objects = ObjectStore(workspace.home)
    layers = workspace.catalogue.layers()
    if not layers:
        no_layers_notice()
        _object_layers(objects)
        return
    layer, threshold, min_area, region_set, distance = _choices(layers)
    store = state.results_store()
    year = max(workspace.atlas.years)
    if layer.synthetic:
        st.warning(
            "Deze stresstestlaag is **synthetisch** (alleen voor demonstratie): de hotspots en "
            "aantallen zeggen niets over de werkelijkheid.",
            icon=":material/science:",
        )
    hotspots_tab, exposure_tab, coverage_tab, layers_tab = st.tabs(
        ["Hotspots", "Blootgestelde objecten", "Maatregelen en hotspots", "Objectlagen"]
    )
    with hotspots_tab, guard():
        with st.spinner("Hotspots zoeken…"):
            view = hotspot_view(
                store,
                layer,
                threshold,
                region_set,
                year,
                ledger().measures(),
                min_area_m2=min_area,
                distance_m=distance,
            )
        _hotspots(view)
    with exposure_tab, guard():
        _exposure(store, objects, layer, region_set, year)
    with coverage_tab, guard():
        _coverage(view)
        _objects_reached(view, store, objects)
    with layers_tab, guard():
        _object_layers(objects)


def _choices(layers: tuple[LayerRecord, ...]) -> tuple[LayerRecord, float, float, str, float]:
    side = st.sidebar
    by_id = {r.id: r for r in layers}
    layer = by_id[
        side.selectbox(
            "Stresstestlaag",
            list(by_id),
            format_func=lambda i: by_id[i].title,
            key="hs_layer",
            placeholder=CHOOSE_ONE,
        )
    ]
    options = list(layer.thresholds) or [0.0]
    threshold = side.selectbox(
        "Drempel",
        options,
        format_func=lambda t: f"meer dan {fmt.number(t, 2)} {layer.unit}",
        key=f"hs_t_{layer.id}",
        placeholder=CHOOSE_ONE,
    )
    own = side.number_input(
        f"Of een eigen drempel ({layer.unit}; 0 = de keuze hierboven)",
        value=0.0,
        step=0.05,
        key=f"hs_own_{layer.id}",
    )
    min_area = side.number_input(
        "Minimale oppervlakte van een hotspot (m²)",
        min_value=0.0,
        value=DEFAULT_MIN_AREA_M2,
        step=625.0,
        key="hs_min_area",
    )
    region_set = side.selectbox(
        "Regio's",
        list(REGION_SETS),
        format_func=REGION_SETS.get,
        key="hs_set",
        placeholder=CHOOSE_ONE,
    )
    distance = side.number_input(
        "Maatregel bereikt een hotspot binnen (m)",
        min_value=0.0,
        value=50.0,
        step=10.0,
        key="hs_distance",
    )
    return layer, float(own or threshold), float(min_area), region_set, float(distance)


def _hotspots(view: HotspotView) -> None:
    found = view.found
    st.subheader(md_text(f"Hotspots: {found.label}"))
    if found.frame.empty:
        st.info("Geen aaneengesloten gebieden boven deze drempel en minimale oppervlakte.")
        return
    names = dict(zip(view.ranked["region_code"], view.ranked["region_name"], strict=True))
    codes = st.multiselect(
        "Regio's op de kaart en in de tabel",
        list(names),
        format_func=names.get,
        key="hs_regions",
        placeholder="alle regio's",
    )
    chosen = set(codes) if codes else None
    table = view.hotspot_rows()
    if chosen:
        table = table[view.ranked["region_code"].isin(chosen).to_numpy()]
    st.markdown(
        f"{fmt.number(len(found.frame))} hotspots; per regio gerangschikt naar oppervlakte."
    )
    st.dataframe(table, hide_index=True)
    st.download_button(
        "Hotspots als CSV",
        csv_bytes(table, view.provenance),
        file_name=f"hotspots_{found.layer.id}.csv",
        mime="text/csv",
        on_click="ignore",
    )
    st_folium(
        hotspot_map(view, ledger().measures(), chosen),
        key="hs_map",
        height=520,
        use_container_width=True,
        returned_objects=[],
    )
    st.caption(LEGEND, unsafe_allow_html=True)  # fixed text only; user text below is not HTML
    st.caption(md_text(view.provenance))


def _exposure(
    store: ResultsStore, objects: ObjectStore, layer: LayerRecord, region_set: str, year: int
) -> None:
    if not objects.records():
        st.info(
            "Nog geen objectlagen: voeg ze toe op het tabblad Objectlagen.", icon=":material/info:"
        )
        return
    with st.spinner("Objecten tegen de stresstestlaag leggen…"):
        summaries = exposure_summaries(store, objects, layer, region_set, year)
    for summary in summaries:
        st.subheader(md_text(summary.objects.label))
        if summary.objects.synthetic:
            st.warning(
                "SYNTHETISCHE objecten, alleen voor demonstratie.", icon=":material/science:"
            )
        st.caption(md_text(f"{summary.objects.kind_label}. Getallen: {summary.measure}."))
        st.dataframe(summary.display_frame(), hide_index=True)
        st.caption(md_text(summary.provenance))
        st.download_button(
            "Als CSV",
            csv_bytes(summary.csv_frame(), summary.provenance),
            file_name=f"blootstelling_{summary.objects.id}_{layer.id}.csv",
            mime="text/csv",
            key=f"exp_csv_{summary.objects.id}",
            on_click="ignore",
        )


def _coverage(view: HotspotView) -> None:
    st.subheader("Welke hotspots bereikt het geld?")
    reach = view.coverage
    st.markdown(
        f"Een hotspot telt als **bereikt** wanneer een maatregel voor dit thema met status "
        f"toegekend, in uitvoering of gerealiseerd erin ligt of binnen "
        f"{fmt.number(reach.distance_m)} m. {reach.measures_used} maatregel(en) tellen mee."
    )
    if reach.measures_unlocated:
        st.warning(
            f"{reach.measures_unlocated} toegekende maatregel(en) voor dit thema hebben geen "
            "locatie en tellen niet mee. Oplossing: vul op de pagina Cofinanciering de locatie "
            "(locatie_wkt) in.",
            icon=":material/location_off:",
        )
    rows = view.region_rows()
    if rows.empty:
        st.info("Geen hotspots om te toetsen.")
        return
    st.dataframe(rows, hide_index=True)
    st.caption(md_text(view.provenance))


def _objects_reached(view: HotspotView, store: ResultsStore, objects: ObjectStore) -> None:
    for record in objects.records():
        if record.kind not in ("gebouwen", "objecten"):
            continue
        st.markdown(md_text(f"Blootgestelde objecten in hotspots: {record.label}"))
        with st.spinner("Objecten in hotspots tellen…"):
            table = objects_reached(view, store, objects, record)
        if table.empty:
            st.caption("Geen blootgestelde objecten in een hotspot.")
            continue
        st.dataframe(table.drop(columns=["region_code"]), hide_index=True)
        st.caption(
            md_text(
                f"Objecten: {record.citation}. Blootgesteld: waarde aan de gevel (of "
                "onder het punt) boven de drempel van de hotspots."
            )
        )


def _object_layers(objects: ObjectStore) -> None:
    st.subheader("Objectlagen")
    records = objects.records()
    if records:
        st.dataframe(
            pd.DataFrame(
                {
                    "Id": [r.id for r in records],
                    "Soort": [r.kind_label for r in records],
                    "Titel": [r.label for r in records],
                    "Objecten": [fmt.number(r.count) for r in records],
                    "Bron": [r.citation for r in records],
                }
            ),
            hide_index=True,
        )
    if session.require(Permission.LAYERS) is None:
        st.info(
            "Objectlagen toevoegen kan na inloggen met de rol beheerder (zijbalk).",
            icon=":material/lock:",
        )
        return
    st.markdown(
        "Voeg een GeoPackage, GeoJSON of shapefile (.zip) toe: BAG-panden (PDOK "
        "`bag-light.gpkg`, lagen `pand` en `verblijfsobject`), wegen als NWB-wegvakken (lijnen: "
        "lengte in m) of BGT-wegdelen (vlakken: oppervlakte in m²), een lijst vitale of "
        "kwetsbare objecten met een categorie, of CBS-vierkanten van 100 m met inwoners."
    )
    upload = upload_field(
        "Objectbestand", ["gpkg", "geojson", "json", "zip"], OBJECTS_MB, key="obj_upload"
    )
    kind = st.selectbox(
        "Soort", list(KINDS), format_func=KINDS.get, key="obj_kind", placeholder=CHOOSE_ONE
    )
    found = _columns(upload)
    mapping = {}
    for role, (default, required, desc) in ROLES[kind].items():
        options = ([] if required else [""]) + (found or [default])
        best = default_column(kind, role, found) or ("" if not required else default)
        index = options.index(best) if best in options else 0
        mapping[role] = st.selectbox(
            f"Kolom voor {desc}",
            options,
            index=index,
            key=f"obj_col_{kind}_{role}",
            placeholder=CHOOSE_ONE,
        )
    left, right = st.columns(2)
    layer_id = left.text_input("Korte naam (id)", placeholder="bag-drenthe", key="obj_id")
    title = right.text_input("Titel", placeholder="BAG-panden Drenthe", key="obj_title")
    source = left.text_input("Bron", placeholder="BAG, Kadaster via PDOK", key="obj_source")
    date = right.date_input(
        "Datum van de gegevens", value=None, format="DD-MM-YYYY", key="obj_date"
    )
    replace = st.checkbox("Bestaande laag met deze id vervangen", key="obj_replace")
    if st.button("Controleren en toevoegen", type="primary", key="obj_add"):
        with guard():
            session.ensure(Permission.LAYERS)
            if upload is None:
                raise InputError("Er is geen bestand gekozen. Oplossing: kies eerst een bestand.")
            if date is None:
                raise InputError("De datum ontbreekt. Oplossing: kies de datum van de gegevens.")
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"upload{Path(upload.name).suffix.lower()}"
                path.write_bytes(upload.getvalue())
                record = objects.add(
                    path,
                    layer_id=layer_id.strip(),
                    columns=ColumnMap(kind, mapping),
                    title=title,
                    source=source,
                    date=date.isoformat(),
                    replace=replace,
                    original_name=upload.name,
                )
            st.success(md_text(f"{record.label}: {fmt.number(record.count)} objecten opgeslagen."))
            for note in record.notes:
                st.caption(md_text(note))
    st.divider()
    if st.button("Synthetische demo-objecten toevoegen", key="obj_demo"):
        with guard(), st.spinner("Synthetische objecten maken…"):
            session.ensure(Permission.LAYERS)
            added = install_demo_objects(objects)
            st.success(f"{len(added)} synthetische objectlaag/lagen toegevoegd.")


def _columns(upload: object) -> list[str]:
    """The columns of the uploaded file (its default layer), for the column choices."""
    if upload is None:
        return []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"kolommen{Path(upload.name).suffix.lower()}"
        path.write_bytes(upload.getvalue())
        try:
            return list(file_info(path).columns)
        except AdaptatieError:  # unreadable: the add reports it with the fix
            return []
