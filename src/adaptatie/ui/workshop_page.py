"""The risk-dialogue page ("Risicodialoog"): a facilitator steps through the themes of a region,
the group's decisions are saved as they are typed, and other screens can follow."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from adaptatie.accounts.roles import Permission
from adaptatie.dialogue.records import ACCEPTABLE, FIELDS, PRIORITIES, ROUNDS, Workshop
from adaptatie.dialogue.workshops import WorkshopBook
from adaptatie.errors import AdaptatieError, InputError
from adaptatie.regions.models import Region, RegionKind
from adaptatie.report.figures import map_png
from adaptatie.stresstest.shares import layer_result
from adaptatie.stresstest.themes import THEME_LABELS
from adaptatie.ui import session, state, viewstate
from adaptatie.ui.errors import deferred, guard, show_deferred, show_error
from adaptatie.ui.finance_state import ledger
from adaptatie.ui.safe import md_text
from adaptatie.ui.widgets import CHOOSE_ONE, CHOOSE_SOME, bound_select, region_picker
from adaptatie.ui.workshop_legend import legend_html
from adaptatie.ui.workshop_register import (
    hotspot_picker,
    hotspot_removal,
    register_fields,
    register_section,
    removals_section,
    removed_notice,
)

PENDING_KEY = "workshop_pending_choice"
FOLLOW_MODE = "Volgt de facilitator"
URL_PARAMS = ("workshop", "volg")
FOLLOW_POLL_S = 0.5  # how often a following screen reads the facilitator's step


def render() -> None:
    book = WorkshopBook(ledger().engine)
    workshops = {w.id: w for w in book.all()}
    if PENDING_KEY in st.session_state:  # a workshop just created: open it
        viewstate.put("workshop", st.session_state.pop(PENDING_KEY))
    choice = bound_select(
        "workshop",
        "Risicodialoog",
        [None, *workshops],
        key="workshop_choice",
        format_func=lambda i: "nieuwe risicodialoog" if i is None else workshops[i].title,
        reason="Die risicodialoog bestaat niet (meer); kies er een in de zijbalk of maak een "
        "nieuwe.",
        container=st.sidebar,
    )
    if choice is None:
        _new_workshop(book, session.require(Permission.WORKSHOPS))
        return
    workshop = workshops[choice]
    modes = ["Facilitator", FOLLOW_MODE]
    changed = viewstate.bind(
        "volg", "workshop_mode", modes, encode=lambda m: "1" if m == FOLLOW_MODE else "0"
    )
    follow = (
        st.sidebar.radio("Dit scherm", modes, key="workshop_mode", on_change=changed) == FOLLOW_MODE
    )
    viewstate.put("volg", "1" if follow else None)
    viewstate.share(URL_PARAMS)
    user = None if follow else session.require(Permission.WORKSHOPS)  # a follower: no login box
    if follow or user is None:
        if user is None and not follow:
            st.info(
                "Log in met de rol facilitator om de risicodialoog te leiden en uitkomsten vast "
                "te leggen; dit scherm volgt nu de facilitator.",
                icon=":material/info:",
            )
        _follow(workshop)
        return
    _facilitate(book, workshop, user)


def _new_workshop(book: WorkshopBook, user: str | None) -> None:
    st.subheader("Nieuwe risicodialoog")
    if user is None:
        st.info(
            "Log in met de rol facilitator om een risicodialoog aan te maken.",
            icon=":material/info:",
        )
        return
    atlas = state.atlas()
    year = max(atlas.years)
    region = region_picker(atlas, year, key_prefix="workshop_region")
    with st.form("workshop_new"):
        held_on = st.date_input("Datum", value=dt.date.today(), format="DD-MM-YYYY")
        place = st.text_input("Plaats", key="workshop_place")
        participants = st.text_area("Deelnemers", key="workshop_participants")
        themes = st.multiselect(
            "Thema's",
            list(THEME_LABELS),
            default=list(THEME_LABELS),
            format_func=THEME_LABELS.get,
            key="workshop_themes",
            placeholder=CHOOSE_SOME,
        )
        dialogue_round = st.selectbox(
            "Dialoogronde (DPRA)",
            [None, *ROUNDS],
            format_func=lambda r: "volgens de datum" if r is None else ROUNDS[r],
            key="workshop_round",
            placeholder=CHOOSE_ONE,
        )
        created = st.form_submit_button("Aanmaken", type="primary")
    if not created:
        return
    with guard():
        if region is None:
            raise InputError(
                "Er is geen regio gekozen. Oplossing: kies eerst de regio van de risicodialoog."
            )
        workshop = book.create(
            region_kind=region.kind.value,
            region_code=region.id,
            region_name=region.name,
            boundary_year=region.year,
            held_on=held_on,
            place=place,
            participants=participants,
            themes=tuple(themes),
            user=session.ensure(Permission.WORKSHOPS),
            dialogue_round=dialogue_round,
        )
        st.session_state[PENDING_KEY] = workshop.id
        st.rerun()


def _facilitate(book: WorkshopBook, workshop: Workshop, user: str) -> None:
    step = workshop.current_step
    theme = workshop.themes[step]
    left, middle, right = st.columns([1, 3, 1])
    if left.button("◀ Vorige", disabled=step == 0, key="workshop_prev"):
        book.set_step(workshop.id, step - 1)
        st.rerun()
    middle.markdown(f"**Stap {step + 1} van {len(workshop.themes)}: {THEME_LABELS[theme]}**")
    if right.button("Volgende ▶", disabled=step == len(workshop.themes) - 1, key="workshop_next"):
        book.set_step(workshop.id, step + 1)
        st.rerun()
    _step(workshop, theme)
    st.markdown("#### Wat besluit de groep?")
    outcomes = {(o.theme, o.hotspot): o for o in book.outcomes(workshop.id)}
    _outcome_fields(book, workshop, theme, "", outcomes, user)
    hotspots = sorted(h for t, h in outcomes if t == theme and h)
    removed_notice()
    for hotspot in hotspots:
        with st.expander(md_text(f"Hotspot: {hotspot}"), expanded=True):
            _outcome_fields(book, workshop, theme, hotspot, outcomes, user)
            hotspot_removal(book, workshop, theme, hotspot)

    def add_hotspot() -> None:
        name = st.session_state[f"hotspot_new_{theme}"].strip()
        if name and name not in hotspots:
            book.save_field(workshop.id, theme, name, "notes", "", user=user)
        st.session_state[f"hotspot_new_{theme}"] = ""

    hotspot_picker(book, workshop, _region(workshop), theme, user, set(hotspots))
    st.text_input(
        "Of een eigen hotspot (naam, Enter om toe te voegen)",
        key=f"hotspot_new_{theme}",
        on_change=add_hotspot,
    )
    register_section(book, workshop)
    removals_section(book, workshop)
    left, right = st.columns(2)
    left.download_button(
        "Uitkomsten als CSV",
        lambda: book.export_csv(workshop.id),  # built only when clicked, not on every render
        file_name=f"risicodialoog_{workshop.id}.csv",
        mime="text/csv",
        on_click="ignore",
    )
    right.download_button(
        "Uitkomsten als Excel",
        lambda: book.export_xlsx(workshop.id),
        file_name=f"risicodialoog_{workshop.id}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
    )


def _outcome_fields(
    book: WorkshopBook, workshop: Workshop, theme: str, hotspot: str, outcomes: dict, user: str
) -> None:
    current = outcomes.get((theme, hotspot))
    prefix = f"wo_{workshop.id}_{theme}_{hotspot}"

    def save(field: str) -> None:
        value = st.session_state[f"{prefix}_{field}"] or ""
        with deferred(f"{prefix}_error"):
            book.save_field(
                workshop.id, theme, hotspot, field, value, user=session.ensure(Permission.WORKSHOPS)
            )

    left, right = st.columns(2)
    left.radio(
        "Acceptabel?",
        ACCEPTABLE,
        format_func=lambda v: v or "nog niet besproken",
        index=ACCEPTABLE.index(current.acceptable) if current else 0,
        key=f"{prefix}_acceptable",
        on_change=save,
        args=("acceptable",),
        horizontal=True,
    )
    right.selectbox(
        "Prioriteit",
        PRIORITIES,
        format_func=lambda v: v or "nog niet gekozen",
        index=PRIORITIES.index(current.priority) if current else 0,
        key=f"{prefix}_priority",
        on_change=save,
        args=("priority",),
        placeholder=CHOOSE_ONE,
    )
    for field in ("meekoppelkansen", "actions", "owners", "notes"):
        st.text_area(
            FIELDS[field],
            value=getattr(current, field) if current else "",
            key=f"{prefix}_{field}",
            on_change=save,
            args=(field,),
            height=80,
        )
    register_fields(book, workshop, theme, hotspot, current, user, prefix)
    show_deferred(f"{prefix}_error")


def _follow(workshop: Workshop) -> None:
    """A presentation screen: the facilitator's current step, redrawn when it moves."""
    st.info(
        md_text(
            f"U volgt de sessie van {workshop.created_by}: {workshop.title}. Dit scherm gaat "
            "vanzelf mee met de facilitator."
        ),
        icon=":material/cast:",
    )
    theme = workshop.themes[workshop.current_step]
    step = f"Stap {workshop.current_step + 1} van {len(workshop.themes)}"
    st.markdown(f"**{step}: {THEME_LABELS[theme]}**")
    _step(workshop, theme)
    _watch(workshop.id, workshop.current_step)


