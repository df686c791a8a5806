"""Build hook: the wheel carries the resources that live at the top of the checkout.

``geodata/`` (region definitions, themes, allocations and the data snapshot), ``app.py``,
``server.py``, ``pages/``, ``.streamlit/config.toml`` and ``static/favicon.svg`` are copied into
the package as ``adaptatie/_bundle/``, so an installed adaptatie finds them without a checkout (see
``adaptatie.config.resource_root``). Everything else is configured in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = (
    "geodata", "app.py", "server.py", "pages", ".streamlit/config.toml", "static/favicon.svg"
)
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".*.tmp")


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout itself
        target = Path(self.build_lib) / "adaptatie" / "_bundle"
        for name in BUNDLED:
            source, destination = ROOT / name, target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, destination, ignore=SKIP, dirs_exist_ok=True)
            else:
                shutil.copy2(source, destination)


setup(cmdclass={"build_py": BuildWithResources})
