"""Runs anywhere: a copy of the repository with no ../shared beside it, and an installed wheel.

Both start in fresh processes with only the copy (or the installed package) on the path, no
``ADAPTATIE_DATA_DIR`` and an empty home folder: the answers must come from the embedded snapshot.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPTEST = """
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=180).run()
print(json.dumps({
    "exception": [str(e.value) for e in at.exception],
    "errors": [e.value for e in at.error],
    "title": [t.value for t in at.title],
    "subheader": [s.value for s in at.subheader],
}))
"""


def _copy_repository(target: Path) -> Path:
    """The files of the checkout (tracked and new, not ignored) as a fresh clone would have."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in listed)):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _env(python_path: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADAPTATIE_")}
    return {**env, "PYTHONPATH": str(python_path), "ADAPTATIE_HOME": str(home)}


def _cli(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "adaptatie.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _check_dal(done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 0, done.stderr
    region = json.loads(done.stdout)
    # DAL (Delfzijl, Appingedam, Loppersum) is Eemsdelta from 2021 on.
    assert [(m["code"], m["name"]) for m in region["members"]] == [("GM1979", "Eemsdelta")]
    assert "momentopname meegeleverd met adaptatie" in region["sources"]["boundaries"]


@pytest.fixture(scope="module")
def lonely_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("alleen")  # nothing called shared/ beside it
    copy = _copy_repository(folder / "adaptatie")
    assert not (copy.parent / "shared").exists()
    # What `make setup` adds to a fresh clone besides the virtualenv: Leaflet from npm.
    shutil.copytree(ROOT / "static" / "vendor", copy / "static" / "vendor")
    return copy


def test_cli_of_a_lonely_checkout_answers_from_the_snapshot(
    lonely_copy: Path, tmp_path: Path
) -> None:
    env = _env(lonely_copy / "src", tmp_path / "home")
    done = _cli(["regions", "show", "DAL", "--kind", "cluster", "--year", "2024", "--json"],
                tmp_path, env)
    _check_dal(done)
    checked = _cli(["check"], tmp_path, env)
    assert checked.returncode == 0, checked.stderr
    assert "Grensjaren: 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024" in checked.stdout


def test_home_page_of_a_lonely_checkout_renders(lonely_copy: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", APPTEST, str(lonely_copy / "app.py")],
        cwd=lonely_copy,
        env=_env(lonely_copy / "src", tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["exception"] == [] and result["errors"] == [], result
    assert result["title"] == ["Regionale waterkaart"]


@pytest.fixture(scope="module")
def installed(lonely_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from the copy, installed into a folder of its own."""
    folder = tmp_path_factory.mktemp("wiel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         str(lonely_copy), "-w", str(folder / "dist")],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (folder / "dist").glob("adaptatie-*.whl")
    target = folder / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert install.returncode == 0, install.stderr
    return target


def test_installed_package_finds_its_resources_from_any_directory(
    installed: Path, tmp_path: Path
) -> None:
    env = _env(installed, tmp_path / "home")
    where = subprocess.run(
        [sys.executable, "-c", "import adaptatie.config as c; print(c.resource_root())"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert where == str(installed / "adaptatie" / "_bundle")
    _check_dal(_cli(["regions", "show", "DAL", "--kind", "cluster", "--year", "2024", "--json"],
                    tmp_path, env))


def test_installed_app_starts_and_renders(installed: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = _env(installed, home)
    script = (
        "import json, sys; from adaptatie.launcher import launch; from pathlib import Path; "
        "run = launch(Path(sys.argv[1]), port=int(sys.argv[2]), address='127.0.0.1'); "
        "print(json.dumps({'args': run.args, 'cwd': str(run.cwd), 'env': run.env}))"
    )
    with __import__("socket").socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    prepared = subprocess.run(
        [sys.executable, "-c", script, str(home), str(port)],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )
    run = json.loads(prepared.stdout)
    assert run["cwd"] == str(home / "app")
    assert (home / "app" / "pages" / "4_Stresstest.py").is_file()
    assert str(home / "app" / "server.py") in run["args"]  # the ASGI entry (ui.frontend)
    assert (home / "app" / "server.py").is_file()
    assert (home / "app" / ".streamlit" / "config.toml").is_file()

    rendered = subprocess.run(
        [sys.executable, "-c", APPTEST, str(home / "app" / "app.py")],
        cwd=run["cwd"], env={**env, **run["env"]}, capture_output=True, text=True,
        timeout=300, check=False,
    )
    assert rendered.returncode == 0, rendered.stderr
    result = json.loads(rendered.stdout.strip().splitlines()[-1])
    # No Leaflet in the fresh home folder: the page says what to run instead of a blank map.
    assert result["exception"] == [], result
    assert any("adaptatie assets install" in e for e in result["errors"]), result

    server = subprocess.Popen(
        [*run["args"], "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=run["cwd"], env={**env, **run["env"]},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=1
                ) as response:
                    assert response.read().decode().strip() == "ok"
                    break
            except OSError:
                assert server.poll() is None, "streamlit stopte meteen"
                assert time.monotonic() < deadline, "streamlit werd niet gezond binnen 60 s"
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(10)
