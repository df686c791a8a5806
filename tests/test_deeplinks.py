"""Deep links and the shared view state (issue 14 item 1, issue 15 part 1), through AppTest.

A year, region or layer chosen on one page holds on every other page; every page writes its
state to the URL (``jaar``, ``soort``, ``regio``, ``laag``, ``vergelijk``, ``set``, ``kengetal``,
``workshop``, ``volg``) and opens from such a link; an unknown or outdated value opens the page
with a Dutch notice of what was ignored, never an error.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from adaptatie.regions.models import RegionKind
from tests.pagetext import shown
from tests.workshops import meppel_workshop, workshop_book

ROOT = Path(__file__).resolve().parents[1]
OVERVIEW = "pages/2_Regio-overzicht.py"
WORKSHOP = "pages/3_Risicodialoog.py"
STRESSTEST = "pages/4_Stresstest.py"
WO70 = "demo-wateroverlast-70mm"
WO140 = "demo-wateroverlast-140mm"


@pytest.fixture(autouse=True)
def home(app_home: Callable[..., Path]) -> Path:
    return app_home(demo_m=2000.0)  # SYNTHETIC demo layers at 2 km


def opened(path: str = "app.py", **params: str) -> AppTest:
    """The app opened at ``path`` with the query string ``params`` (as a link would)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params.update(params)
    if path != "app.py":
        at.switch_page(path)
    return at.run()


def notices(at: AppTest) -> list[str]:
    return [shown(i.value) for i in at.info]


# --- the view holds across pages ---------------------------------------------------------------


def test_the_year_region_and_layer_chosen_on_the_map_hold_on_every_page() -> None:
    at = opened()
    at.select_slider(key="grensjaar").set_value(2021).run()
    at.selectbox(key="picker_kind").set_value(RegionKind.CLUSTER).run()
    at.selectbox(key="picker_region").set_value("DAL").run()
    at.selectbox(key="map_raster").set_value(WO140).run()
    assert at.query_params == {"jaar": "2021", "soort": "cluster", "regio": "DAL", "laag": WO140}

    at.switch_page(OVERVIEW).run()
    assert not at.exception, at.exception
    assert at.select_slider(key="grensjaar").value == 2021
    assert at.selectbox(key="overview_kind").value == RegionKind.CLUSTER
    assert at.query_params == {"jaar": "2021", "soort": "cluster"}

    at.switch_page(STRESSTEST).run()
    assert not at.exception, at.exception
    assert at.select_slider(key="grensjaar").value == 2021
    assert at.selectbox(key="st_layer_a").value == WO140
    # The numbers and their sources are of the year shown, not 2017 or 2024.
    assert any("Regio's: grensjaar 2021" in shown(c.value) for c in at.caption)

    at.switch_page("app.py").run()
    assert at.select_slider(key="grensjaar").value == 2021
    assert shown(at.subheader[0].value) == "DAL"
    assert at.selectbox(key="map_raster").value == WO140


def test_a_year_chosen_on_the_stresstest_page_holds_on_the_map() -> None:
    at = opened(STRESSTEST)
    at.select_slider(key="grensjaar").set_value(2019).run()
    at.switch_page("app.py").run()
    assert at.select_slider(key="grensjaar").value == 2019
    assert at.query_params["jaar"] == "2019"


# --- links open the view ---------------------------------------------------------------------


def test_the_example_link_opens_dal_in_2019_with_the_layer_and_the_panel() -> None:
    at = opened(jaar="2019", soort="cluster", regio="DAL", laag=WO70)
    assert not at.exception, at.exception
    assert at.select_slider(key="grensjaar").value == 2019
    assert at.selectbox(key="map_raster").value == WO70
    assert shown(at.subheader[0].value) == "DAL"
    # DAL in 2019: the three municipalities that merged into Eemsdelta in 2021.
    members = at.dataframe[0].value
    assert sorted(members["Gemeente"]) == ["Appingedam", "Delfzijl", "Loppersum"]
    assert not notices(at) or all("Genegeerd" not in n for n in notices(at))
    assert at.query_params == {"jaar": "2019", "soort": "cluster", "regio": "DAL", "laag": WO70}


def test_a_link_with_only_a_code_finds_the_kind() -> None:
    at = opened(regio="WR-TWN")
    assert at.selectbox(key="picker_kind").value == RegionKind.WERKREGIO
    assert shown(at.subheader[0].value) == "Twents Waternet"


def test_the_share_control_shows_the_link_of_this_view() -> None:
    at = opened(jaar="2019", soort="cluster", regio="DAL")
    links = [c.value for c in at.code]
    assert links == ["/?jaar=2019&soort=cluster&regio=DAL"], links


def test_the_overview_opens_from_a_link() -> None:
    at = opened(OVERVIEW, jaar="2018", soort="werkregio")
    assert at.select_slider(key="grensjaar").value == 2018
    table = at.dataframe[0].value
    assert len(table) == 4  # the four DPRA werkregio's


