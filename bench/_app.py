"""The app as the browser benchmarks serve it: ``streamlit run app.py`` on a free loopback port,
and a route handler that keeps the browser's requests on this machine.

Used by bench/map.py, bench/workshop.py and bench/load.py; they run as scripts, so bench/ is on
``sys.path`` and they import this module as ``_app``.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
HEALTH_TIMEOUT_S = 90.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at this moment."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def streamlit_server(home: Path | None = None) -> Iterator[str]:
    """``streamlit run server.py`` (app.py behind adaptatie.ui.frontend) on a free port; yields
    its URL once healthy, always terminates.

    With ``home`` the app uses that home folder and its own SQLite database there
    (``ADAPTATIE_DB_URL`` is dropped); without, it inherits the environment as it is.
    """
    with streamlit_process(home) as (url, _pid):
        yield url


@contextlib.contextmanager
def streamlit_process(home: Path | None = None) -> Iterator[tuple[str, int]]:
    """:func:`streamlit_server`, yielding the URL and the server's process id (for its CPU)."""
    port = free_port()
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed in finally)
    command = [
        *(sys.executable, "-m", "streamlit", "run", "server.py"),
        *("--server.headless", "true", "--server.port", str(port)),
        *("--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"),
    ]
    env = dict(os.environ)
    if home is not None:
        env["ADAPTATIE_HOME"] = str(home)
        env.pop("ADAPTATIE_DB_URL", None)
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}: {_tail(log)}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"no health after {HEALTH_TIMEOUT_S:g} s: {_tail(log)}")
            time.sleep(0.2)
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


# A Playwright route pattern for every request that is not to this machine (or inline data):
# ``context.route(NOT_LOCAL, lambda route: route.abort())`` leaves the requests to the app
# unintercepted, so the interception costs nothing per request (bench/load.py).
NOT_LOCAL = re.compile(r"^(?!(https?://(127\.0\.0\.1|localhost)[:/]|data:|blob:|about:))")


def local_only(route: object) -> None:
    """A Playwright route handler: web requests to another host are aborted, the rest go on."""
    parsed = urlparse(route.request.url)
    if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOCAL_HOSTS:
        route.abort()
    else:
        route.continue_()


def _tail(log: io.TextIOBase) -> str:
    log.seek(0)
    return " | ".join(log.read().strip().splitlines()[-5:])
