"""A small SYNTHETIC source folder whose answers can be worked out by hand.

All municipalities, codes and numbers here are made up (codes GM9xxx); they are labelled
synthetic in every file. Units: the world is 30 km x 10 km, starting at RD (230000, 570000).

Boundary year 2017: Aadorp GM9001 (x 0-10 km), Beedorp GM9002 (x 10-20), Ceedorp GM9003 (x 20-30).
Boundary year 2018: Nieuwdorp GM9004 (x 0-17: all of Aadorp and 70 % of Beedorp),
                    Ceedorp GM9003 (x 17-30: 30 % of Beedorp and all of the old Ceedorp).
Boundary year 2019: as 2018, but the shared boundary drawn 300 m further east (x 17.3), the kind
                    of difference that generalisation makes between year files.
Water boards: WS17 covers x 0-15, WS16 covers x 15-30. Province PV20 covers everything.
Population (table year 2018 only): Nieuwdorp 1000, Ceedorp 500.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import box

X0, Y0 = 230_000.0, 570_000.0
KM = 1000.0
SOURCE = "SYNTHETISCH testbestand"


def strip(x_from_km: float, x_to_km: float) -> object:
    """A 10 km high strip between two x positions (in km from the origin)."""
    return box(X0 + x_from_km * KM, Y0, X0 + x_to_km * KM, Y0 + 10 * KM)


GEMEENTEN = {
    2017: [
        ("GM9001", "Aadorp", 0, 10),
        ("GM9002", "Beedorp", 10, 20),
        ("GM9003", "Ceedorp", 20, 30),
    ],
    2018: [("GM9004", "Nieuwdorp", 0, 17), ("GM9003", "Ceedorp", 17, 30)],
    2019: [("GM9004", "Nieuwdorp", 0, 17.3), ("GM9003", "Ceedorp", 17.3, 30)],
}

REGIONS_TOML = """
format_version = 1
[study_area]
provinces = ["PV20"]
[aliases]
"de Bee's" = "GM9002"

[[region]]
id = "WEST"
kind = "cluster"
name = "Oostcluster"
aliases = ["Cluster Oost"]
boundary_year = 2017
members = ["GM9002", "GM9003"]
source = "SYNTHETISCH"

[[region]]
id = "ALL"
kind = "samenwerkingsverband"
name = "Alles"
boundary_year = 2018
members = ["GM9004", "GM9003"]
source = "SYNTHETISCH"

[[region]]
id = "WR"
kind = "werkregio"
name = "Ceedorp"
boundary_year = 2017
members = ["GM9003"]
source = "SYNTHETISCH"
"""


def frame(rows: list[tuple], code: str = "statcode", name: str = "statnaam") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {code: [r[0] for r in rows], name: [r[1] for r in rows], "bron": SOURCE},
        geometry=[strip(r[2], r[3]) for r in rows],
        crs="EPSG:28992",
    )


def write_source_folder(folder: Path) -> Path:
    """Write the complete synthetic source folder; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for year, rows in GEMEENTEN.items():
        frame(rows).to_file(folder / f"cbs_gemeenten_{year}.geojson", driver="GeoJSON")
    frame([("PV20", "Proefprovincie", 0, 30)]).to_file(
        folder / "cbs_provincies_2024.geojson", driver="GeoJSON"
    )
    frame(
        [("WS17", "Waterschap West", 0, 15), ("WS16", "Waterschap Oost", 15, 30)], "code", "naam"
    ).to_file(folder / "waterschappen.geojson", driver="GeoJSON")
    (folder / "cbs_kerncijfers_gemeenten_2018.csv").write_text(
        "statcode,statnaam,jaar,aantal_inwoners,bron\n"
        f"GM9004,Nieuwdorp,2018,1000,{SOURCE}\n"
        f"GM9003,Ceedorp,2018,500,{SOURCE}\n",
        encoding="utf-8",
    )
    return folder


def write_regions_file(path: Path, text: str = REGIONS_TOML) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
