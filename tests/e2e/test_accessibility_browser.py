"""axe-core (from the npm registry, installed at setup) on every page, in the default and the
large-type mode: no serious or critical WCAG 2.1 A/AA violation.

What axe cannot judge (keyboard order, visible focus, zoom to 200 %, whether a text alternative
says the same as the map) is listed in the README and on the Toegankelijkheid page; the keyboard
route to a region is checked below.
"""

from __future__ import annotations

import json
import os

import pytest
from playwright.sync_api import expect

from adaptatie.assets import AXE_VERSION, axe_file
from tests.e2e.conftest import ARTIFACTS, Server

pytestmark = pytest.mark.e2e

PAGES = (
    "",
    "Regio-overzicht",
    "Risicodialoog",
    "Stresstest",
    "Stresstestlagen",
    "Cofinanciering",
    "DPRA-voortgang",
    "Herindelingen",
    "Bronnen",
    "Toegankelijkheid",
)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe_source() -> str:
    path = axe_file()
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core {AXE_VERSION} ontbreekt: make setup had het moeten installeren.")
        pytest.skip(f"axe-core ontbreekt ({path}); voer 'make setup' uit")
    return path.read_text(encoding="utf-8")


def settle(page: object) -> None:
    """Wait until Streamlit has finished the script run and the page stopped changing."""
    expect(page.locator("h1").first).to_be_visible(timeout=90_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000
    )
    page.wait_for_timeout(1500)


def audit(page: object, axe_source: str) -> list[dict]:
    """The serious and critical violations axe finds on the page (frames included)."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        TAGS,
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(map(str, n["target"])) for n in v["nodes"][:5]]
        lines.append(f"{v['impact']} {v['id']}: {v['help']} -> {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("large", [False, True], ids=["gewoon", "grote-letters"])
@pytest.mark.parametrize("path", PAGES, ids=[p or "Regionale_waterkaart" for p in PAGES])
def test_no_serious_violations(
    browser: object, app_server: Server, axe_source: str, path: str, large: bool
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(f"{app_server.url}/{path}")
        settle(page)
        if large:
            page.get_by_text("Grote letters", exact=True).click()
            settle(page)
            size = page.evaluate(
                "parseFloat(getComputedStyle(document.querySelector('p')).fontSize)"
            )
            assert size >= 20  # 1,45 rem: the mode is on
        violations = audit(page, axe_source)
        if violations:
            ARTIFACTS.mkdir(exist_ok=True)
            name = f"axe-{path or 'home'}-{'groot' if large else 'gewoon'}.json"
            (ARTIFACTS / name).write_text(json.dumps(violations, indent=1), encoding="utf-8")
        assert not violations, describe(violations)
    finally:
        context.close()


def test_every_region_is_reachable_by_keyboard(browser: object, app_server: Server) -> None:
    """Without a mouse: Tab to the region picker, type a kind and a name, Enter; the panel shows
    the region (here cluster DAL)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(app_server.url)
        settle(page)
        kind = page.get_by_role("combobox", name="Soort regio")
        presses = 0  # Tab through the page until the picker has the focus
        while not kind.evaluate("e => e === document.activeElement"):
            presses += 1
            if presses > 300:
                pytest.fail("de regiokeuze is niet met Tab te bereiken")
            page.keyboard.press("Tab")
        print(f"regiokeuze na {presses} keer Tab")  # the map's controls and regions come first
        page.keyboard.type("Cluster")
        page.keyboard.press("Enter")
        settle(page)
        region = page.get_by_role("combobox", name="Regio", exact=True)
        region.focus()  # the next control after the kind
        page.keyboard.type("DAL")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="DAL")).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Tekstalternatief bij de kaart")).to_be_visible()
    finally:
        context.close()


# The font size of the text itself: Streamlit puts a heading's text in a span of its own.
TEXT_SIZES = """() => {
  const size = (selector) => {
    const element = document.querySelector(selector);
    if (!element) return null;
    const text = element.querySelector('[data-heading-text]') || element;
    return parseFloat(getComputedStyle(text).fontSize);
  };
  return {
    h1: size('[data-testid="stMain"] h1'),
    h3: size('[data-testid="stMain"] h3'),
    body: size('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p'),
  };
}"""


def test_large_type_makes_headings_larger_not_smaller(browser: object, app_server: Server) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(f"{app_server.url}/Toegankelijkheid")
        settle(page)
        normal = page.evaluate(TEXT_SIZES)
        page.get_by_text("Grote letters", exact=True).click()
        settle(page)
        large = page.evaluate(TEXT_SIZES)
        print(f"gewoon {normal}, grote letters {large}")
        for sizes in (normal, large):
            assert sizes["h1"] > sizes["h3"] > sizes["body"], sizes
        for element in ("h1", "h3", "body"):
            assert large[element] > normal[element], (element, normal, large)
    finally:
        context.close()


# Every cell of the Herindelingen table: is its text cut off (wider than the cell), and does the
# table reach beyond the page's main column?
TABLE_FIT = """() => {
  const table = document.querySelector('[data-testid="stTable"] table');
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const cells = [...table.querySelectorAll('th, td')];
  return {
    headers: [...table.querySelectorAll('thead th')].map(th => th.textContent.trim()),
    tableRight: table.getBoundingClientRect().right,
    mainRight: main.getBoundingClientRect().right,
    columnWidth: table.closest('[data-testid="stVerticalBlock"]').getBoundingClientRect().width,
    tableWidth: table.getBoundingClientRect().width,
    cut: cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent.trim()),
  };
}"""


def test_herindelingen_table_fits_at_1280_px(browser: object, app_server: Server) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(f"{app_server.url}/Herindelingen")
        settle(page)
        expect(page.get_by_text("Eemsdelta", exact=True)).to_be_visible()
        fit = page.evaluate(TABLE_FIT)
        assert fit["headers"][:2] == ["ingangsdatum", "soort"], fit
        assert "plus delen van" in fit["headers"], fit
        assert not fit["cut"], fit
        assert fit["tableRight"] <= fit["mainRight"] + 1, fit  # no column beyond the page
        assert fit["tableWidth"] >= fit["columnWidth"] - 2, fit  # the full width of the page
        expect(page.get_by_text("01-01-2021", exact=True)).to_be_visible()
    finally:
        context.close()
