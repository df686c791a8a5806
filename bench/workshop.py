"""Benchmark of a following presentation screen: how soon it shows the facilitator's new step.

Run from the project root::

    .venv/bin/python bench/workshop.py             # 12 step changes
    .venv/bin/python bench/workshop.py --steps 30

A throwaway home folder gets the SYNTHETIC demo layers (2 km) and one risk dialogue with the four
themes; ``streamlit run server.py`` serves it; headless Chromium opens the Risicodialoog page as a
follower (the deep link ``?workshop=<id>&volg=1``). The facilitator's step is then moved in the
database, as the facilitator's "Volgende" button does, and the time until the follower shows
"Stap n van 4" is measured: the follower's poll interval plus one rerun of the page. Every
request to another host is aborted. The script prints its figures next to the target with
OK/OVER; it asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _app import CHROMIUM, ROOT, local_only, streamlit_server

CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
THEMES = ("wateroverlast", "hitte", "droogte", "overstroming")
TARGET_S = 2.0  # from the facilitator's step change to the follower showing it


def prepare(home: Path) -> tuple[str, int]:
    """Demo layers and one workshop in ``home``; the database URL and the workshop's id."""
    from adaptatie.dialogue.workshops import WorkshopBook
    from adaptatie.finance.ledger import Ledger
    from adaptatie.stresstest.demo import install_demo
    from adaptatie.workspace import Workspace

    workspace = Workspace(home=home)
    install_demo(workspace.catalogue, workspace.themes, workspace.atlas.study_area(), 2000.0)
    url = f"sqlite:///{home / 'adaptatie.sqlite'}"
    with Ledger.open(url) as ledger:
        workshop = WorkshopBook(ledger.engine).create(
            region_kind="gemeente",
            region_code="GM0119",
            region_name="Meppel",
            boundary_year=max(workspace.atlas.years),
            held_on=dt.date.today(),
            place="Benchmark",
            participants="",
            themes=THEMES,
            user="bench",
        )
    return url, workshop.id


def measure(url: str, db_url: str, workshop_id: int, steps: int) -> list[float]:
    """Seconds from each step change in the database to the follower showing that step."""
    from playwright.sync_api import sync_playwright

    from adaptatie.dialogue.workshops import WorkshopBook
    from adaptatie.finance.ledger import Ledger

    delays = []
    pauses = random.Random(14)  # seeded: the same spread of moments in every run
    with sync_playwright() as pw, Ledger.open(db_url) as ledger:
        book = WorkshopBook(ledger.engine)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.route("**/*", local_only)
        page.goto(f"{url}/Risicodialoog?workshop={workshop_id}&volg=1")
        page.get_by_text(f"Stap 1 van {len(THEMES)}", exact=False).wait_for(timeout=120_000)
        page.wait_for_timeout(3000)  # caches warm, the page settled
        for i in range(steps):
            step = (i + 1) % len(THEMES)
            started = time.perf_counter()
            book.set_step(workshop_id, step)
            page.get_by_text(f"Stap {step + 1} van {len(THEMES)}:", exact=False).wait_for(
                timeout=30_000
            )
            delays.append(time.perf_counter() - started)
            # A pause of 0,3-2,3 s, so the changes fall at every moment of the poll interval.
            page.wait_for_timeout(pauses.uniform(300, 2300))
        browser.close()
    return delays


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=12)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    os.chdir(ROOT)  # streamlit reads .streamlit/config.toml from the working directory
    print(
        f"adaptatie follower benchmark · {os.cpu_count()} cores "
        f"(load {os.getloadavg()[0]:.1f}) · Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory(prefix="adaptatie-bench-workshop-") as folder:
        home = Path(folder) / "home"
        db_url, workshop_id = prepare(home)
        with streamlit_server(home) as url:
            delays = measure(url, db_url, workshop_id, args.steps)
    median, worst = statistics.median(delays), max(delays)
    print(f"step change -> follower shows it, {len(delays)} changes:")
    print(
        f"  median {median:.2f} s · max {worst:.2f} s · target {TARGET_S:g} s: "
        f"{'OK' if worst <= TARGET_S else 'OVER'}"
    )
    print("  each: " + ", ".join(f"{d:.2f}" for d in delays))
    return 0


if __name__ == "__main__":
    sys.exit(main())
