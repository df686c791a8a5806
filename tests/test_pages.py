"""Streamlit pages through AppTest: every page renders; year selector and region panel work."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from adaptatie.io.ingest import LayerRequest, add_layer
from adaptatie.regions.models import RegionKind
from adaptatie.workspace import Workspace
from tests.pagetext import shown
from tests.synthetic import write_regions_file

ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    "app.py",
    "pages/2_Regio-overzicht.py",
    "pages/4_Stresstest.py",
    "pages/5_Stresstestlagen.py",
    "pages/6_Cofinanciering.py",
    "pages/7_DPRA-voortgang.py",
    "pages/8_Herindelingen.py",
    "pages/9_Bronnen.py",
    "pages/10_Hotspots.py",
]


def page(path: str) -> AppTest:
    """An AppTest of the whole app (so page links resolve), set to open ``path``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if path != "app.py":
        at.switch_page(path)
    return at


@pytest.fixture(autouse=True)
def home(app_home: Callable[..., Path]) -> Path:
    return app_home()  # never the developer's own layers


@pytest.fixture
def demo_layers(app_home: Callable[..., Path]) -> None:
    """The SYNTHETIC demo layers at a coarse 2 km, in this test's home folder."""
    app_home(demo_m=2000.0)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_without_errors(path: str) -> None:
    at = page(path).run()
    assert not at.exception, at.exception
    assert not at.error
    assert at.title[0].value


def test_map_page_panel_follows_the_picker_and_the_year() -> None:
    at = page("app.py").run()
    assert at.select_slider(key="grensjaar").value == 2024
    assert "Klik op een gebied" in shown(at.info[0].value)
    placeholder = at.selectbox(key="picker_region").proto.placeholder
    assert placeholder == "Kies een regio of klik op de kaart"  # this page has the map
    at.selectbox(key="picker_kind").set_value(RegionKind.CLUSTER).run()
    at.selectbox(key="picker_region").set_value("DAL").run()
    assert not at.exception
    assert shown(at.subheader[0].value) == "DAL"
    members = at.dataframe[0].value
    assert members["Gemeente"].tolist() == ["Eemsdelta"]
    # Back to 2020: DAL is again Delfzijl, Appingedam and Loppersum.
    at.select_slider(key="grensjaar").set_value(2020).run()
    members = at.dataframe[0].value
    assert sorted(members["Gemeente"]) == ["Appingedam", "Delfzijl", "Loppersum"]
    assert any("grensjaar 2020" in shown(c.value) for c in at.caption)


def test_map_page_warns_when_selected_municipality_does_not_exist_that_year() -> None:
    at = page("app.py").run()
    at.selectbox(key="picker_kind").set_value(RegionKind.GEMEENTE).run()
    at.selectbox(key="picker_region").set_value("GM1979").run()  # Eemsdelta, from 2021
    assert shown(at.subheader[0].value) == "Eemsdelta"
    at.select_slider(key="grensjaar").set_value(2019).run()
    assert not at.exception
    # Eemsdelta was formed on 1-1-2021 from these three (CBS Gemeentelijke indeling 2021).
    expected = "Eemsdelta bestond in 2019 nog niet: Appingedam, Delfzijl, Loppersum."
    panel_top = shown(at.warning[0].value)
    assert panel_top.startswith(expected), panel_top
    at.select_slider(key="grensjaar").set_value(2024).run()
    assert shown(at.subheader[0].value) == "Eemsdelta"  # the choice held


def test_panel_shows_population_source_and_water_boards() -> None:
    at = page("app.py").run()
    at.selectbox(key="picker_kind").set_value(RegionKind.WERKREGIO).run()
    at.selectbox(key="picker_region").set_value("WR-TWN").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Oppervlakte"].endswith("km²")
    assert "." in metrics["Inwoners"]  # nl-NL thousands separator
    boards = at.dataframe[1].value
    assert boards["Waterschap"].iloc[0] == "Waterschap Vechtstromen"
    assert any("CBS, 2023" in shown(c.value) for c in at.caption)


def test_overview_lists_every_region_of_a_kind() -> None:
    at = page("pages/2_Regio-overzicht.py").run()
    at.selectbox(key="overview_kind").set_value(RegionKind.WERKREGIO).run()
    table = at.dataframe[0].value
    assert sorted(table["Naam"]) == sorted(
        ["Groningen/Noord-Drenthe", "Noordelijke Vechtstromen", "Fluvius", "Twents Waternet"]
    )


