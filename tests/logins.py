"""Test helpers: accounts in a home folder's ledger database, and logging in on an AppTest page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from adaptatie.accounts.roles import Role
from adaptatie.accounts.store import AccountStore
from adaptatie.db.engine import make_engine, migrate

PASSWORD = "lange-testzin-voor-het-account"


def add_account(home: Path, username: str, role: Role, password: str = PASSWORD) -> None:
    """Store an account in ``<home>/adaptatie.sqlite`` (migrated first)."""
    engine = make_engine(f"sqlite:///{home / 'adaptatie.sqlite'}")
    try:
        migrate(engine)
        AccountStore(engine).add(username, role, password)
    finally:
        engine.dispose()


def login(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    """Fill the sidebar login box and submit it."""
    at.text_input(key="login_username").set_value(username)
    at.text_input(key="login_password").set_value(password)
    return next(b for b in at.button if b.label == "Inloggen").click().run()
