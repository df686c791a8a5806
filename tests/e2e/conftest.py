"""End-to-end fixtures: the app started by the test, and Debian's headless Chromium.

Every request to a host other than this machine is aborted, so the tests prove that the map
works without internet. Chromium is installed by `make test` (scripts/install_system.sh); where
it is missing the tests are skipped, except in CI, where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from adaptatie.accounts.roles import Role
from adaptatie.accounts.store import AccountStore
from adaptatie.db.engine import make_engine, migrate
from adaptatie.stresstest.demo import install_demo
from adaptatie.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def chromium_path() -> str | None:
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


EDITOR_PASSWORD = "e2e-wachtwoord-van-elk-account"  # of every account in ACCOUNTS
# username -> (role, full name): the accounts every test server starts with
ACCOUNTS = {
    "facilitator": (Role.FACILITATOR, ""),
    "redacteur": (Role.REDACTEUR, ""),
    "beheerder": (Role.BEHEERDER, ""),
    "lezer": (Role.LEZER, ""),
}


def add_accounts(home: Path, accounts: dict[str, tuple[Role, str]]) -> None:
    """Store accounts (password :data:`EDITOR_PASSWORD`) in the home folder's database."""
    engine = make_engine(f"sqlite:///{home / 'adaptatie.sqlite'}")
    try:
        migrate(engine)
        store = AccountStore(engine)
        known = {a.username for a in store.list()}
        for username, (role, full_name) in accounts.items():
            if username not in known:
                store.add(username, role, EDITOR_PASSWORD, full_name=full_name)
    finally:
        engine.dispose()


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path
    home: Path


@contextmanager
def running_app(
    data_dir: Path, home: Path, log: Path, extra_env: dict[str, str] | None = None
) -> Iterator[Server]:
    """The app as a real Streamlit server on a free loopback port, stopped afterwards."""
    port = _free_port()
    add_accounts(home, ACCOUNTS)
    env = {
        **os.environ,
        "ADAPTATIE_DATA_DIR": str(data_dir),
        "ADAPTATIE_HOME": str(home),
        **(extra_env or {}),
    }
    env.pop("ADAPTATIE_DB_URL", None)
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "server.py",
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,  # .streamlit/config.toml is read from the working directory
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit stopte meteen:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                    if response.read().decode().strip() == "ok":
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit werd niet gezond binnen 60 s:\n{log.read_text()}")
                time.sleep(0.2)
        yield Server(url, process, log, home)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def app_server(shared_geodata: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("server")
    home = folder / "home"
    # SYNTHETIC demo layers at a coarse 2 km, so the raster overlay can be tested quickly.
    workspace = Workspace(shared_geodata, home=home)
    install_demo(workspace.catalogue, workspace.themes, workspace.atlas.study_area(), 2000.0)
    with running_app(shared_geodata, home, folder / "streamlit.log") as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail(
                "Chromium ontbreekt in CI: scripts/install_system.sh had het moeten installeren."
            )
        pytest.skip("Chromium ontbreekt (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class OfflinePage:
    page: object
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture
def offline_page(browser: object) -> Iterator[OfflinePage]:
    """A page in which every non-local request is aborted and recorded."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    result = OfflinePage(None)

    def route(route: object) -> None:
        url = urlparse(route.request.url)
        if url.scheme in ("data", "blob", "about") or url.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            result.blocked.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and result.console_errors.append(m.text))
    result.page = page
    yield result
    context.close()