def test_lineage_page_shows_the_2019_mergers() -> None:
    at = page("pages/8_Herindelingen.py").run()
    at.selectbox(key="lineage_from").set_value(2018)
    at.selectbox(key="lineage_to").set_value(2019).run()
    table = at.table[0].value
    assert set(table["gemeente"]) == {"Groningen", "Het Hogeland", "Westerkwartier"}
    row = table[table["gemeente"] == "Westerkwartier"].iloc[0]
    assert "van Winsum" in row["plus delen van"]
    assert set(table["ingangsdatum"]) == {"01-01-2019"}


def test_lineage_page_dates_every_merger_since_2017() -> None:
    at = page("pages/8_Herindelingen.py").run()  # 2017 -> 2024 by default
    table = at.table[0].value
    dates = dict(zip(table["gemeente"], table["ingangsdatum"], strict=True))
    # FACTS.md (CBS): 2018-01-01, 2019-01-01 and 2021-01-01.
    assert dates == {
        "Midden-Groningen": "01-01-2018",
        "Westerwolde": "01-01-2018",
        "Groningen": "01-01-2019",
        "Het Hogeland": "01-01-2019",
        "Westerkwartier": "01-01-2019",
        "Eemsdelta": "01-01-2021",
        "Hengelo (O.)": "01-01-2023",  # only the label changed in the 2023 file
    }
    years = [int(d[-4:]) for d in table["ingangsdatum"]]
    assert years == sorted(years)  # oldest first


def test_missing_data_folder_gives_a_dutch_message(
    tmp_path: Path, app_home: Callable[..., Path]
) -> None:
    app_home(data=tmp_path / "weg")
    at = page("app.py").run()
    assert not at.exception
    assert "De brongegevens zijn niet gevonden" in shown(at.error[0].value)
    assert "ADAPTATIE_DATA_DIR" in shown(at.error[0].value)


def test_bad_data_file_gives_a_dutch_message(
    synthetic_dir: Path, app_home: Callable[..., Path]
) -> None:
    (synthetic_dir / "cbs_gemeenten_2017.geojson").write_text("kapot", encoding="utf-8")
    app_home(data=synthetic_dir)
    at = page("pages/9_Bronnen.py").run()
    assert not at.exception
    assert "cbs_gemeenten_2017.geojson" in shown(at.error[0].value)
    assert "Oplossing:" in shown(at.error[0].value)


def test_stresstest_page_without_layers_says_how_to_add_them() -> None:
    at = page("pages/4_Stresstest.py").run()
    assert not at.exception
    assert "Er zijn nog geen stresstestlagen" in shown(at.info[0].value)


