"""Load benchmark: 1, 5 and 20 browser sessions opening the map and the stress-test page at once.

Run from the project root (Chromium from Debian, `make test` installs it)::

    .venv/bin/python bench/load.py                 # 1, 5 and 20 sessions
    .venv/bin/python bench/load.py --sessions 1 5  # fewer

The script starts the app itself on a free loopback port with a home folder of its own holding the
SYNTHETIC demo layers (made once in ``.cache/bench-load``), and one headless Chromium with one
browser context per session. Requests to any host other than 127.0.0.1 are aborted: the load
stays on this machine. For each number of sessions, all sessions open a page at the same moment;
the figure per session is the time from the request to the page being usable (the map page: the
first region drawn in the map; the stress-test page: the ranking table shown).

Two kinds of visitor, each with a browser context of its own:

- ``eerste bezoek``: an empty browser cache, so every session fetches Streamlit's whole frontend
  (about 150 files, 6 MB) from the server;
- ``terugkerend``: the session opened the page once before (unmeasured), so its browser has the
  frontend cached (Streamlit serves it as immutable), as a council member who used the link before.

Three parts, each printing per round the median and the slowest session, the ratio to one
session (target for the stress-test page at 20 sessions: at most 3x one session) and CPU seconds:

A. real Chromium sessions, all on this machine: they share its two cores with the server (the
   CPU of server, Chromium and Playwright's driver is printed), which real visitors do not;
B. the same loads without a browser (bench/load_replay.py): one real load of each page is
   recorded, then simulated visitors ask the server the same at once; the time is the server's
   part of a page load;
C. an estimate for visitors whose browsers run on their own machines: B at n sessions plus the
   browser's own part of one page load (A minus B at one session).

Each session has at most 180 s; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from _app import CHROMIUM, NOT_LOCAL, streamlit_process
from load_replay import record, replay

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".cache" / "bench-load"
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
VISITORS = {"eerste bezoek": False, "terugkerend": True}
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
PAGES = {
    "kaart": (
        "",
        lambda page: (
            page.frame_locator(MAP_FRAME)
            .first.locator("path.leaflet-interactive")
            .first.wait_for(state="visible", timeout=LIMIT_S * 1000)
        ),
    ),
    "stresstest": (
        "/Stresstest",
        lambda page: page.get_by_test_id("stDataFrame").first.wait_for(
            state="visible", timeout=LIMIT_S * 1000
        ),
    ),
}


def _home() -> Path:
    home = WORK / "home"
    if not (home / "layers" / "catalogue.json").is_file():
        print("Eenmalig: synthetische demolagen op 25 m maken …", flush=True)
        subprocess.run(
            [sys.executable, "-m", "adaptatie.cli", "--home", str(home), "demo"], check=True
        )
    return home


def _processes() -> dict[int, tuple[int, str, float]]:
    """Every process: pid -> (parent pid, command line, user + system CPU seconds) (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (
                (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            )
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        table[int(entry.name)] = (
            int(fields[1]),
            cmdline,
            (int(fields[11]) + int(fields[12])) / ticks,
        )
    return table


def _cpu(server_pid: int) -> tuple[float, float, float]:
    """CPU seconds so far of the app server, of our Chromium and of Playwright's driver: only
    processes below the server and below this script count, not other work on the machine."""
    table = _processes()

    def below(pid: int, root: int) -> bool:
        while pid > 1:
            if pid == root:
                return True
            pid = table[pid][0] if pid in table else 0
        return False

    server = chromium = driver = 0.0
    for pid, (_parent, cmdline, seconds) in table.items():
        if below(pid, server_pid):
            server += seconds
        elif pid != os.getpid() and below(pid, os.getpid()):
            if "chromium" in cmdline:
                chromium += seconds
            else:
                driver += seconds
    return server, chromium, driver


def _one_round(
    browser: object,
    server_pid: int,
    url: str,
    path: str,
    ready: object,
    sessions: int,
    returning: bool,
) -> tuple[list[float], list[float]]:
    """All sessions request the page at once; each time is until its page is usable. Returns
    the times and the CPU seconds of server, Chromium and driver during the timed part.

    ``returning``: every session has opened the page once before (not timed), so its own
    browser cache holds the frontend."""
    contexts = [
        browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(sessions)
    ]
    pages = []
    for context in contexts:
        context.route(NOT_LOCAL, lambda route: route.abort())
        page = context.new_page()
        if returning:
            page.goto(url + path, wait_until="commit", timeout=LIMIT_S * 1000)
            ready(page)
        pages.append(page)
    before = _cpu(server_pid)
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
    cpu = [after - b for after, b in zip(_cpu(server_pid), before, strict=True)]
    for context in contexts:
        context.close()
    return times, cpu


def _rounds(counts: list[int], measure: Callable[[str, int, bool], tuple[list, str]]) -> dict:
    """Every page and visitor at every number of sessions; ``measure(page, sessions,
    returning)`` gives the times and a line about the CPU spent. Prints and returns the
    medians by (sessions, page, visitor)."""
    medians = {}
    for sessions in counts:
        for name in PAGES:
            for visitor, returning in VISITORS.items():
                times, cpu = measure(name, sessions, returning)
                median = statistics.median(times)
                medians[sessions, name, visitor] = median
                ratio = median / medians[counts[0], name, visitor]
                print(
                    f"{sessions:>3} sessies  {name:<10} {visitor:<13} mediaan {median:6.2f} s  "
                    f"traagste {max(times):6.2f} s  {ratio:5.1f}x één sessie\n{'':15}{cpu}",
                    flush=True,
                )
    return medians


def _in_browsers(browser: object, pid: int, url: str) -> Callable[[str, int, bool], tuple]:
    """Rounds of real browser contexts (part A)."""

    def measure(name: str, sessions: int, returning: bool) -> tuple[list, str]:
        path, ready = PAGES[name]
        times, (server, chromium, driver) = _one_round(
            browser, pid, url, path, ready, sessions, returning
        )
        return times, (
            f"CPU server {server:5.1f} s ({server / sessions:4.2f} s per sessie), Chromium "
            f"{chromium:5.1f} s ({chromium / sessions:4.2f} s per sessie), Playwright "
            f"{driver:4.1f} s"
        )

    return measure


def _replayed(recordings: dict, pid: int, url: str) -> Callable[[str, int, bool], tuple]:
    """Rounds of simulated visitors without a browser (part B, bench/load_replay.py)."""

    def measure(name: str, sessions: int, returning: bool) -> tuple[list, str]:
        server, own = _cpu(pid)[0], time.process_time()
        times = replay(url, recordings[name], sessions, returning)
        server, own = _cpu(pid)[0] - server, time.process_time() - own
        return times, (
            f"CPU server {server:5.1f} s ({server / sessions:4.2f} s per sessie), bezoekers "
            f"(dit script) {own:4.1f} s"
        )

    return measure


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument(
        "--zonder-browsers",
        action="store_true",
        help="deel A alleen met één sessie (de basis voor C); B en C volledig",
    )
    args = parser.parse_args()
    counts = sorted(set(args.sessions) | {1})
    WORK.mkdir(parents=True, exist_ok=True)
    home = _home()
    from playwright.sync_api import sync_playwright

    with streamlit_process(home) as (url, pid), sync_playwright() as playwright:
        print(
            f"bench/load.py: {os.cpu_count()} cores; app op {url}; per sessie max {LIMIT_S:.0f} s"
        )
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for path, ready in PAGES.values():  # warm the server's caches once
            _one_round(browser, pid, url, path, ready, 1, returning=False)
        print("\nA. Echte browsers, alle op deze machine (ze delen de 2 cores met de server)")
        real = _rounds([1] if args.zonder_browsers else counts, _in_browsers(browser, pid, url))
        recordings = {name: record(browser, url, *page) for name, page in PAGES.items()}
        browser.close()
        print(
            "\nB. Bezoekers zonder browser (bench/load_replay.py): wat de server doet voor een "
            "pagina, tot alles beantwoord is"
        )
        served = _rounds(counts, _replayed(recordings, pid, url))
    print(
        "\nC. Schatting met de browsers op eigen machines: B bij n sessies + de eigen "
        "weergavetijd van één browser (A - B bij 1 sessie)"
    )
    for sessions in counts:
        for name in PAGES:
            for visitor in VISITORS:
                own = real[1, name, visitor] - served[1, name, visitor]
                estimate = served[sessions, name, visitor] + max(own, 0.0)
                ratio = estimate / real[1, name, visitor]
                target = ""
                if name == "stresstest" and sessions >= 20:
                    target = f"  doel ≤ 3x: {'gehaald' if ratio <= 3 else 'NIET gehaald'}"
                print(
                    f"{sessions:>3} sessies  {name:<10} {visitor:<13} {estimate:6.2f} s  "
                    f"{ratio:5.1f}x één sessie{target}"
                )
    for sessions in counts:
        for visitor in VISITORS:
            if sessions >= 20 and (sessions, "stresstest", visitor) in real:
                ratio = real[sessions, "stresstest", visitor] / real[1, "stresstest", visitor]
                verdict = "gehaald" if ratio <= 3 else "NIET gehaald"
                print(
                    f"Gemeten (A), stresstestpagina bij {sessions} sessies ({visitor}): "
                    f"{ratio:.1f}x één sessie, doel ≤ 3x {verdict}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
