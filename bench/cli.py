"""Benchmark of the command line and the app's start: cold and warm medians, each in a new process.

Run from the project root::

    .venv/bin/python bench/cli.py                     # this checkout, its default data
    .venv/bin/python bench/cli.py --runs 3
    .venv/bin/python bench/cli.py --src OTHER/src --data-dir ../shared/geodata   # another version

*Cold* is a first run after the home folder's caches and stored results were removed (the
operating system's file cache stays warm, as on a machine in use); *warm* is a run right after
another. Every figure is the wall time of a whole process, from start to exit, including Python's
start and the imports. The app's start is measured server side: an AppTest of ``app.py`` in a new
process until the first run of the home page (map built) has finished.

The layers for ``summary`` are the SYNTHETIC demo layers (``adaptatie demo``, 100 m unless
``--demo-resolution`` says otherwise), made once per version in ``.cache/bench-cli``. The
script prints its figures against the targets; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".cache" / "bench-cli"
COMMANDS = {
    "regions show": ["regions", "show", "DAL", "--kind", "cluster", "--year", "2024", "--json"],
    "regions list": ["regions", "list", "--kind", "cluster", "--year", "2024"],
    "summary": ["summary", "--layer", "demo-wateroverlast-70mm", "--set", "cluster", "--year",
                "2024", "--format", "csv"],
    "finance summary": ["finance", "summary", "--json"],
}
TARGET_WARM_S = {"regions show": 1.0}
APP_SCRIPT = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=600).run()
if at.exception or at.error:
    sys.exit("app: " + repr([e.value for e in (*at.exception, *at.error)]))
"""


def _env(src: Path, home: Path, data_dir: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADAPTATIE_")}
    env.update({"PYTHONPATH": str(src), "ADAPTATIE_HOME": str(home)})
    if data_dir:
        env["ADAPTATIE_DATA_DIR"] = data_dir
    return env


def _timed(args: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[-8:])} failed:\n{done.stderr[-2000:]}")
    return elapsed


def _make_cold(home: Path) -> None:
    for name in ("cache", "results"):
        shutil.rmtree(home / name, ignore_errors=True)


def _setup(src: Path, home: Path, data_dir: str | None, resolution: float) -> None:
    if (home / "layers" / "catalogue.json").is_file():
        return
    print(f"Eenmalig: synthetische demolagen op {resolution:g} m maken …", flush=True)
    cli = [sys.executable, "-m", "adaptatie.cli"]
    _timed([*cli, "demo", "--resolution", str(resolution)], _env(src, home, data_dir), WORK)


def _medians(label: str, run: callable, runs: int, home: Path) -> tuple[float, float]:
    cold, warm = [], []
    for _ in range(runs):
        _make_cold(home)
        cold.append(run())
        warm.append(run())
    c, w = statistics.median(cold), statistics.median(warm)
    target = TARGET_WARM_S.get(label)
    verdict = ""
    if target is not None:
        verdict = f"   doel warm ≤ {target:.1f} s: {'OK' if w <= target else 'OVER'}"
    print(f"{label:<22} koud {c:6.2f} s   warm {w:6.2f} s{verdict}", flush=True)
    return c, w


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", default=str(ROOT / "src"), help="src of the version to time")
    parser.add_argument("--app", default=None, help="its app.py (default: beside --src)")
    parser.add_argument("--data-dir", default=None, help="ADAPTATIE_DATA_DIR for the runs")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--demo-resolution", type=float, default=100.0, help="m, for summary")
    args = parser.parse_args()
    src = Path(args.src).resolve()
    app = Path(args.app) if args.app else src.parent / "app.py"
    home = WORK / f"home-{src.parent.name}-{args.demo_resolution:g}m"
    home.mkdir(parents=True, exist_ok=True)
    env = _env(src, home, args.data_dir)
    python = platform.python_version()
    print(f"bench/cli.py: {platform.node()}, {os.cpu_count()} cores, Python {python}")
    print(f"code: {src}; data: {args.data_dir or 'standaard (zonder ADAPTATIE_DATA_DIR)'}; "
          f"{args.runs} rondes, medianen\n")
    _setup(src, home, args.data_dir, args.demo_resolution)
    cli = [sys.executable, "-m", "adaptatie.cli"]
    for label, command in COMMANDS.items():
        run = lambda command=command: _timed([*cli, *command], env, WORK)  # noqa: E731
        _medians(label, run, args.runs, home)
    app_env = {**env, "PYTHONPATH": str(src)}
    _medians(
        "app: eerste kaart",
        lambda: _timed([sys.executable, "-c", APP_SCRIPT, str(app)], app_env, app.parent),
        max(1, args.runs // 2),
        home,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
