"""ADAPTATIE_PUBLIC_READ=0: every page asks to log in first; with a lezer account it opens."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from adaptatie.accounts.roles import Role
from adaptatie.config import DATA_DIR_ENV, HOME_ENV
from tests.logins import add_account, login
from tests.pagetext import shown

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def home(shared_geodata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv(DATA_DIR_ENV, str(shared_geodata))
    monkeypatch.setenv(HOME_ENV, str(home))
    monkeypatch.setenv("ADAPTATIE_PUBLIC_READ", "0")
    monkeypatch.delenv("ADAPTATIE_DB_URL", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    home.mkdir(parents=True)
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
