"""Hostile text in every source file and every field a user can fill, on every page, in Chromium.

The payload tries each way in: HTML (``<img onerror>``, ``<script>``), a JavaScript template
literal (backticks, ``${…}``, `` `+(…)+` ``), Markdown maths (``$…$``), code (backticks) and
emphasis (``*…*``). Any script that runs sets ``window.top.__xss``. The test fails when a script
ran, when markup or Markdown from the payload was rendered, or when the text is not shown
literally where a user reads it (tooltips, legend, panel, warnings).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import rasterio
from playwright.sync_api import expect
from rasterio.transform import from_origin

from adaptatie.accounts.roles import Role
from adaptatie.dialogue.workshops import WorkshopBook
from adaptatie.finance.ledger import Ledger
from adaptatie.finance.records import ClimateTheme, Measure, Status
from adaptatie.io.ingest import LayerRequest, add_layer
from adaptatie.progress.book import Progress, ProgressBook
from adaptatie.workspace import Workspace
from tests.e2e.conftest import (
    EDITOR_PASSWORD,
    MAP_FRAME,
    ROOT,
    Server,
    add_accounts,
    running_app,
)

pytestmark = pytest.mark.e2e

PAYLOAD = (
    'Wadi `de Kolk` <img src=x onerror="window.top.__xss=1"><script>window.top.__xss=2</script>'
    " ${window.top.__xss=3} `+(window.top.__xss=4)+` $5 en $10 *vet* 'q' \"qq\""
)
LITERAL = "<img src=x"  # what a reader must see, as text
EMMEN = f"Emmen {PAYLOAD}"
CLUSTER = f"Kop van Drenthe {PAYLOAD}"
PATHS = "path.leaflet-interactive"


def _hostile_sources(shared: Path, folder: Path) -> tuple[Path, Path]:
    """A copy of the real source data with Emmen renamed, and region definitions likewise."""
    data = folder / "bron"
    shutil.copytree(shared, data)
    path = data / "cbs_gemeenten_2024.geojson"
    collection = json.loads(path.read_text())
    for feature in collection["features"]:
        if feature["properties"]["statcode"] == "GM0114":
            feature["properties"]["statnaam"] = EMMEN
    path.write_text(json.dumps(collection))
    regions = folder / "regions.toml"
    text = (ROOT / "geodata" / "regions.toml").read_text()
    assert 'name = "Kop van Drenthe"' in text
    # json.dumps writes a valid TOML basic string for this ASCII text.
    regions.write_text(text.replace('name = "Kop van Drenthe"', f"name = {json.dumps(CLUSTER)}"))
    return data, regions


def _hostile_layer(workspace: Workspace, folder: Path) -> None:
    """A small real GeoTIFF (water depth in m, 2 km pixels); scenario and source are hostile."""
    west, south, east, north = workspace.atlas.study_area().bounds
    size = 2000.0
    width, height = int((east - west) // size) + 1, int((north - south) // size) + 1
    values = np.linspace(0.0, 0.6, width * height, dtype="float32").reshape(height, width)
    tif = folder / "hostile.tif"
    with rasterio.open(
        tif,
        "w",
        driver="GTiff",
        width=width,
        height=height,
        count=1,
        dtype="float32",
        crs="EPSG:28992",
        transform=from_origin(west, north, size, size),
        nodata=-9999.0,
    ) as dst:
        dst.write(values, 1)
    request = LayerRequest(
        layer_id="vijandige-laag",
        theme=workspace.themes["wateroverlast"],
        scenario=PAYLOAD,
        unit="m",
        source=PAYLOAD,
        date="2024-06-30",
        licence=PAYLOAD,
    )
    add_layer(workspace.catalogue, tif, request, workspace.atlas.study_area())


def _hostile_records(home: Path) -> None:
    with Ledger.open(f"sqlite:///{home / 'adaptatie.sqlite'}") as ledger:
        ledger.add(
            Measure(
                id="M-XSS",
                name=PAYLOAD,
                werkregio="WR-NVS",
                status=Status.IDEE,
                themes=frozenset({ClimateTheme.WATEROVERLAST}),
                gemeente="Emmen",
                description=PAYLOAD,
                location_wkt="POINT (256500 532500)",
            ),
            user=PAYLOAD,
        )
        ProgressBook(ledger.engine).save(
            Progress(region_kind="gemeente", region_code="GM0114", note=PAYLOAD), user=PAYLOAD
        )
        book = WorkshopBook(ledger.engine)
        workshop = book.create(
            region_kind="gemeente",
            region_code="GM0114",
            region_name=EMMEN,
            boundary_year=2024,
            held_on=dt.date(2026, 11, 20),
            place=PAYLOAD,
            participants=PAYLOAD,
            themes=("wateroverlast",),
            user=PAYLOAD,
        )
        for field in ("meekoppelkansen", "actions", "owners", "notes"):
            book.save_field(workshop.id, "wateroverlast", "", field, PAYLOAD, user=PAYLOAD)
            book.save_field(workshop.id, "wateroverlast", PAYLOAD, field, PAYLOAD, user=PAYLOAD)


@pytest.fixture(scope="module")
def hostile_server(
    shared_geodata: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("hostile")
    data, regions = _hostile_sources(shared_geodata, folder)
    home = folder / "home"
    workspace = Workspace(data, regions, home)
    _hostile_layer(workspace, folder)
    _hostile_records(home)
    add_accounts(home, {"wadi": (Role.FACILITATOR, PAYLOAD)})  # a hostile full name
    extra = {"ADAPTATIE_REGIONS_FILE": str(regions)}
    with running_app(data, home, folder / "streamlit.log", extra) as server:
        yield server


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    context.route(
        "**/*",
        lambda route: (
            route.abort()
            if "127.0.0.1" not in route.request.url and not route.request.url.startswith("data:")
            else route.continue_()
        ),
    )
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def assert_inert(page: object) -> None:
    """No payload script ran, and nothing of the payload became markup or Markdown."""
    assert page.evaluate("window.__xss === undefined"), page.evaluate("window.__xss")
    assert page.dialogs == []
    for frame in page.frames:
        assert frame.locator('img[src="x"]').count() == 0, frame.url
        assert frame.locator("em", has_text="vet").count() == 0, frame.url
        assert frame.locator("code", has_text="de Kolk").count() == 0, frame.url
        assert frame.locator(".katex").count() == 0, frame.url


def _map(page: object) -> object:
    frame = page.frame_locator(MAP_FRAME).first
    # Any region in view: after a click the map is zoomed to that region (others off-screen).
    frame.locator(f"{PATHS} >> visible=true").first.wait_for(state="visible", timeout=60_000)
    return frame


def test_map_tooltip_legend_and_panel_show_hostile_text_literally(
    page: object, hostile_server: Server
) -> None:
    page.goto(hostile_server.url)
    frame = _map(page)
    emmen = frame.locator("path.region-gemeente-GM0114")
    emmen.hover()
    tooltip = frame.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text(LITERAL)
    expect(tooltip).to_contain_text("${window.top.__xss=3}")

    # The cluster named in regions.toml, hovered on the map while the whole area is in view (a
    # click on Emmen below zooms the map there, with Kop van Drenthe off-screen).
    clusters = frame.locator(".leaflet-control-layers-overlays label", has_text="Clusters (2024)")
    clusters.locator("input").check()
    cluster_tip = frame.locator(".leaflet-tooltip", has_text="Kop van Drenthe")
    for _ in range(3):  # a hover while the new layer is still being drawn shows nothing
        frame.locator("path.region-cluster-KVD").hover(force=True)
        try:
            expect(cluster_tip).to_be_visible(timeout=10_000)
            break
        except AssertionError:
            page.mouse.move(0, 0)
    expect(cluster_tip).to_contain_text(LITERAL)
    assert_inert(page)
    clusters.locator("input").uncheck()  # so that the click below selects the municipality

    emmen.click()
    expect(page.get_by_role("heading", name="Emmen Wadi")).to_contain_text(LITERAL, timeout=30_000)
    assert_inert(page)

    # The layer with a hostile scenario and source, overlaid with its legend.
    page.get_by_label("Stresstestlaag op de kaart").click()
    page.get_by_role("option", name="Wateroverlast", exact=False).click()
    frame = _map(page)
    legend = frame.locator("#adaptatie-legend")
    expect(legend).to_contain_text(f"Bron: {PAYLOAD[:30]}", timeout=30_000)
    expect(legend).to_contain_text(LITERAL)
    expect(page.get_by_text("Stresstestlaag: Wateroverlast", exact=False)).to_contain_text(LITERAL)
    assert_inert(page)


def test_stress_test_page_choropleth_and_tables(page: object, hostile_server: Server) -> None:
    page.goto(f"{hostile_server.url}/Stresstest")
    frame = _map(page)
    frame.locator(PATHS).first.wait_for(state="visible", timeout=120_000)
    expect(page.get_by_text("bron Wadi", exact=False).first).to_contain_text(LITERAL)
    for index in range(frame.locator(PATHS).count()):
        frame.locator(PATHS).nth(index).hover(force=True)
        if "Emmen" in (frame.locator(".leaflet-tooltip").text_content() or ""):
            break
    expect(frame.locator(".leaflet-tooltip")).to_contain_text(EMMEN)
    assert_inert(page)


def test_finance_progress_workshop_and_sources_pages(page: object, hostile_server: Server) -> None:
    page.goto(f"{hostile_server.url}/Cofinanciering")
    frame = _map(page)
    marker = frame.locator(PATHS).last  # the measure, drawn after the werkregio outlines
    marker.hover(force=True)
    expect(frame.locator(".leaflet-tooltip")).to_contain_text(f"M-XSS — {PAYLOAD[:20]}")
    expect(frame.locator(".leaflet-tooltip")).to_contain_text(LITERAL)
    assert_inert(page)

    page.goto(f"{hostile_server.url}/DPRA-voortgang")
    frame = _map(page)
    frame.locator("path.leaflet-interactive").first.wait_for(state="visible")
    expect(page.get_by_text("Stand van zaken")).to_be_visible()
    assert_inert(page)

    page.goto(f"{hostile_server.url}/Risicodialoog")
    box = page.get_by_role("combobox", name="Risicodialoog")
    expect(box).to_be_visible(timeout=60_000)
    box.click()
    page.get_by_role("option", name="Emmen Wadi", exact=False).click()
    # The follower's view: heading, map caption, sentences and sources.
    expect(page.get_by_role("heading", name="Wateroverlast in Emmen")).to_contain_text(
        LITERAL, timeout=60_000
    )
    assert_inert(page)
    # The facilitator's view: the hotspot and every outcome field.
    page.get_by_label("Gebruikersnaam").fill("wadi")
    page.get_by_label("Wachtwoord").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("(wadi), rol facilitator", exact=False)).to_contain_text(
        LITERAL, timeout=30_000
    )
    expect(page.get_by_text(f"Hotspot: {PAYLOAD[:25]}", exact=False)).to_be_visible(timeout=60_000)
    assert_inert(page)

    for path in ("Bronnen", "Regio-overzicht", "Stresstestlagen", "Herindelingen"):
        page.goto(f"{hostile_server.url}/{path}")
        expect(page.locator("h1")).to_be_visible(timeout=60_000)
        page.wait_for_timeout(500)
        assert_inert(page)
