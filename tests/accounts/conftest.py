"""Fixtures of the account tests: a migrated SQLite database and a store on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from adaptatie.accounts.store import AccountStore
from adaptatie.db.engine import make_engine, migrate


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'accounts.sqlite'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def accounts(engine: Engine) -> AccountStore:
    return AccountStore(engine)
