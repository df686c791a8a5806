"""DPRA progress per municipality and werkregio: table, map and (for editors) a form."""

from __future__ import annotations

import datetime as dt
import json

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from adaptatie import fmt
from adaptatie.accounts.roles import Permission
from adaptatie.dialogue.records import ROUNDS
from adaptatie.dialogue.workshops import WorkshopBook
from adaptatie.progress.book import Progress, ProgressBook
from adaptatie.progress.dialogues import HeldDialogue, Key, by_row, held_dialogues, steps_done
from adaptatie.regions.models import RegionKind
from adaptatie.ui import session, state
from adaptatie.ui.errors import guard
from adaptatie.ui.finance_state import ledger
from adaptatie.ui.map import fit, offline_map
from adaptatie.ui.safe import SafeGeoJsonTooltip, md_text
from adaptatie.ui.text_alternative import progress_sentences, text_alternative
from adaptatie.ui.widgets import CHOOSE_ONE

STEP_COLOURS = ("#f7f7f7", "#cce5df", "#8fcbbd", "#4aa58f", "#00775a")  # 0..4 steps done
LOADED_PREFIX = "progress_loaded_"
SAVED_KEY = "progress_saved_message"


def render() -> None:
    atlas = state.atlas()
    year = max(atlas.years)
    book = ProgressBook(ledger().engine)
    user = session.require(Permission.PROGRESS)
    recorded = book.all()
    gemeenten = atlas.regions(year, RegionKind.GEMEENTE)
    werkregios = atlas.regions(year, RegionKind.WERKREGIO)
    rows = [("werkregio", r.id, r.name, recorded.get(("werkregio", r.id))) for r in werkregios] + [
        ("gemeente", r.id, r.name, recorded.get(("gemeente", r.id))) for r in gemeenten
    ]
    dialogues = held_dialogues(atlas, WorkshopBook(ledger().engine).all(), year, dt.date.today())
    held = by_row(dialogues)
    st.subheader("Stand van zaken")
    st.dataframe(_table(rows, held), hide_index=True)
    st.caption(
        f"De vier stappen van het Deltaprogramma Ruimtelijke Adaptatie: stresstest (ronde 1: "
        f"2018-2020, ronde 2: vanaf 2025), risicodialoog, strategie en uitvoeringsagenda. "
        f"Gemeenten volgens de indeling van {year}. Wat hier is vastgelegd, met naam en datum in "
        "de historie; bij Risicodialoog ook de risicodialogen die op de pagina Risicodialoog zijn "
        "gehouden (datum en regio)."
    )
    _held(dialogues, {(kind, code): name for kind, code, name, _ in rows}, year)
    _map(year, {code: p for (kind, code), p in recorded.items() if kind == "gemeente"}, held)
    if user is not None:
        _form(book, rows, user)


def _table(
    rows: list[tuple[str, str, str, Progress | None]], held: dict[Key, list[HeldDialogue]]
) -> pd.DataFrame:
    def stress(p: Progress | None) -> str:
        if p is None or p.stress_test_round is None:
            return ""
        return f"ronde {p.stress_test_round}" + (
            f", {p.stress_test_year}" if p.stress_test_year else ""
        )

    def day(value: object) -> str:
        return fmt.date(value) if value else ""

    def dialogue(kind: str, code: str, p: Progress | None) -> str:
        recorded = [day(p.risk_dialogue_date)] if p and p.risk_dialogue_date else []
        return "; ".join(recorded + [d.text for d in held.get((kind, code), [])])

    def steps(kind: str, code: str, p: Progress | None) -> str:
        return f"{steps_done(p, held.get((kind, code), []))} van 4"

    return pd.DataFrame(
        {
            "Soort": [kind for kind, *_ in rows],
            "Code": [code for _, code, *_ in rows],
            "Naam": [name for _, _, name, _ in rows],
            "Stresstest": [stress(p) for *_, p in rows],
            "Risicodialoog": [dialogue(kind, code, p) for kind, code, _, p in rows],
            "Strategie vastgesteld": [day(p.strategy_date) if p else "" for *_, p in rows],
            "Uitvoeringsagenda": [day(p.agenda_date) if p else "" for *_, p in rows],
            "Stappen gezet": [steps(kind, code, p) for kind, code, _, p in rows],
            "Bijgewerkt door": [p.updated_by if p else "" for *_, p in rows],
        }
    )


