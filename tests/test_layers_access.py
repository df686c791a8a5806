"""Stresstestlagen through AppTest: only a beheerder adds or removes layers; removing needs a
confirmation and no layer is chosen for the user."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from adaptatie.accounts.roles import Role
from adaptatie.workspace import Workspace
from tests.logins import add_account, login
from tests.pagetext import shown

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def home(app_home: Callable[..., Path]) -> Path:
    home = app_home(demo_m=4000.0)  # SYNTHETIC demo layers at 4 km
    add_account(home, "beheer", Role.BEHEERDER)
    add_account(home, "redactie", Role.REDACTEUR)
    return home


def layers_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/5_Stresstestlagen.py")
    return at.run()


def layer_ids(home: Path) -> list[str]:
    return [r.id for r in Workspace(home=home).catalogue.layers()]


@pytest.mark.parametrize("user", [None, "redactie"])
def test_without_the_beheerder_role_nothing_can_be_added_or_removed(
    home: Path, user: str | None
) -> None:
    at = layers_page()
    if user:
        at = login(at, user)
    assert not at.exception
    subheaders = [shown(s.value) for s in at.subheader]
    assert "Laag toevoegen" not in subheaders and "Laag verwijderen" not in subheaders
    assert not [b for b in at.button if b.label in ("Verwijderen", "Demolagen maken")]
    assert any("rol beheerder" in shown(i.value) for i in at.info)
    assert len(layer_ids(home)) == 5


def test_removing_asks_for_confirmation_and_nothing_is_preselected(home: Path) -> None:
    before = layer_ids(home)
    at = login(layers_page(), "beheer")
    box = at.selectbox(key="remove_layer")
    assert box.value is None  # not the main demo layer, not any layer
    button = next(b for b in at.button if b.key == "remove_button")
    assert button.disabled
    at = box.set_value(before[0]).run()
    assert next(b for b in at.button if b.key == "remove_button").disabled  # not confirmed yet
    at = at.checkbox(key="remove_sure").check().run()
    at = next(b for b in at.button if b.key == "remove_button").click().run()
    assert not at.exception
    assert layer_ids(home) == before[1:]
