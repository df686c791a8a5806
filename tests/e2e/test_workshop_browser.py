"""A facilitator and a following presentation screen in two real browser pages."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from adaptatie.dialogue.workshops import WorkshopBook
from adaptatie.finance.ledger import Ledger
from tests.e2e.conftest import ARTIFACTS, EDITOR_PASSWORD, Server

pytestmark = pytest.mark.e2e


def choose(page: object, title: str) -> None:
    """Pick a workshop in the sidebar's select box once the page has rendered it."""
    box = page.get_by_role("combobox", name="Risicodialoog")
    expect(box).to_be_visible(timeout=60_000)
    box.click()
    page.get_by_role("option", name=title).click()


def test_follower_screen_follows_the_facilitator(browser: object, app_server: Server) -> None:
    with Ledger.open(f"sqlite:///{app_server.home / 'adaptatie.sqlite'}") as ledger:
        workshop = WorkshopBook(ledger.engine).create(
            region_kind="gemeente",
            region_code="GM0119",
            region_name="Meppel",
            boundary_year=2024,
            held_on=dt.date(2026, 11, 20),
            place="Stadhuis Meppel",
            participants="raad, bewoners",
            themes=("wateroverlast", "hitte"),
            user="Facilitator",
        )
    follower_context = browser.new_context(viewport={"width": 1400, "height": 1000})
    facilitator_context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        follower = follower_context.new_page()
        follower.goto(f"{app_server.url}/Risicodialoog")
        choose(follower, workshop.title)
        expect(follower.get_by_text("Stap 1 van 2: Wateroverlast")).to_be_visible(timeout=30_000)
        follower.get_by_text("Volgt de facilitator").click()
        expect(follower.get_by_label("Gebruikersnaam")).to_have_count(0)  # no login box
        expect(follower.get_by_text("U volgt de sessie van Facilitator: Meppel")).to_be_visible()

        facilitator = facilitator_context.new_page()
        facilitator.goto(f"{app_server.url}/Risicodialoog")
        expect(facilitator.get_by_label("Gebruikersnaam")).to_be_visible(timeout=60_000)
        facilitator.get_by_label("Gebruikersnaam").fill("facilitator")
        facilitator.get_by_label("Wachtwoord").fill(EDITOR_PASSWORD)
        facilitator.get_by_role("button", name="Inloggen").click()
        logged_in = facilitator.get_by_text("facilitator, rol facilitator")
        expect(logged_in).to_be_visible(timeout=30_000)
        # A reload keeps the login (the session cookie), and the URL holds no secret. The cookie
        # is set by a script in the page once the run reached the browser: wait for it first.
        facilitator.wait_for_function(
            "() => document.cookie.includes('adaptatie_sessie=')", timeout=30_000
        )
        facilitator.reload()
        expect(logged_in).to_be_visible(timeout=60_000)
        assert "sessie" not in facilitator.url and "token" not in facilitator.url
        cookie = next(c for c in facilitator_context.cookies() if c["name"] == "adaptatie_sessie")
        assert cookie["sameSite"] == "Strict" and cookie["expires"] > 0
        choose(facilitator, workshop.title)
        expect(facilitator.get_by_text("Wat besluit de groep?")).to_be_visible(timeout=30_000)
        facilitator.get_by_role("button", name="Volgende ▶").click()
        expect(facilitator.get_by_text("Stap 2 van 2: Hitte")).to_be_visible(timeout=30_000)

        # The presentation screen follows by itself (bench/workshop.py measures how soon; the
        # timeout here only bounds a wait, it is no timing claim).
        expect(follower.get_by_text("Stap 2 van 2: Hitte")).to_be_visible(timeout=10_000)
        # The map's caption names the layer (the synthetic warning names it too: not that one).
        expect(follower.get_by_test_id("stImageCaption")).to_contain_text(
            "Hitte · hete dag 12-18 uur"
        )
        expect(follower.get_by_text("gevoelstemperatuur boven 35 °C", exact=False)).to_be_visible(
            timeout=30_000
        )
        expect(follower.get_by_text("Wateroverlast ·", exact=False)).to_have_count(0)
        # The map's legend is page text at projector size (the image has none of its own).
        legend = follower.locator(".adaptatie-projector-legend")
        expect(legend).to_contain_text("sterke (35-41 °C)")
        sizes = legend.locator("li, .adaptatie-legend-title").evaluate_all(
            "items => items.map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert len(sizes) == 7 and min(sizes) >= 18, sizes  # title, outline, five classes
        ARTIFACTS.mkdir(exist_ok=True)
        follower.screenshot(path=str(ARTIFACTS / "risicodialoog-volgscherm.png"), full_page=True)
    finally:
        follower_context.close()
        facilitator_context.close()
