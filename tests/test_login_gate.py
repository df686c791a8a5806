"""ADAPTATIE_PUBLIC_READ=0: every page asks to log in first; with a lezer account it opens."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from adaptatie.accounts.roles import Role
from tests.logins import add_account, login
from tests.pagetext import shown

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def home(app_home: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ADAPTATIE_PUBLIC_READ", "0")
    home = app_home()
    add_account(home, "lezer", Role.LEZER)
    return home


def test_pages_need_a_login_when_public_reading_is_off() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/8_Herindelingen.py")
    at = at.run()
    assert not at.exception
    assert any("alleen toegankelijk na inloggen" in shown(i.value) for i in at.info)
    assert not at.dataframe and not at.table  # nothing of the page itself
    at = login(at, "lezer")
    assert not at.exception
    assert not any("alleen toegankelijk na inloggen" in shown(i.value) for i in at.info)
    assert any("lezer, rol lezer" in shown(c.value) for c in at.sidebar.caption)