@st.fragment(run_every=FOLLOW_POLL_S)
def _watch(workshop_id: int, shown_step: int) -> None:
    """Read only the facilitator's step, twice a second; redraw the page when it moved.

    The poll is one small database read, so it can be frequent; the map and the sentences are
    drawn again only after a change (bench/workshop.py measures the delay).
    """
    step = shown_step
    with guard():
        step = WorkshopBook(ledger().engine).get(workshop_id).current_step
    if step != shown_step:
        st.rerun()


def _step(workshop: Workshop, theme: str) -> None:
    """The stress test of one theme for the workshop's region, in plain sentences."""
    st.header(md_text(f"{THEME_LABELS[theme]} in {workshop.region_name}"))
    region = _region(workshop)
    if region is None:
        return
    workspace = state.workspace()
    layers = [r for r in workspace.catalogue.layers() if r.theme == theme]
    if not layers:
        st.info(
            f"Er is geen stresstestlaag voor {THEME_LABELS[theme].lower()}.", icon=":material/info:"
        )
        return
    store = state.results_store()
    first = layers[0]
    st.image(
        _map_png(first.id, first.checksum, region.kind.value, region.id, region.year),
        caption=md_text(f"{first.title}; rode lijn: {region.name}"),
        width="stretch",
    )
    st.markdown(legend_html(first, region.name), unsafe_allow_html=True)  # projector-sized
    for layer in layers:
        result = layer_result(store, layer, region)
        if layer.synthetic:
            st.warning(
                md_text(f"{layer.title}: SYNTHETISCHE gegevens, alleen voor demonstratie."),
                icon=":material/science:",
            )
        for sentence in result.sentences:
            st.markdown(f"- {md_text(sentence)}")
        st.caption(md_text(f"Bron: {layer.source}; grensjaar {region.year}."))


