"""Start the dashboard: from the checkout, or from an installed package without one.

Streamlit serves ``static/`` beside the main script and reads ``.streamlit/config.toml`` from
the working directory. A checkout has both at its top level. An installed package carries the
page scripts in its bundle; they are copied into ``<home>/app/`` (refreshed on every start, so an
upgrade takes effect) and the browser assets are installed there, never into site-packages.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from adaptatie.assets import app_dir
from adaptatie.config import HOME_ENV, checkout_root, resource_root

APP_FILES = (
    "app.py", "server.py", "pages", ".streamlit/config.toml", "static/favicon.svg"
)


@dataclass(frozen=True)
class Launch:
    """How to run the app: the command, its working directory and extra environment."""

    args: tuple[str, ...]
    cwd: Path
    env: dict[str, str]


def prepare(home: Path) -> Path:
    """The folder with the main script, ready to run (copied from the bundle when installed)."""
    if checkout_root() is not None:
        return app_dir(home)
    target = app_dir(home)
    source = resource_root()
    for name in APP_FILES:
        src, dst = source / name, target / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dst)
    return target


def launch(home: Path, port: int | None = None, address: str | None = None) -> Launch:
    """The Streamlit command for the app in ``home`` (the app then uses that home folder)."""
    folder = prepare(home)
    # server.py serves app.py with Streamlit's frontend compressed (adaptatie.ui.frontend).
    args = [sys.executable, "-m", "streamlit", "run", str(folder / "server.py")]
    if port is not None:
        args += ["--server.port", str(port)]
    if address is not None:
        args += ["--server.address", address]
    return Launch(tuple(args), folder, {HOME_ENV: str(home)})
