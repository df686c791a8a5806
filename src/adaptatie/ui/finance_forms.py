"""Forms of the co-financing page: edit a measure, import and export, measures on the map.

After a successful save, import or delete the page reruns at once, so the overview, the list, the
map and the downloads above and below the form are drawn from what is now stored; the outcome
(confirmation, what was stored differently from what was typed, warnings) is kept for that rerun
and shown where the action was. A successful save empties the form (a second click adds
nothing); a refused save keeps it filled, so the user can correct it.
"""

from __future__ import annotations

import datetime as dt
import json

import folium
import geopandas as gpd
import shapely
import streamlit as st
from streamlit_folium import st_folium

from adaptatie.accounts.roles import Permission
from adaptatie.db.errors import ConflictError
from adaptatie.errors import AdaptatieError
from adaptatie.finance.imports import export_csv_bytes, export_xlsx_bytes, import_bytes
from adaptatie.finance.ledger import Ledger
from adaptatie.finance.money import format_cents, parse_amount
from adaptatie.finance.records import ClimateTheme, Measure, Status
from adaptatie.limits import UPLOAD_MB
from adaptatie.ui import state
from adaptatie.ui.errors import guard, show_error
from adaptatie.ui.map import fit, offline_map
from adaptatie.ui.safe import SafeGeoJsonTooltip, SafeTooltip, md_text
from adaptatie.ui.session import ensure
from adaptatie.ui.text_alternative import measures_sentences, text_alternative
from adaptatie.ui.uploads import upload_field
from adaptatie.ui.widgets import CHOOSE_ONE, CHOOSE_SOME

NEW = "__nieuw__"
LOADED_PREFIX = "finance_loaded_"  # + measure id: the version the editor's form was filled from
CONFLICT_PREFIX = "finance_conflict_"  # + measure id: a save of this form met someone else's
OUTCOME_PREFIX = "finance_outcome_"  # + section: messages kept for the rerun after an action
UPLOAD_ROUND = "finance_import_round"  # a new upload widget after each successful import
STATUS_COLOURS = {
    Status.IDEE: "#999999",
    Status.AANGEVRAAGD: "#E69F00",
    Status.TOEGEKEND: "#0072B2",
    Status.IN_UITVOERING: "#56B4E9",
    Status.GEREALISEERD: "#009E73",
    Status.VERVALLEN: "#D55E00",
}


