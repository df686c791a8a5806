"""Install the browser assets the map needs into static/vendor/ (git-ignored).

Leaflet comes from the npm registry, at exactly the version folium was written against
(read from folium itself), so nothing is ever loaded from a public CDN at run time.
Idempotent: does nothing when the files are already there.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from adaptatie.assets import leaflet_version  # noqa: E402


def main() -> int:
    version = leaflet_version()
    target = ROOT / "static" / "vendor" / "leaflet" / version
    if (target / "leaflet.js").is_file() and (target / "leaflet.css").is_file():
        print(f"Leaflet {version} staat al in {target.relative_to(ROOT)}")
        return 0
    if shutil.which("npm") is None:
        print("npm ontbreekt: installeer Node.js/npm (apt-get install -y npm) en probeer opnieuw.")
        return 1
    cache = ROOT / ".cache" / "npm"
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "pack", "--silent", f"leaflet@{version}"],
        cwd=cache,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with tarfile.open(cache / f"leaflet-{version}.tgz") as archive:
        archive.extractall(cache / f"leaflet-{version}", filter="data")
    package = cache / f"leaflet-{version}" / "package"
    staging = target.with_name(f".{version}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "images").mkdir(parents=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy2(package / "dist" / name, staging / name)
    for image in (package / "dist" / "images").glob("*.png"):
        shutil.copy2(image, staging / "images" / image.name)
    shutil.copy2(package / "LICENSE", staging / "LICENSE")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    print(f"Leaflet {version} geïnstalleerd in {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
