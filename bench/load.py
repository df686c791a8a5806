"""Load benchmark: 1, 5 and 20 browser sessions opening the map and the stress-test page at once.

Run from the project root (Chromium from Debian, `make test` installs it)::

    .venv/bin/python bench/load.py                 # 1, 5 and 20 sessions
    .venv/bin/python bench/load.py --sessions 1 5  # fewer

The script starts the app itself on a free loopback port with a home folder of its own holding the
SYNTHETIC demo layers (made once in ``.cache/bench-load``), and one headless Chromium with one
browser context per session. Every request to a host other than 127.0.0.1 is aborted: the load
stays on this machine. For each number of sessions, all sessions open a page at the same moment;
the figure per session is the time from the request to the page being usable (the map page: the
first region drawn in the map; the stress-test page: the ranking table shown). It prints the
medians and the slowest session, and the ratio to one session (target for the stress-test page at
20 sessions: at most 3x one session). Each session has at most 180 s; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".cache" / "bench-load"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LIMIT_S = 180.0
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
PAGES = {
    "kaart": ("", lambda page: page.frame_locator(MAP_FRAME).first.locator(
        "path.leaflet-interactive").first.wait_for(state="visible", timeout=LIMIT_S * 1000)),
    "stresstest": ("/Stresstest", lambda page: page.get_by_test_id("stDataFrame").first.wait_for(
        state="visible", timeout=LIMIT_S * 1000)),
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _home() -> Path:
    home = WORK / "home"
    if not (home / "layers" / "catalogue.json").is_file():
        print("Eenmalig: synthetische demolagen op 25 m maken …", flush=True)
        subprocess.run(
            [sys.executable, "-m", "adaptatie.cli", "--home", str(home), "demo"], check=True
        )
    return home


def _start_app(home: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADAPTATIE_")}
    env["ADAPTATIE_HOME"] = str(home)
    log = (WORK / "streamlit.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.read().decode().strip() == "ok":
                    return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("de app werd niet gezond binnen 90 s")


def _cpu_seconds(match: callable) -> float:
    """User + system CPU time of every process whose command line ``match``es (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not match(cmdline):
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except OSError:
            continue
    return total


def _server(cmdline: str) -> bool:
    return "streamlit run app.py" in cmdline


def _browser(cmdline: str) -> bool:
    return "chromium" in cmdline and "streamlit" not in cmdline


def _one_round(browser: object, url: str, path: str, ready: object, sessions: int) -> list[float]:
    """All sessions request the page at once; each time is until its page is usable."""
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in
                range(sessions)]
    pages = []
    for context in contexts:
        context.route("**/*", lambda route: route.continue_()
                      if "127.0.0.1" in route.request.url or route.request.url.startswith("data:")
                      else route.abort())
        pages.append(context.new_page())
    starts = [0.0] * sessions
    for index, page in enumerate(pages):  # navigation requests go out together, not awaited
        starts[index] = time.perf_counter()
        page.goto(url + path, wait_until="commit", timeout=LIMIT_S * 1000)
    times = []
    for index, page in enumerate(pages):
        try:
            ready(page)
            times.append(time.perf_counter() - starts[index])
        except Exception:  # a session that did not finish within the limit
            times.append(float("inf"))
    for context in contexts:
        context.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 20])
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    home = _home()
    process, url = _start_app(home)
    from playwright.sync_api import sync_playwright

    print(f"bench/load.py: {os.cpu_count()} cores; app op {url}; per sessie max {LIMIT_S:.0f} s")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for path, ready in PAGES.values():  # warm the server's caches once
                _one_round(browser, url, path, ready, 1)
            baseline: dict[str, float] = {}
            for sessions in args.sessions:
                for name, (path, ready) in PAGES.items():
                    server_cpu, browser_cpu = _cpu_seconds(_server), _cpu_seconds(_browser)
                    times = _one_round(browser, url, path, ready, sessions)
                    server_cpu = _cpu_seconds(_server) - server_cpu
                    browser_cpu = _cpu_seconds(_browser) - browser_cpu
                    median = statistics.median(times)
                    baseline.setdefault(name, median)
                    ratio = median / baseline[name]
                    slowest = max(times)
                    target = ""
                    if name == "stresstest" and sessions >= 20:
                        target = f"  doel ≤ 3x: {'OK' if ratio <= 3 else 'OVER'}"
                    print(f"{sessions:>3} sessies  {name:<11} mediaan {median:7.2f} s  traagste "
                          f"{slowest:7.2f} s  {ratio:5.1f}x één sessie{target}\n"
                          f"{'':15}CPU server {server_cpu:6.1f} s "
                          f"({server_cpu / sessions:4.2f} s per sessie), "
                          f"Chromium {browser_cpu:6.1f} s", flush=True)
            browser.close()
    finally:
        process.terminate()
        process.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