@st.cache_data(max_entries=32, show_spinner="Kaart tekenen…")
def _map_png(layer_id: str, checksum: str, kind: str, region_id: str, year: int) -> bytes:
    """The stress-test map of a region (large, for the projector), cached per layer version;
    its legend is drawn as text below it (:mod:`adaptatie.ui.workshop_legend`)."""
    del checksum  # part of the cache key only
    workspace = state.workspace()
    layer = workspace.catalogue.get(layer_id)
    region = workspace.atlas.region(RegionKind(kind), region_id, year)
    raster = workspace.catalogue.file(layer, layer.analysis_file)
    return map_png(workspace.atlas, region, layer, raster, legend=False)  # legend as page text


def _region(workshop: Workshop) -> Region | None:
    atlas = state.atlas()
    kind = RegionKind(workshop.region_kind)
    try:
        region = atlas.region(kind, workshop.region_code, workshop.boundary_year)
    except AdaptatieError as exc:
        show_error(exc, stop=False)
        st.caption(
            md_text(
                f"De regio van deze risicodialoog ({workshop.region_name}, grensjaar "
                f"{workshop.boundary_year}) is niet meer te vinden."
            )
        )
        return None
    latest = max(atlas.years)
    if workshop.boundary_year != latest:
        try:
            now = atlas.region(kind, workshop.region_code, latest)
            changed = {m.code for m in now.members} != {m.code for m in region.members}
        except AdaptatieError:
            changed = True
        if changed:
            st.warning(
                f"Deze risicodialoog is gehouden met de gemeentelijke indeling van "
                f"{workshop.boundary_year}; de grenzen zijn sindsdien veranderd. De cijfers "
                f"gelden voor de indeling van {workshop.boundary_year}.",
                icon=":material/history:",
            )
    return region