def edit_section(book: Ledger, measures: list[Measure], user: str | None) -> None:
    """Add, change or delete one measure (editors only), with every rule checked on save."""
    if user is None:
        return
    st.subheader("Maatregel toevoegen of wijzigen")
    _show_outcome("edit")
    stored = {m.id: m for m in book.measures()}
    choice = st.selectbox(
        "Maatregel",
        [NEW, *stored],
        format_func=lambda i: "nieuwe maatregel" if i == NEW else f"{i} — {stored[i].name}",
        key="finance_edit_choice",
        placeholder=CHOOSE_ONE,
    )
    current = stored.get(choice)
    loaded_key = f"{LOADED_PREFIX}{choice}"
    if current is not None:
        # The version this editor started from; kept across reruns so that a save after someone
        # else's change is reported as a conflict instead of overwriting it.
        st.session_state.setdefault(loaded_key, current.version)
    regions = {w.id: w.name for w in book.werkregios.werkregios}

    def k(field: str) -> str:
        return f"fin_{field}_{choice}"

    with st.form(f"finance_edit_{choice}"):
        left, right = st.columns(2)
        measure_id = left.text_input(
            "Id", key=k("id"), value=current.id if current else "", disabled=bool(current)
        )
        name = right.text_input("Naam", key=k("name"), value=current.name if current else "")
        werkregio = left.selectbox(
            "Werkregio",
            list(regions),
            key=k("werkregio"),
            format_func=regions.get,
            index=list(regions).index(current.werkregio) if current else 0,
            placeholder=CHOOSE_ONE,
        )
        gemeente = right.text_input(
            "Gemeente",
            key=k("gemeente"),
            value=current.gemeente if current else "",
            help="Naam zoals CBS hem schrijft, een andere bekende naam of de CBS-code "
            "(bijv. Hengelo, Hengelo (O.) of GM0164). Wordt opgeslagen zoals CBS hem schrijft.",
        )
        themes = left.multiselect(
            "Thema's",
            list(ClimateTheme),
            key=k("themes"),
            default=sorted(current.themes) if current else [],
            format_func=lambda t: t.value,
            placeholder=CHOOSE_SOME,
        )
        status = right.selectbox(
            "Status",
            list(Status),
            key=k("status"),
            format_func=lambda s: s.value,
            index=list(Status).index(current.status) if current else 0,
            placeholder=CHOOSE_ONE,
        )
        rounds = [None, 2021, 2022, 2023]
        round_year = left.selectbox(
            "Aanvraagronde",
            rounds,
            key=k("round"),
            format_func=lambda r: "geen" if r is None else str(r),
            index=rounds.index(current.round) if current and current.round in rounds else 0,
            placeholder=CHOOSE_ONE,
        )
        kassier = right.text_input(
            "Kassier (gemeente of provincie)",
            key=k("kassier"),
            value=current.kassier if current else "",
            help="Bijv. Gemeente Emmen, Emmen, Provincie Drenthe, GM0114 of PV22. Een naam die "
            "gemeente én provincie is (Groningen): schrijf 'Gemeente …' of 'Provincie …'.",
        )
        total = left.text_input(
            "Totale kosten (€)",
            key=k("total"),
            value=_money(current.total_cost_cents if current else None),
        )
        eligible = right.text_input(
            "Subsidiabele realisatiekosten (€)",
            key=k("eligible"),
            value=_money(current.eligible_cost_cents if current else None),
        )
        rijk = left.text_input(
            "Rijksbijdrage (€)",
            key=k("rijk"),
            value=_money(current.rijk_contribution_cents if current else None),
        )
        completion = right.date_input(
            "Gepland gereed",
            key=k("date"),
            value=current.completion_date if current else None,
            format="DD-MM-YYYY",
        )
        description = st.text_area(
            "Omschrijving", key=k("description"), value=current.description if current else ""
        )
        location = st.text_input(
            "Locatie (WKT in RD New, bijv. POINT (233500 582000))",
            key=k("location"),
            value=(current.location_wkt or "") if current else "",
        )
        saved = st.form_submit_button("Opslaan", type="primary")
    if not saved and st.session_state.get(f"{CONFLICT_PREFIX}{choice}"):
        st.warning(
            "Iemand anders heeft deze maatregel gewijzigd nadat u hem opende.",
            icon=":material/sync_problem:",
        )
        _reload_button(choice, loaded_key)
    if saved:
        try:
            measure = Measure(
                id=(current.id if current else measure_id.strip()),
                name=name.strip(),
                werkregio=werkregio,
                status=Status(status),
                themes=frozenset(ClimateTheme(t) for t in themes),
                gemeente=gemeente.strip(),
                description=description.strip(),
                round=round_year,
                total_cost_cents=_amount(total, "Totale kosten"),
                eligible_cost_cents=_amount(eligible, "Subsidiabele realisatiekosten"),
                rijk_contribution_cents=_amount(rijk, "Rijksbijdrage"),
                kassier=kassier.strip(),
                completion_date=completion,
                location_wkt=location.strip() or None,
            )
            if current is None:
                result = book.add(measure, user=ensure(Permission.LEDGER))
            else:
                result = book.update(
                    measure, st.session_state[loaded_key], user=ensure(Permission.LEDGER)
                )
        except ConflictError as exc:
            show_error(exc)
            st.session_state[f"{CONFLICT_PREFIX}{choice}"] = True
            _reload_button(choice, loaded_key)
            return
        except Exception as exc:  # the boundary's table says how (rules, database, ...)
            show_error(exc)  # the form keeps what was typed, to correct it
            return
        _clear_form(choice)
        st.session_state[f"{LOADED_PREFIX}{result.measure.id}"] = result.measure.version
        _keep_outcome(
            "edit",
            f"Maatregel {result.measure.id} opgeslagen (versie {result.measure.version}).",
            result.notes,
            [w.message for w in result.warnings],
        )
        st.rerun()  # every view above the form is drawn again from what is stored
    if current is None:
        return
    sure = st.checkbox(
        md_text(f"Ja, maatregel {current.id} definitief verwijderen"), key="finance_delete_sure"
    )
    if st.button(f"Maatregel {current.id} verwijderen", key="finance_delete", disabled=not sure):
        with guard():
            book.delete(current.id, current.version, user=ensure(Permission.LEDGER))
            st.session_state.pop("finance_delete_sure", None)
            st.session_state.pop("finance_edit_choice", None)  # back to "nieuwe maatregel"
            _clear_form(choice)
            _keep_outcome("edit", f"Maatregel {current.id} verwijderd (staat in het logboek).")
            st.rerun()


def _clear_form(choice: str) -> None:
    """Forget what the form of ``choice`` holds: it is drawn again from the stored measure (or
    empty for a new one)."""
    for key in [k for k in st.session_state if str(k).endswith(f"_{choice}")]:
        if str(key).startswith(("fin_", CONFLICT_PREFIX)):
            del st.session_state[key]


def _keep_outcome(
    section: str, done: str, notes: list[str] | None = None, warnings: list[str] | None = None
) -> None:
    """Keep the outcome of an action for the rerun that follows it."""
    st.session_state[f"{OUTCOME_PREFIX}{section}"] = (done, list(notes or ()), list(warnings or ()))


def _show_outcome(section: str) -> None:
    """Show (once) the outcome kept by :func:`_keep_outcome`."""
    kept = st.session_state.pop(f"{OUTCOME_PREFIX}{section}", None)
    if kept is None:
        return
    done, notes, warnings = kept
    st.success(md_text(done))
    for note in notes:
        st.info(md_text(note), icon=":material/edit_note:")
    for warning in warnings:
        st.warning(md_text(warning), icon=":material/warning:")


