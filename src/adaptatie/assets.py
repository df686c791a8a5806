"""The browser assets the map needs (Leaflet), installed from the npm registry, never a CDN.

No streamlit/folium import here: the setup and the command line use it too. The assets live in
``static/vendor/`` beside the app's main script, which Streamlit serves at ``/app/static/``: the
checkout's ``static/`` folder, or for an installed package the launcher folder that
``adaptatie app`` prepares in the home folder.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
import tempfile
from importlib.metadata import PackageNotFoundError, files
from pathlib import Path

from adaptatie.config import checkout_root, home_dir
from adaptatie.errors import AdaptatieError

FALLBACK_LEAFLET = "1.9.3"


class AssetsError(AdaptatieError, RuntimeError):
    """The browser assets could not be installed."""


def leaflet_version() -> str:
    """The Leaflet version folium links to (e.g. ``1.9.3`` for folium 0.20)."""
    try:
        template = next(
            (
                f
                for f in files("folium") or []
                if f.name == "folium.py" and f.parent.name == "folium"
            ),
            None,
        )
        if template is not None:
            match = re.search(r"npm/leaflet@([0-9.]+)/dist/leaflet\.js", template.read_text())
            if match:
                return match.group(1)
    except (PackageNotFoundError, OSError):
        pass
    return FALLBACK_LEAFLET


def app_dir(home: Path | None = None) -> Path:
    """The folder of the app's main script: the checkout, or the launcher in the home folder."""
    root = checkout_root()
    return root if root is not None else (home or home_dir()) / "app"


def vendor_dir(home: Path | None = None) -> Path:
    return app_dir(home) / "static" / "vendor"


def leaflet_files(version: str | None = None) -> tuple[str, ...]:
    version = version or leaflet_version()
    return (f"leaflet/{version}/leaflet.js", f"leaflet/{version}/leaflet.css")


def missing_assets(home: Path | None = None) -> list[str]:
    """Asset files the map needs that are not installed (empty when all is well)."""
    return [name for name in leaflet_files() if not (vendor_dir(home) / name).is_file()]


def install_command() -> str:
    """What a user runs to install the assets (Dutch UI text quotes it)."""
    return "make setup" if checkout_root() is not None else "adaptatie assets install"


def install_leaflet(target: Path | None = None, cache: Path | None = None) -> Path:
    """Install Leaflet (at the version folium uses) into ``target/leaflet/<version>``.

    Idempotent; ``npm pack`` fetches the package tarball from the npm registry.
    """
    version = leaflet_version()
    base = target or vendor_dir()
    folder = base / "leaflet" / version
    if all((base / name).is_file() for name in leaflet_files(version)):
        return folder
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        package = _npm_unpack("leaflet", version, Path(scratch))
        staging = folder.with_name(f".{version}.partial")
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "images").mkdir(parents=True)
        for name in ("leaflet.js", "leaflet.css"):
            shutil.copy2(package / "dist" / name, staging / name)
        for image in (package / "dist" / "images").glob("*.png"):
            shutil.copy2(image, staging / "images" / image.name)
        shutil.copy2(package / "LICENSE", staging / "LICENSE")
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
    return folder


AXE_VERSION = "4.10.3"  # axe-core for the accessibility audit of the browser tests


def axe_file(root: Path | None = None) -> Path:
    """Where ``axe.min.js`` is kept: ``.cache/axe-core/<version>/`` of the checkout (or home)."""
    base = root or checkout_root() or home_dir()
    return base / ".cache" / "axe-core" / AXE_VERSION / "axe.min.js"


def install_axe(root: Path | None = None, cache: Path | None = None) -> Path:
    """Install axe-core (the accessibility engine the browser tests run) from the npm registry.

    Idempotent. It is a test tool: never served by the app.
    """
    target = axe_file(root)
    if target.is_file():
        return target
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        package = _npm_unpack("axe-core", AXE_VERSION, Path(scratch))
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = target.with_name(".axe.min.js.partial")
        shutil.copy2(package / "axe.min.js", staging)
        shutil.copy2(package / "LICENSE", target.with_name("LICENSE"))
        staging.replace(target)
    return target


def _npm_unpack(name: str, version: str, work: Path) -> Path:
    """``npm pack name@version`` into ``work``; the unpacked package folder."""
    if shutil.which("npm") is None:
        raise AssetsError(
            f"npm ontbreekt, dus {name} kan niet uit het npm-register worden gehaald. Oplossing: "
            "installeer Node.js en npm (bijv. apt-get install -y npm) en probeer het opnieuw."
        )
    done = subprocess.run(
        ["npm", "pack", "--silent", f"{name}@{version}"],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    tarball = work / f"{name}-{version}.tgz"
    if done.returncode != 0 or not tarball.is_file():
        raise AssetsError(
            f"{name} {version} kon niet uit het npm-register worden gehaald "
            f"({done.stderr.strip()[:200] or 'geen antwoord'}). Oplossing: controleer de "
            "verbinding met het npm-register (of de npm-proxy) en probeer het opnieuw."
        )
    with tarfile.open(tarball) as archive:
        archive.extractall(work / "pkg", filter="data")
    return work / "pkg" / "package"