def _held(dialogues: list[HeldDialogue], names: dict[Key, str], year: int) -> None:
    """The risk dialogues held on the Risicodialoog page and the rows they count for."""
    st.markdown("**Gehouden risicodialogen (pagina Risicodialoog)**")
    if not dialogues:
        st.caption("Op de pagina Risicodialoog is nog geen risicodialoog gehouden.")
        return
    nobody = f"geen gemeente of werkregio van {year} ligt grotendeels in deze regio"
    table = pd.DataFrame(
        {
            "Datum": [fmt.date(d.workshop.held_on) for d in dialogues],
            "Regio": [
                f"{d.workshop.region_name} ({d.workshop.region_kind}, grensjaar "
                f"{d.workshop.boundary_year})"
                for d in dialogues
            ],
            "Plaats": [d.workshop.place for d in dialogues],
            "Ronde": [ROUNDS[d.workshop.dialogue_round] for d in dialogues],
            "Telt voor": [
                ", ".join(names.get(key, key[1]) for key in d.counts_for) or nobody
                for d in dialogues
            ],
        }
    )
    st.dataframe(table, hide_index=True)


def _map(year: int, by_code: dict[str, Progress], held: dict[Key, list[HeldDialogue]]) -> None:
    layer = state.layers(year)[RegionKind.GEMEENTE]
    data = json.loads(layer.geojson)
    done = {
        code: steps_done(by_code.get(code), held.get(("gemeente", code), []))
        for code in (f["properties"]["id"] for f in data["features"])
    }
    for feature in data["features"]:
        steps = done[feature["properties"]["id"]]
        feature["properties"]["stappen"] = f"{steps} van 4"
        feature["properties"]["kleur"] = STEP_COLOURS[steps]
    fmap = offline_map()
    folium.GeoJson(
        data,
        name="DPRA-voortgang",
        style_function=lambda f: {
            "color": "#444444",
            "weight": 1,
            "fillColor": f["properties"]["kleur"],
            "fillOpacity": 0.85,
        },
    ).add_child(SafeGeoJsonTooltip(["naam", "stappen"], ["Gemeente", "DPRA-stappen"])).add_to(fmap)
    fit(fmap, layer)
    st_folium(fmap, key="progress_map", height=520, use_container_width=True, returned_objects=[])
    legend = " · ".join(
        f"<span style='background:{c};padding:0 10px;border:1px solid #888'></span> {i} van 4"
        for i, c in enumerate(STEP_COLOURS)
    )
    st.markdown(f"<small>DPRA-stappen gezet per gemeente: {legend}</small>", unsafe_allow_html=True)
    steps = [done[f["properties"]["id"]] for f in data["features"]]
    text_alternative(progress_sentences(steps, year))


def _form(book: ProgressBook, rows: list[tuple[str, str, str, Progress | None]], user: str) -> None:
    st.subheader("Voortgang bijwerken")
    options = {f"{kind}:{code}": f"{name} ({code})" for kind, code, name, _ in rows}
    choice = st.selectbox(
        "Regio",
        list(options),
        format_func=options.get,
        key="progress_choice",
        placeholder=CHOOSE_ONE,
    )
    kind, code = choice.split(":", 1)
    if SAVED_KEY in st.session_state:
        st.success(md_text(st.session_state.pop(SAVED_KEY)))
    current = book.get(kind, code)
    loaded_key = f"{LOADED_PREFIX}{choice}"
    st.session_state.setdefault(loaded_key, current.version)
    with st.form(f"progress_{choice}"):
        left, right = st.columns(2)
        rounds = [None, 1, 2]
        round_ = left.selectbox(
            "Stresstestronde",
            rounds,
            format_func=lambda r: "geen" if r is None else str(r),
            index=rounds.index(current.stress_test_round),
            key=f"pr_round_{choice}",
            placeholder=CHOOSE_ONE,
        )
        year = right.number_input(
            "Jaar van de stresstest",
            min_value=2017,
            max_value=2030,
            step=1,
            value=current.stress_test_year,
            key=f"pr_year_{choice}",
        )
        dialogue = left.date_input(
            "Risicodialoog gehouden op",
            value=current.risk_dialogue_date,
            format="DD-MM-YYYY",
            key=f"pr_dialogue_{choice}",
            help="Alleen voor een risicodialoog die niet op de pagina Risicodialoog is gehouden; "
            "die tellen vanzelf mee.",
        )
        strategy = right.date_input(
            "Strategie vastgesteld op",
            value=current.strategy_date,
            format="DD-MM-YYYY",
            key=f"pr_strategy_{choice}",
        )
        agenda = left.date_input(
            "Uitvoeringsagenda vastgesteld op",
            value=current.agenda_date,
            format="DD-MM-YYYY",
            key=f"pr_agenda_{choice}",
        )
        note = st.text_area("Toelichting", value=current.note, key=f"pr_note_{choice}")
        saved = st.form_submit_button("Opslaan", type="primary")
    if not saved:
        return
    progress = Progress(
        kind,
        code,
        round_,
        int(year) if year else None,
        dialogue,
        strategy,
        agenda,
        note.strip(),
        version=st.session_state[loaded_key],
    )
    with guard():
        stored = book.save(progress, user=session.ensure(Permission.PROGRESS))
        st.session_state[loaded_key] = stored.version
        st.session_state[SAVED_KEY] = f"Voortgang van {options[choice]} opgeslagen."
        st.rerun()  # the table and map above show the new state