def test_the_stresstest_page_opens_from_a_link_with_every_parameter() -> None:
    at = opened(STRESSTEST, jaar="2020", laag=WO70, vergelijk=WO140, set="cluster", kengetal="mean")
    assert not at.exception, at.exception
    assert at.select_slider(key="grensjaar").value == 2020
    assert at.selectbox(key="st_theme").value == "wateroverlast"
    assert at.selectbox(key="st_layer_a").value == WO70
    assert at.toggle(key="st_compare").value is True
    assert at.selectbox(key="st_layer_b").value == WO140
    assert at.selectbox(key="st_set").value == "cluster"
    assert at.selectbox(key="st_indicator").value == "mean"
    assert at.query_params == {
        "jaar": "2020",
        "laag": WO70,
        "vergelijk": WO140,
        "set": "cluster",
        "kengetal": "mean",
    }
    # Switching the comparison off takes it out of the link.
    at.toggle(key="st_compare").set_value(False).run()
    assert "vergelijk" not in at.query_params
    assert at.toggle(key="st_compare").value is False


def test_a_layer_of_another_theme_opens_its_theme() -> None:
    at = opened(STRESSTEST, laag="demo-hitte")
    assert at.selectbox(key="st_theme").value == "hitte"
    assert at.selectbox(key="st_layer_a").value == "demo-hitte"


def _workshop(home: Path) -> int:
    with workshop_book(home) as book:
        workshop = meppel_workshop(book, themes=("wateroverlast", "hitte"))
        book.set_step(workshop.id, 1)
    return workshop.id


def test_a_follower_link_opens_the_workshop_on_the_follower_screen(home: Path) -> None:
    workshop_id = _workshop(home)
    at = opened(WORKSHOP, workshop=str(workshop_id), volg="1")
    assert not at.exception, at.exception
    assert at.selectbox(key="workshop_choice").value == workshop_id
    assert at.radio(key="workshop_mode").value == "Volgt de facilitator"
    assert at.header[0].value == "Hitte in Meppel"
    assert at.query_params == {"workshop": str(workshop_id), "volg": "1"}


# --- stale and unknown values: a Dutch notice, never an error --------------------------------


def test_a_year_without_boundaries_is_ignored_with_a_notice() -> None:
    at = opened(jaar="2031")
    assert not at.exception and not at.error
    assert at.select_slider(key="grensjaar").value == 2024
    assert any(
        "Genegeerd: grensjaar '2031'" in n and "2017 tot en met 2024" in n for n in notices(at)
    ), notices(at)
    assert at.query_params["jaar"] == "2024"


def test_a_municipality_that_did_not_exist_yet_says_what_was_there() -> None:
    at = opened(jaar="2017", soort="gemeente", regio="GM1979")
    assert not at.exception and not at.error
    panel_top = shown(at.warning[0].value)
    assert panel_top.startswith(
        "Eemsdelta bestond in 2017 nog niet: Appingedam, Delfzijl, Loppersum."
    ), panel_top
    assert not at.subheader  # no panel of another region


def test_a_municipality_that_was_merged_says_what_it_became() -> None:
    # Haren (GM0017) joined Groningen on 1-1-2019 (CBS Gemeentelijke indeling 2019).
    at = opened(jaar="2024", regio="GM0017")
    panel_top = shown(at.warning[0].value)
    assert panel_top.startswith("Haren bestond in 2024 niet meer: opgegaan in Groningen."), (
        panel_top
    )


def test_an_unknown_region_kind_and_code_are_ignored_with_notices() -> None:
    at = opened(soort="dorp", regio="XYZ")
    assert not at.exception and not at.error
    assert any("Genegeerd: soort regio 'dorp'" in n for n in notices(at)), notices(at)
    at = opened(soort="cluster", regio="XYZ")
    assert any("geen cluster met code 'XYZ'" in shown(w.value) for w in at.warning)


def test_a_removed_layer_is_ignored_with_a_notice_on_map_and_stresstest_page() -> None:
    at = opened(laag="wateroverlast-verwijderd")
    assert not at.exception and not at.error
    assert at.selectbox(key="map_raster").value is None
    assert any("Genegeerd: stresstestlaag 'wateroverlast-verwijderd'" in n for n in notices(at))
    assert "laag" not in at.query_params
    at = opened(STRESSTEST, laag="wateroverlast-verwijderd", kengetal="gemiddelde")
    assert not at.exception and not at.error
    texts = notices(at)
    assert any("Genegeerd: stresstestlaag" in n for n in texts), texts
    assert any("Genegeerd: kengetal 'gemiddelde'" in n for n in texts), texts


def test_a_second_scenario_equal_to_the_first_is_ignored() -> None:
    at = opened(STRESSTEST, laag=WO70, vergelijk=WO70)
    assert not at.exception and not at.error
    assert any("Genegeerd: tweede scenario" in n for n in notices(at)), notices(at)


def test_an_unknown_region_set_and_workshop_are_ignored(home: Path) -> None:
    at = opened(STRESSTEST, set="buurt")
    assert any("Genegeerd: regio-indeling 'buurt'" in n for n in notices(at))
    at = opened(WORKSHOP, workshop="999", volg="1")
    assert not at.exception and not at.error
    assert any("Genegeerd: risicodialoog '999'" in n for n in notices(at)), notices(at)
