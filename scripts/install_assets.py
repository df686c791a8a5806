"""Install the browser assets the map needs into static/vendor/ (git-ignored), for `make setup`.

Leaflet comes from the npm registry at exactly the version folium was written against. An
installed package does the same with `adaptatie assets install`. In a checkout, axe-core (the
accessibility engine the browser tests run) comes from the npm registry too, into .cache/.
"""

from __future__ import annotations

import sys


def main() -> int:
    from adaptatie.assets import install_axe, install_leaflet, leaflet_version
    from adaptatie.errors import AdaptatieError

    try:
        folder = install_leaflet()
        axe = install_axe()
    except AdaptatieError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    print(f"Leaflet {leaflet_version()} staat in {folder}; axe-core in {axe.parent}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