def _reload_button(choice: str, loaded_key: str) -> None:
    """Offer to start again from the stored measure (the editor's own changes are dropped)."""
    if st.button("Opnieuw laden (uw wijzigingen vervallen)", key=f"reload_{choice}"):
        for key in [k for k in st.session_state if str(k).endswith(f"_{choice}")]:
            del st.session_state[key]
        st.session_state.pop(loaded_key, None)
        st.rerun()


def import_export_section(book: Ledger, user: str | None) -> None:
    st.subheader("Inlezen en uitvoeren")
    left, right = st.columns(2)
    stamp = dt.date.today().isoformat()
    # The files are built only when a button is clicked (Streamlit calls the function then),
    # never on a page render: 100.000 measures take tens of seconds as Excel. So a download
    # always holds what is stored at the moment of the click.
    left.download_button(
        "Maatregelen als CSV",
        lambda: export_csv_bytes(book.measures()),
        file_name=f"maatregelen_{stamp}.csv",
        mime="text/csv",
        on_click="ignore",
    )
    right.download_button(
        "Maatregelen als Excel",
        lambda: export_xlsx_bytes(book.measures()),
        file_name=f"maatregelen_{stamp}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
    )
    if user is None:
        st.caption("Inlezen kan na inloggen met de rol redacteur of beheerder.")
        return
    _show_outcome("import")
    turn = st.session_state.get(UPLOAD_ROUND, 0)
    upload = upload_field(
        "Maatregelen inlezen (CSV of Excel; alles of niets)",
        ["csv", "xlsx"],
        UPLOAD_MB,
        key="finance_import" if turn == 0 else f"finance_import_{turn}",
    )
    if upload is not None and st.button("Inlezen", key="finance_import_button"):
        try:
            result = import_bytes(
                book, upload.getvalue(), upload.name, user=ensure(Permission.LEDGER)
            )
        except Exception as exc:
            show_error(exc)
            return
        st.session_state[UPLOAD_ROUND] = turn + 1  # an empty upload field: no second import
        _keep_outcome(
            "import",
            f"{len(result.measures)} maatregel(en) ingelezen uit {upload.name}.",
            result.notes,
            [w.message for w in result.warnings],
        )
        st.rerun()  # the overview, the list, the map and the downloads show the new measures


def measures_map(book: Ledger, measures: list[Measure]) -> None:
    located = [m for m in measures if m.location_wkt]
    st.subheader("Maatregelen op de kaart")
    if not located:
        st.caption("Geen van deze maatregelen heeft een locatie (veld locatie_wkt).")
        return
    frame = gpd.GeoDataFrame(
        {
            "id": [m.id for m in located],
            "naam": [m.name for m in located],
            "status": [m.status.value for m in located],
            "rijksbijdrage": [_money(m.rijk_contribution_cents) for m in located],
        },
        geometry=[shapely.from_wkt(m.location_wkt) for m in located],
        crs="EPSG:28992",
    ).to_crs("EPSG:4326")
    layers = state.layers(max(state.atlas().years))
    fmap = offline_map()
    werkregio_layer = next(layer for kind, layer in layers.items() if kind.value == "werkregio")
    folium.GeoJson(
        json.loads(werkregio_layer.geojson),
        name="Werkregio's",
        style_function=lambda _f: {"color": "#D55E00", "weight": 2, "fillOpacity": 0.03},
    ).add_child(SafeGeoJsonTooltip(["naam"], ["Werkregio"])).add_to(fmap)
    for row in frame.itertuples():
        colour = STATUS_COLOURS[Status(row.status)]
        money = row.rijksbijdrage or "onbekend"
        tooltip = f"{row.id} — {row.naam} ({row.status}, rijksbijdrage {money})"
        if row.geometry.geom_type == "Point":
            folium.CircleMarker(
                [row.geometry.y, row.geometry.x],
                radius=7,
                color=colour,
                fill=True,
                fill_opacity=0.9,
            ).add_child(SafeTooltip(tooltip)).add_to(fmap)
        else:
            folium.GeoJson(
                shapely.to_geojson(row.geometry),
                style_function=lambda _f, c=colour: {"color": c, "weight": 2, "fillOpacity": 0.4},
            ).add_child(SafeTooltip(tooltip)).add_to(fmap)
    fit(fmap, werkregio_layer)
    st_folium(fmap, key="finance_map", height=480, use_container_width=True, returned_objects=[])
    st.caption(
        " · ".join(
            f"<span style='color:{c}'>●</span> {s.value}" for s, c in STATUS_COLOURS.items()
        ),
        unsafe_allow_html=True,
    )
    statuses = {s.value: sum(1 for m in located if m.status is s) for s in Status}
    text_alternative(
        measures_sentences(len(located), len(measures), statuses),
        frame.drop(columns="geometry").rename(
            columns={"id": "Id", "naam": "Maatregel", "status": "Status", "rijksbijdrage": "Rijk"}
        ),
    )


def _money(cents: int | None) -> str:
    return "" if cents is None else format_cents(cents)


def _amount(text: str, label: str) -> int | None:
    try:
        return parse_amount(text) if text.strip() else None
    except ValueError as exc:
        raise AdaptatieError(f"{label}: {exc}") from exc
