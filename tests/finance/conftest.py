"""Fixtures of the ledger tests: a throwaway PostgreSQL server and a ledger on both backends.

The PostgreSQL server is started once per test session from the Debian binaries
(``/usr/lib/postgresql/*/bin``; package ``postgresql``), in a private temporary folder, listening
only on a Unix socket in that folder (no TCP port), and stopped at the end. initdb refuses to run
as root, so as root the folder belongs to the ``postgres`` system user and the server runs via
``runuser -u postgres --``. Without the binaries the PostgreSQL cases are skipped, except when the
environment variable ``CI`` is set: then they fail.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from adaptatie.finance.ledger import Ledger
from tests.finance.factories import require_postgres_binaries

PG_PORT = 5432  # only the name of the socket file in our private folder


@dataclass(frozen=True)
class PgServer:
    socket_dir: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def admin(self, sql: str) -> None:
        engine = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()


def _pg_bin() -> Path | None:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return candidates[-1].parent if candidates else None


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _stop_orphans(bindir: Path) -> None:
    """Stop servers of earlier test sessions that were killed before they could clean up."""
    for root in Path(tempfile.gettempdir()).glob("adaptatie-pg-*"):
        owner = root / "owner.pid"
        try:
            pid = int(owner.read_text())
        except (OSError, ValueError):
            continue
        try:
            os.kill(pid, 0)
            continue  # that session is still running
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        if (root / "data" / "postmaster.pid").exists():
            subprocess.run(
                _as_server_user(
                    [
                        str(bindir / "pg_ctl"),
                        "-D",
                        str(root / "data"),
                        "-m",
                        "immediate",
                        "-w",
                        "stop",
                    ]
                ),
                check=False,
                capture_output=True,
            )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bindir = require_postgres_binaries(_pg_bin())
    _stop_orphans(bindir)
    root = Path(tempfile.mkdtemp(prefix="adaptatie-pg-"))
    data, sockets, log = root / "data", root / "sock", root / "server.log"
    sockets.mkdir()
    (root / "owner.pid").write_text(str(os.getpid()))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    run = lambda args: subprocess.run(  # noqa: E731
        _as_server_user(args), check=True, capture_output=True, text=True
    )
    try:
        run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{sockets}' -p {PG_PORT} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c lock_timeout=20s"  # a test that deadlocks fails instead of hanging
        )
        run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ]
        )
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr or ""
        if log.exists():
            detail += log.read_text(errors="replace")
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"PostgreSQL starten mislukt: {detail}")
    try:
        yield PgServer(sockets, PG_PORT)
    finally:
        subprocess.run(
            _as_server_user(
                [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
            ),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


_counter = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.sqlite'}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = f"ledger_{os.getpid()}_{next(_counter)}"
    server.admin(f"CREATE DATABASE {name}")
    try:
        yield server.url(name)
    finally:
        server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def new_db_url(
    request: pytest.FixtureRequest, tmp_path: Path, db_url: str
) -> Iterator[Callable[[], str]]:
    """A factory of further empty databases on the same backend as ``db_url``."""
    created: list[str] = []

    def make() -> str:
        if db_url.startswith("sqlite"):
            return f"sqlite:///{tmp_path / f'extra{next(_counter)}.sqlite'}"
        server: PgServer = request.getfixturevalue("pg_server")
        name = f"extra_{os.getpid()}_{next(_counter)}"
        server.admin(f"CREATE DATABASE {name}")
        created.append(name)
        return server.url(name)

    yield make
    if created:
        server = request.getfixturevalue("pg_server")
        for name in created:
            server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class Clock:
    """A controllable UTC clock: each call advances one second."""

    def __init__(self) -> None:
        self.now = dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ledger(db_url: str, clock: Clock) -> Iterator[Ledger]:
    """A migrated, seeded ledger on SQLite and on PostgreSQL."""
    with Ledger.open(db_url, clock=clock) as opened:
        yield opened
