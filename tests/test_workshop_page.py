"""The Risicodialoog page through AppTest: create, step, save as typed, follow, old boundaries."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from adaptatie.accounts.roles import Role
from adaptatie.regions.models import RegionKind
from adaptatie.ui.workshop_legend import legend_html
from adaptatie.workspace import Workspace
from tests.logins import add_account
from tests.logins import login as login_as
from tests.pagetext import shown
from tests.workshops import meppel_workshop, workshop_book

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def home(app_home: Callable[..., Path]) -> Path:
    home = app_home(demo_m=2000.0)  # SYNTHETIC demo layers at 2 km
    add_account(home, "facilitator", Role.FACILITATOR)
    return home


def workshop_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/3_Risicodialoog.py")
    return at.run()


def login(at: AppTest) -> AppTest:
    return login_as(at, "facilitator")


def test_create_step_and_record_as_typed(home: Path) -> None:
    at = login(workshop_page())
    at.selectbox(key="workshop_region_kind").set_value(RegionKind.GEMEENTE).run()
    at.selectbox(key="workshop_region_region").set_value("GM0114").run()
    at.text_input(key="workshop_place").set_value("Raadzaal Emmen")
    at.multiselect(key="workshop_themes").set_value(["wateroverlast", "hitte"])
    at = next(b for b in at.button if b.label == "Aanmaken").click().run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Wateroverlast in Emmen"
    assert any("van de oppervlakte" in shown(m.value) for m in at.markdown)  # the plain sentences
    assert any("SYNTHETISCHE" in shown(w.value) for w in at.warning)
    with workshop_book(home) as book:
        (workshop,) = book.all()
    prefix = f"wo_{workshop.id}_wateroverlast_"
    at.text_area(key=f"{prefix}_actions").set_value("Wadi bij de Weiert").run()
    at.radio(key=f"{prefix}_acceptable").set_value("onacceptabel").run()
    with workshop_book(home) as book:  # saved as typed, no save button
        (outcome,) = book.outcomes(workshop.id)
    assert (outcome.actions, outcome.acceptable, outcome.updated_by) == (
        "Wadi bij de Weiert",
        "onacceptabel",
        "facilitator",  # the account
    )
    at = next(b for b in at.button if b.label == "Volgende ▶").click().run()
    assert at.header[0].value == "Hitte in Emmen"
    with workshop_book(home) as book:
        assert book.get(workshop.id).current_step == 1


def test_a_follower_shows_the_facilitators_step(home: Path) -> None:
    with workshop_book(home) as book:
        workshop = meppel_workshop(book, themes=("wateroverlast", "hitte"), user="Anna *de* Vries")
        book.set_step(workshop.id, 1)
    at = workshop_page()  # not logged in: this screen follows
    at.selectbox(key="workshop_choice").set_value(workshop.id).run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Hitte in Meppel"
    assert any("Stap 2 van 2" in shown(m.value) for m in at.markdown)
    following = [i.value for i in at.info if "U volgt" in i.value]
    assert len(following) == 1
    assert "\\*de\\*" in following[0]  # the name as typed, not as emphasis
    assert shown(following[0]).startswith(
        "U volgt de sessie van Anna *de* Vries: Meppel, 20-11-2026 (Meppel)."
    )


def test_a_workshop_held_with_old_boundaries_says_so(home: Path) -> None:
    with workshop_book(home) as book:
        workshop = meppel_workshop(
            book,
            region_kind="cluster",
            region_code="DAL",
            region_name="DAL",
            boundary_year=2019,
            held_on=dt.date(2019, 10, 1),
            place="Delfzijl",
        )
    at = workshop_page()
    at.selectbox(key="workshop_choice").set_value(workshop.id).run()
    assert not at.exception, at.exception
    assert any("gemeentelijke indeling van 2019" in shown(w.value) for w in at.warning)


def test_a_word_soft_line_break_in_a_note_keeps_the_facilitator_page_working(home: Path) -> None:
    with workshop_book(home) as book:
        workshop = meppel_workshop(book)
        book.save_field(workshop.id, "wateroverlast", "", "notes", "regel 1\x0bregel 2", user="F")
        before = book.outcomes(workshop.id)
    at = login(workshop_page())
    at.selectbox(key="workshop_choice").set_value(workshop.id).run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Wateroverlast in Meppel"
    with workshop_book(home) as book:
        assert book.outcomes(workshop.id) == before  # stored as typed, unchanged
        sheet = openpyxl.load_workbook(io.BytesIO(book.export_xlsx(workshop.id))).active
    notes = [c.value for c in sheet[2] if c.value and "regel 1" in str(c.value)]
    assert notes == ["regel 1\nregel 2"]


def legend_of(at: AppTest) -> str:
    (legend,) = [m.value for m in at.markdown if "adaptatie-projector-legend" in m.value]
    return legend


def test_the_map_legend_is_page_text_with_the_visible_classes(home: Path) -> None:
    with workshop_book(home) as book:
        workshop = meppel_workshop(book, themes=("wateroverlast", "hitte"))
    at = workshop_page()
    at.selectbox(key="workshop_choice").set_value(workshop.id).run()
    assert not at.exception, at.exception
    legend = legend_of(at)  # wateroverlast: depths under 5 cm are not drawn, so not listed
    assert "Legenda: waterdiepte (m)" in legend and "grens van Meppel" in legend
    assert "5-10 cm" in legend and "&gt; 50 cm" in legend
    assert "&lt; 5 cm" not in legend
    assert "font-size: max(20px, 1.25rem)" in legend  # projector size, larger in large type


def test_the_legend_shows_names_from_files_as_text(home: Path, shared_geodata: Path) -> None:
    record = Workspace(shared_geodata, home=home).catalogue.layers()[0]
    hostile = dataclasses.replace(
        record,
        quantity="<i>diepte</i>",
        classes=dataclasses.replace(
            record.classes,
            labels=("<b>laag</b>",) * len(record.classes.labels),
            colours=('red;" onclick="x',) * len(record.classes.colours),
        ),
    )
    html = legend_html(hostile, "<script>alert(1)</script>")
    assert "<b>" not in html and "<i>" not in html and "<script>" not in html
    assert "&lt;b&gt;laag&lt;/b&gt;" in html and "&lt;script&gt;" in html
    assert "onclick" not in html and "background: #808080;" in html  # not a colour: grey


def test_the_region_field_names_clusters_in_full_and_mentions_no_map(home: Path) -> None:
    at = login(workshop_page())
    # The Risicodialoog page has no map to click on.
    assert at.selectbox(key="workshop_region_region").proto.placeholder == "Kies een regio"
    at.selectbox(key="workshop_region_kind").set_value(RegionKind.CLUSTER).run()
    options = at.selectbox(key="workshop_region_region").options
    assert "DAL (Delfzijl, Appingedam, Loppersum → Eemsdelta)" in options
    assert "GHT (Groningen, Haren, Ten Boer → Groningen)" in options
    assert "Westerkwartier (WKW)" in options
    for option in options:  # never "DAL (DAL)"
        name, rest = option.split(" (", 1)
        assert rest.removesuffix(")") != name, option


def test_a_hotspot_is_removed_after_a_confirmation_and_logged(home: Path) -> None:
    with workshop_book(home) as book:
        workshop = meppel_workshop(book)
        book.save_field(workshop.id, "wateroverlast", "Markt *oost*", "actions", "wadi", user="F")
        book.save_field(workshop.id, "wateroverlast", "Stationsplein", "notes", "kelder", user="F")
    at = login(workshop_page())
    at.selectbox(key="workshop_choice").set_value(workshop.id).run()
    assert not at.exception, at.exception
    key = f"wr_remove_{workshop.id}_wateroverlast_Markt *oost*"
    assert at.button(key=key).disabled  # not without the confirmation
    assert "Markt \\*oost\\*" in at.checkbox(key=f"{key}_sure").label  # the name as typed
    at.checkbox(key=f"{key}_sure").check().run()
    assert not at.button(key=key).disabled
    at = at.button(key=key).click().run()
    assert not at.exception, at.exception
    assert any("Markt *oost* is van de lijst gehaald" in shown(s.value) for s in at.success)
    with workshop_book(home) as book:
        assert [o.hotspot for o in book.outcomes(workshop.id)] == ["Stationsplein"]
        (removal,) = book.removals(workshop.id)
    assert (removal.user, removal.values["actions"]) == ("facilitator", "wadi")
    assert "Hotspot: Stationsplein" in [shown(e.label) for e in at.expander]
    log = at.dataframe[-1].value
    assert log["Hotspot"].tolist() == ["Markt *oost*"]
    assert log["Vastgelegd"].iloc[0] == "Acties: wadi; Laatst bijgewerkt door: F"