def test_stresstest_page_ranks_regions_and_labels_synthetic(demo_layers: None) -> None:
    at = page("pages/4_Stresstest.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="st_set").set_value("werkregio").run()
    assert any("SYNTHETISCHE laag" in shown(w.value) for w in at.warning)
    ranking = at.dataframe[0].value
    assert sorted(ranking["Regio"]) == sorted(
        ["Groningen/Noord-Drenthe", "Noordelijke Vechtstromen", "Fluvius", "Twents Waternet"]
    )
    assert all(v.endswith(" %") for v in ranking["70 mm in 2 uur"])
    assert any("grensjaar 2024" in c.value and "Methode" in shown(c.value) for c in at.caption)
    at.toggle(key="st_compare").set_value(True).run()
    compared = at.dataframe[0].value
    assert {"70 mm in 2 uur", "140 mm in 2 uur", "Verschil"} <= set(compared.columns)
    # Compare mode: both class charts list the regions in one order, without the lowest class
    # ("< 5 cm", most of the area), and every region gets its label.
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert len(specs) == 2
    orders = [spec["encoding"]["y"]["sort"] for spec in specs]
    assert orders[0] == orders[1]
    assert sorted(orders[0]) == sorted(ranking["Regio"])
    assert all(spec["encoding"]["y"]["axis"]["labelOverlap"] is False for spec in specs)
    for spec in specs:
        assert "< 5 cm" not in spec["encoding"]["color"]["scale"]["domain"]
        assert spec["encoding"]["color"]["scale"]["domain"][0] == "5-10 cm"


def test_stresstest_ranking_is_the_hand_computed_order(
    synthetic_dir: Path,
    tmp_path: Path,
    app_home: Callable[..., Path],
    ramp_raster: Callable[[Path], Path],
) -> None:
    # The SYNTHETIC ramp is 10 + x °C (x in km): in 2017 Aadorp (x 0-10 km) has mean 15 °C,
    # Beedorp (10-20) 25 °C, Ceedorp (20-30) 35 °C, and only Ceedorp lies partly above 35 °C
    # (x 25-30: half of its area).
    regions = write_regions_file(tmp_path / "regions.toml")
    home = app_home(data=synthetic_dir, regions=regions)
    workspace = Workspace(synthetic_dir, regions, home=home)
    request = LayerRequest(
        "hitte-ramp", workspace.themes["hitte"], "SYNTHETISCHE helling", "°C", synthetic=True
    )
    add_layer(
        workspace.catalogue,
        ramp_raster(tmp_path / "ramp.tif"),
        request,
        workspace.atlas.study_area(),
    )
    at = page("pages/4_Stresstest.py").run()
    at.select_slider(key="grensjaar").set_value(2017)
    at.selectbox(key="st_set").set_value("gemeente").run()
    assert not at.exception, at.exception
    above = at.dataframe[0].value
    assert (above["Regio"].iloc[0], above["SYNTHETISCHE helling"].iloc[0]) == ("Ceedorp", "50,0 %")
    at.selectbox(key="st_indicator").set_value("mean").run()
    means = at.dataframe[0].value
    assert means["Regio"].tolist() == ["Ceedorp", "Beedorp", "Aadorp"]
    assert means["SYNTHETISCHE helling"].tolist() == ["35,00 °C", "25,00 °C", "15,00 °C"]


def test_layers_page_lists_the_catalogue(demo_layers: None) -> None:
    at = page("pages/5_Stresstestlagen.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert "demo-hitte" in set(table["Id"])
    assert set(table["Synthetisch"]) == {"ja"}


def test_map_page_shows_a_synthetic_layer_with_its_label(demo_layers: None) -> None:
    at = page("app.py").run()
    at.selectbox(key="map_raster").set_value("demo-wateroverlast-70mm").run()
    assert not at.exception
    assert any("synthetisch" in shown(w.value) for w in at.warning)
    expected = "Stresstestlaag: Wateroverlast · 70 mm in 2 uur"
    assert any(expected in shown(c.value) for c in at.caption)
    # A selected region gets the detail image, and the overview a hole under it.
    at.selectbox(key="picker_kind").set_value(RegionKind.CLUSTER).run()
    at.selectbox(key="picker_region").set_value("DAL").run()
    assert not at.exception, at.exception
    # The layer's hotspots (above its highest threshold, 30 cm) as a layer of the map.
    assert at.toggle(key="map_hotspots").label == "Hotspots (meer dan 0,30 m)"
    at.toggle(key="map_hotspots").set_value(True).run()
    assert not at.exception, at.exception
    assert any("bereikt door een maatregel" in c.value for c in at.caption)


@pytest.mark.parametrize(
    "region_set",
    ["gemeente", "cluster", "samenwerkingsverband", "waterschap", "gemeente-waterschap"],
)
def test_stresstest_page_for_every_region_set(demo_layers: None, region_set: str) -> None:
    at = page("pages/4_Stresstest.py").run()
    at.selectbox(key="st_theme").set_value("hitte")
    at.selectbox(key="st_set").set_value(region_set).run()
    assert not at.exception, at.exception
    ranking = at.dataframe[0].value
    assert len(ranking) > 0


def test_region_panel_offers_the_council_report(demo_layers: None) -> None:
    at = page("app.py").run()
    at.selectbox(key="picker_kind").set_value(RegionKind.CLUSTER).run()
    at.selectbox(key="picker_region").set_value("DAL").run()
    at = next(b for b in at.button if b.label == "Raadsrapportage maken (pdf)").click().run()
    assert not at.exception, at.exception
    assert any(
        key.startswith("report_cluster_DAL_2024") and key.endswith("download")
        for key in (b.key for b in at.get("download_button"))
    )
