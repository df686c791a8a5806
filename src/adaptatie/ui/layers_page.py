"""The page to add, list and remove stress-test layers ("Stresstestlagen")."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from adaptatie import fmt
from adaptatie.accounts.roles import Permission
from adaptatie.errors import InputError
from adaptatie.io.ingest import LayerRequest, add_layer
from adaptatie.limits import RASTER_MB
from adaptatie.stresstest.demo import install_demo
from adaptatie.ui import session, state
from adaptatie.ui.errors import guard, show_error
from adaptatie.ui.safe import md_text
from adaptatie.ui.uploads import upload_field
from adaptatie.ui.widgets import CHOOSE_ONE

THEME_HELP = (
    "Wateroverlast en overstromingen: waterdiepte (m of cm). Hitte: gevoelstemperatuur (°C). "
    "Droogte: risicoklasse 1 (zeer laag) tot 5 (zeer hoog)."
)


def render() -> None:
    workspace = state.workspace()
    catalogue = workspace.catalogue
    records = catalogue.layers()
    user = session.require(Permission.LAYERS)
    st.subheader("Lagen in de catalogus")
    if records:
        st.dataframe(_catalogue_table(records), hide_index=True)
    else:
        st.info(
            "Er zijn nog geen stresstestlagen. Voeg hieronder een GeoTIFF toe of maak de "
            "synthetische demolagen.",
            icon=":material/info:",
        )

    if user is None:
        st.info(
            "Lagen toevoegen en verwijderen kan na inloggen met de rol beheerder (zijbalk).",
            icon=":material/lock:",
        )
        return
    st.subheader("Laag toevoegen")
    st.markdown(
        "Lever een **GeoTIFF met waarden** (bijvoorbeeld een download van de "
        "Klimaateffectatlas of een eigen 3Di-berekening), geen kaartafbeelding: de statistiek "
        "wordt uit de waarden berekend. " + THEME_HELP
    )
    with st.form("add_layer", clear_on_submit=False):
        upload = upload_field("GeoTIFF-bestand", ["tif", "tiff"], RASTER_MB)
        left, right = st.columns(2)
        layer_id = left.text_input("Korte naam (id)", placeholder="wateroverlast-70mm")
        theme_key = right.selectbox(
            "Thema",
            list(workspace.themes),
            format_func=lambda k: workspace.themes[k].label,
            placeholder=CHOOSE_ONE,
        )
        scenario = left.text_input("Scenario", placeholder="70 mm in 2 uur")
        unit = right.selectbox(
            "Eenheid van de waarden", ["m", "cm", "°C", "klasse"], placeholder=CHOOSE_ONE
        )
        source = left.text_input("Bron", placeholder="Klimaateffectatlas, 2024")
        data_date = right.date_input("Datum van de gegevens", value=None, format="DD-MM-YYYY")
        licence = left.text_input("Licentie", placeholder="CC BY 4.0")
        submitted = st.form_submit_button("Controleren en toevoegen", type="primary")
    if submitted:
        _add(upload, layer_id, theme_key, scenario, unit, source, data_date, licence)

    st.subheader("Synthetische demolagen")
    st.caption(
        "Vijf gegenereerde lagen (wateroverlast 70 en 140 mm, hitte, droogte, overstroming) over "
        "het hele kaartgebied op 25 m. Ze zijn SYNTHETISCH: bedoeld om het dashboard te laten "
        "zien, niet om beslissingen op te baseren. Maken duurt ongeveer anderhalve minuut."
    )
    if st.button("Demolagen maken"):
        with guard(), st.spinner("Synthetische lagen genereren…"):
            session.ensure(Permission.LAYERS)
            added = install_demo(catalogue, workspace.themes, workspace.atlas.study_area())
            st.success(f"{len(added)} synthetische laag/lagen toegevoegd.")
        st.rerun()

    if records:
        st.subheader("Laag verwijderen")
        doomed = st.selectbox(
            "Laag",
            [r.id for r in records],
            index=None,  # never a layer chosen for the user, least of all the main one
            placeholder="Kies de laag die weg moet",
            key="remove_layer",
        )
        sure = st.checkbox(
            md_text(f"Ja, laag '{doomed}' en de berekende resultaten definitief verwijderen")
            if doomed
            else "Ja, definitief verwijderen",
            key="remove_sure",
            disabled=doomed is None,
        )
        if st.button("Verwijderen", key="remove_button", disabled=not (doomed and sure)):
            with guard():
                session.ensure(Permission.LAYERS)
                catalogue.remove(doomed)
                st.session_state.pop("remove_sure", None)
                st.session_state.pop("remove_layer", None)
                st.success(md_text(f"Laag '{doomed}' verwijderd."))
                st.rerun()


def _add(
    upload: object,
    layer_id: str,
    theme_key: str,
    scenario: str,
    unit: str,
    source: str,
    data_date: dt.date | None,
    licence: str,
) -> None:
    if upload is None:
        show_error(
            InputError("Er is geen bestand gekozen. Oplossing: kies eerst een GeoTIFF-bestand.")
        )
        return
    workspace = state.workspace()
    session.ensure(Permission.LAYERS)
    request = LayerRequest(
        layer_id=layer_id.strip(),
        theme=workspace.themes[theme_key],
        scenario=scenario.strip(),
        unit=unit,
        source=source.strip() or upload.name,
        date=data_date.isoformat() if data_date else "",
        licence=licence.strip(),
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            with st.spinner("Controleren en opslaan…"):
                record = add_layer(workspace.catalogue, path, request, workspace.atlas.study_area())
        except Exception as exc:  # shown by the boundary, with what did not change
            show_error(exc)
            st.caption(
                "De laag is niet toegevoegd; er is niets opgeslagen en de catalogus is ongewijzigd."
            )
            return
    st.success(md_text(f"Laag '{record.id}' toegevoegd: {record.title}."))
    for note in record.notes:
        st.caption(md_text(note))


def _catalogue_table(records: tuple) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Id": [r.id for r in records],
            "Laag": [r.title for r in records],
            "Grootheid": [f"{r.quantity} ({r.unit})" for r in records],
            "Pixel": [f"{fmt.number(r.resolution_m, 0)} m" for r in records],
            "Bron": [r.source for r in records],
            "Datum": [fmt.date_text(r.date) for r in records],
            "Synthetisch": ["ja" if r.synthetic else "nee" for r in records],
        }
    )
