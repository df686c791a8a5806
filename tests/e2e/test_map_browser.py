"""The regional water map in a real headless Chromium, without internet."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, EDITOR_PASSWORD, MAP_FRAME, OfflinePage, Server

pytestmark = pytest.mark.e2e

PATHS = "path.leaflet-interactive"


def _open_map(offline_page: OfflinePage, app_server: Server) -> object:
    page = offline_page.page
    page.goto(app_server.url)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(PATHS).first.wait_for(state="visible", timeout=60_000)
    return frame


def test_map_renders_offline_layers_toggle_and_click_opens_panel(
    offline_page: OfflinePage, app_server: Server
) -> None:
    page = offline_page.page
    frame = _open_map(offline_page, app_server)
    paths = frame.locator(PATHS)
    # Default layers: the municipalities of 2024 in the three provinces (47) and the provinces
    # as outlines (3).
    expect(paths).to_have_count(50)
    expect(frame.locator("#adaptatie-legend")).to_contain_text("Legenda")
    expect(frame.locator("#adaptatie-legend")).to_contain_text("CBS/Kadaster")
    # Offline the PDOK tiles fail: one line says so, as a status message.
    notice = frame.locator(".adaptatie-basemap-notice[role=status]")
    expect(notice).to_have_text("Achtergrondkaart niet bereikbaar", timeout=30_000)
    # The background is no base layer to choose: no radio group with one option.
    expect(frame.locator(".leaflet-control-layers input[type=radio]")).to_have_count(0)
    assert (
        frame.locator(".leaflet-container").evaluate("e => getComputedStyle(e).overflow")
        == "hidden"
    )

    # Switch on the clusters: seven more polygons on top.
    clusters = frame.locator(".leaflet-control-layers-overlays label", has_text="Clusters (2024)")
    clusters.locator("input").check()
    expect(paths).to_have_count(57)
    clusters.locator("input").uncheck()
    expect(paths).to_have_count(50)

    # Click the municipality Emmen; its path carries the region's code as a class name.
    emmen = frame.locator("path.region-gemeente-GM0114")
    expect(emmen).to_be_visible()
    emmen.hover()
    expect(frame.locator(".leaflet-tooltip")).to_contain_text("Emmen")
    emmen.click()
    expect(page.get_by_role("heading", name="Emmen")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Gemeente · code GM0114 · grensjaar 2024")).to_be_visible()
    expect(page.get_by_text("346,6 km²")).to_be_visible()  # Emmen, CBS 2024 boundaries
    expect(paths).to_have_count(50)  # the map stayed (the outline is drawn in its own group)

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "waterkaart.png"), full_page=True)

    # Only the PDOK background tiles may have been attempted; nothing the map needs.
    hosts = {re.sub(r"^https?://([^/]+)/.*$", r"\1", u) for u in offline_page.blocked}
    assert hosts <= {"service.pdok.nl"}, offline_page.blocked


def test_a_phone_sized_screen_starts_with_legend_and_layer_box_folded(
    offline_page: OfflinePage, app_server: Server
) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 400, "height": 800})
    frame = _open_map(offline_page, app_server)
    control = frame.locator(".leaflet-control-layers")
    expect(control).not_to_have_class(re.compile("leaflet-control-layers-expanded"))
    assert not frame.locator("#adaptatie-legend details").evaluate("d => d.open")
    # The user can still open it (clicked in the page: the map's bottom edge lies below the
    # 800 px viewport here, where Playwright cannot scroll a fixed element of a frame to).
    frame.locator("#adaptatie-legend summary").evaluate("s => s.click()")
    assert frame.locator("#adaptatie-legend details").evaluate("d => d.open")


def test_year_change_redraws_the_map(offline_page: OfflinePage, app_server: Server) -> None:
    page = offline_page.page
    frame = _open_map(offline_page, app_server)
    expect(frame.locator(PATHS)).to_have_count(50)
    slider = page.get_by_role("slider", name="Grensjaar (gemeentelijke indeling)")
    # One year at a time, each after the page took the previous one: a press made while a rerun
    # is on its way can be undone by that rerun (the year is kept in the view state and set
    # into the slider on every run), which made this test stop a year or two short under load.
    # A press that lands while the slider is being redrawn is lost: press again (at most three
    # times) while the slider still shows the year before.
    for year in range(2023, 2016, -1):  # 2024 -> 2017
        for _ in range(3):
            if slider.get_attribute("aria-valuetext") == str(year + 1):
                slider.focus()
                page.keyboard.press("ArrowLeft")
            try:
                expect(slider).to_have_attribute("aria-valuetext", str(year), timeout=15_000)
                break
            except AssertionError:
                continue
        expect(slider).to_have_attribute("aria-valuetext", str(year))
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
        )
    # 2017: 60 municipalities in the three provinces (23 + 12 + 25) plus 3 province outlines.
    expect(frame.locator(PATHS)).to_have_count(63, timeout=60_000)
    expect(frame.locator(".leaflet-control-layers-overlays")).to_contain_text("Gemeenten (2017)")


def test_stress_test_overlay_and_legend_render_offline(
    offline_page: OfflinePage, app_server: Server
) -> None:
    page = offline_page.page
    frame = _open_map(offline_page, app_server)
    page.get_by_label("Stresstestlaag op de kaart").click()
    page.get_by_text("Wateroverlast · 70 mm in 2 uur (synthetisch)").click()
    overlay = frame.locator("img.leaflet-image-layer")
    expect(overlay).to_have_count(1, timeout=30_000)
    assert overlay.evaluate("img => img.complete && img.naturalWidth > 0")
    legend = frame.locator("#adaptatie-legend")
    expect(legend).to_contain_text("SYNTHETISCH")
    expect(legend).to_contain_text("15-20 cm")
    expect(legend).to_contain_text("(waterdiepte) — SYNTHETISCH")  # classes carry the unit
    # The legend lists only the layers that are on, and follows the layer box.
    expect(legend.locator('[data-layer="Gemeenten (2024)"]')).to_be_visible()
    water_boards = legend.locator('[data-layer="Waterschappen"]')
    expect(water_boards).to_be_hidden()
    frame.locator(".leaflet-control-layers-overlays label", has_text="Waterschappen").click()
    expect(water_boards).to_be_visible()
    frame.locator(".leaflet-control-layers-overlays label", has_text="Waterschappen").click()
    expect(water_boards).to_be_hidden()
    expect(page.get_by_text("Deze stresstestlaag is synthetisch", exact=False)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "waterkaart-stresstest.png"), full_page=True)
    hosts = {re.sub(r"^https?://([^/]+)/.*$", r"\1", u) for u in offline_page.blocked}
    assert hosts <= {"service.pdok.nl"}, offline_page.blocked

    # The object-layer upload (Hotspots, tab Objectlagen) in Dutch, with its real limit.
    # Without a login there is no upload at all, only the note on which role may add them.
    page.goto(f"{app_server.url}/Hotspots")
    page.get_by_role("tab", name="Objectlagen").click(timeout=90_000)
    expect(page.get_by_text("Objectlagen toevoegen kan na inloggen")).to_be_visible()
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    page.get_by_label("Gebruikersnaam").fill("beheerder")
    page.get_by_label("Wachtwoord").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("rol beheerder", exact=False).first).to_be_visible(timeout=30_000)
    uploader = page.get_by_test_id("stFileUploader")
    for _ in range(3):  # the rerun after the login may reset the tab just clicked
        page.get_by_role("tab", name="Objectlagen").click(timeout=90_000)
        try:
            expect(uploader).to_be_visible(timeout=20_000)
            break
        except AssertionError:
            continue
    expect(uploader).to_be_visible()
    expect(uploader.get_by_role("button", name="Bestand kiezen")).to_be_visible()
    shown = uploader.inner_text()  # what is rendered; Streamlit's English texts are hidden
    assert not re.search(r"Drag and drop|Upload|Browse|per file", shown), shown
    instructions = uploader.get_by_test_id("stFileUploaderDropzoneInstructions").locator("span")
    after = instructions.evaluate("e => getComputedStyle(e, '::after').content")
    assert after == '"of sleep het bestand hierheen"', after
    limit = "Eén bestand (.gpkg, .geojson, .json of .zip), ten hoogste 2.000 MB."
    expect(page.get_by_text(limit)).to_be_visible()
    # The empty date input beside it: dd - mm - jjjj, not yyyy.
    year = page.get_by_role("spinbutton", name="year, Datum van de gegevens")
    assert year.evaluate("e => getComputedStyle(e, '::after').content") == '"jjjj"'


# Every element of the panel's metrics (label and value): cut off (wider inside than shown), or
# ending in an ellipsis?
METRICS_CUT = """() => {
  const parts = [...document.querySelectorAll(
    '[data-testid="stMetricValue"], [data-testid="stMetricValue"] *,' +
    '[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *')];
  return {
    values: [...document.querySelectorAll('[data-testid="stMetricValue"]')]
      .map(e => e.textContent.trim()),
    cut: parts.filter(e => e.scrollWidth > e.clientWidth + 1
                           || getComputedStyle(e).textOverflow === 'ellipsis'
                           || e.textContent.trim().endsWith('…'))
      .map(e => e.textContent.trim()),
  };
}"""


def test_panel_values_wrap_on_a_768_px_tablet(browser: object, app_server: Server) -> None:
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(f"{app_server.url}/?soort=werkregio&regio=WR-TWN")
        expect(page.get_by_role("heading", name="Twents Waternet")).to_be_visible(timeout=90_000)
        expect(page.get_by_test_id("stMetricValue")).to_have_count(2, timeout=30_000)
        found = page.evaluate(METRICS_CUT)
        assert found["values"][0].endswith("km²") and "." in found["values"][1], found
        assert not found["cut"], found
    finally:
        context.close()


def test_stress_test_downloads_are_built_when_clicked(
    offline_page: OfflinePage, app_server: Server, tmp_path: Path
) -> None:
    # The page builds its CSV and GeoPackage only when a button is clicked: both must then
    # hold the four DPRA werkregio's and the SYNTHETIC label of the demo layer.
    page = offline_page.page
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.goto(f"{app_server.url}/Stresstest?laag=demo-wateroverlast-70mm&set=werkregio&jaar=2024")
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=90_000)
    werkregios = {
        "Groningen/Noord-Drenthe",
        "Noordelijke Vechtstromen",
        "Fluvius",
        "Twents Waternet",
    }
    with page.expect_download(timeout=60_000) as csv_download:
        page.get_by_role("button", name="Download CSV").click()
    assert csv_download.value.suggested_filename == (
        "stresstest_demo-wateroverlast-70mm_werkregio_2024.csv"
    )
    text = Path(csv_download.value.path()).read_bytes().decode("utf-8-sig")
    assert "SYNTHETISCH" in text.splitlines()[0]
    assert all(name in text for name in werkregios)
    with page.expect_download(timeout=60_000) as gpkg_download:
        page.get_by_role("button", name="Download GeoPackage").click()
    target = tmp_path / gpkg_download.value.suggested_filename
    gpkg_download.value.save_as(target)
    regions = gpd.read_file(target)
    assert set(regions["region_name"]) == werkregios
    # Opened at a page's own address, Streamlit's frontend first asks for its health and host
    # configuration below that address (404) and then at the root: no other error.
    probes = ("/Stresstest/_stcore/health", "/Stresstest/_stcore/host-config")
    assert all(url.endswith(probes) for url in missing), missing
    assert len(offline_page.console_errors) == len(missing), offline_page.console_errors
