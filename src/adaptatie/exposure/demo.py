"""SYNTHETIC demonstration objects and located measures (clearly labelled, never real).

Around the towns of the synthetic stress-test layers (:data:`adaptatie.stresstest.demo.TOWNS`)
the demo places deterministic blocks of made-up buildings (with dwellings and a few care and
school functions), a street grid plus roads between the towns, and care homes, schools and
pumping stations. They go through the same checks as a user's file and are stored with
``synthetic=True`` and the source "SYNTHETISCH"; every count made from them says so. The demo
measures are added to the ledger only on request, with ids ``DEMO-…`` and "SYNTHETISCH" in
their name, so they are never mistaken for real applications.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import shapely

from adaptatie.exposure.layers import ColumnMap
from adaptatie.exposure.store import ObjectRecord, ObjectStore
from adaptatie.finance.records import ClimateTheme, Measure, Status
from adaptatie.stresstest.demo import SEED, TOWNS

if TYPE_CHECKING:
    from adaptatie.finance.ledger import Ledger

SOURCE = "SYNTHETISCH: gegenereerd door 'adaptatie demo' (geen echte objecten)"
DATE = "2026-11-27"
RD = "EPSG:28992"
LAYERS = {
    "demo-gebouwen": ("gebouwen", "Gebouwen (synthetisch)"),
    "demo-wegen": ("wegen", "Wegen (synthetisch)"),
    "demo-objecten": ("objecten", "Vitale en kwetsbare objecten (synthetisch)"),
}


def buildings(per_town: int = 1_500, seed: int = SEED) -> gpd.GeoDataFrame:
    """Footprints of 8-16 m in blocks around each town; ``woningen``/``kwetsbaar`` counts."""
    rng = np.random.default_rng(seed)
    rows = []
    for t, (tx, ty, strength) in enumerate(TOWNS):
        n = int(per_town * strength)
        radius = 2_500.0 * np.sqrt(rng.uniform(0, 1, n))
        angle = rng.uniform(0, 2 * np.pi, n)
        x = np.round((tx + radius * np.cos(angle)) / 30.0) * 30.0
        y = np.round((ty + radius * np.sin(angle)) / 30.0) * 30.0
        keep = np.unique(np.column_stack([x, y]), axis=0, return_index=True)[1]
        for i in sorted(keep):
            w, h = rng.uniform(8, 16, 2)
            rows.append((f"DEMO-P{t:02d}{i:05d}", shapely.box(x[i], y[i], x[i] + w, y[i] + h)))
    frame = gpd.GeoDataFrame(
        {"identificatie": [r[0] for r in rows]}, geometry=[r[1] for r in rows], crs=RD
    )
    frame["woningen"] = rng.choice([0, 1, 1, 1, 2, 4], len(frame))
    frame["kwetsbaar"] = (rng.uniform(0, 1, len(frame)) < 0.02).astype(int)
    return frame


def roads() -> gpd.GeoDataFrame:
    """A street every 200 m over 4 km around each town and straight roads between the towns."""
    lines, names = [], []
    for t, (tx, ty, _) in enumerate(TOWNS):
        for k in range(-10, 11):
            lines.append(
                shapely.LineString([(tx - 2_000, ty + 200 * k), (tx + 2_000, ty + 200 * k)])
            )
            lines.append(
                shapely.LineString([(tx + 200 * k, ty - 2_000), (tx + 200 * k, ty + 2_000)])
            )
            names += [f"Demostraat {t}-O{k}", f"Demostraat {t}-N{k}"]
    for (ax, ay, _), (bx, by, _) in itertools.pairwise(TOWNS):
        lines.append(shapely.LineString([(ax, ay), (bx, by)]))
        names.append("Demoweg")
    return gpd.GeoDataFrame(
        {"WVK_ID": [f"DEMO-W{i:05d}" for i in range(len(lines))], "STT_NAAM": names},
        geometry=lines,
        crs=RD,
    )


def objects(seed: int = SEED) -> gpd.GeoDataFrame:
    """Per town two care homes, three schools and a pumping station (points)."""
    rng = np.random.default_rng(seed + 7)
    rows = []
    for t, (tx, ty, _) in enumerate(TOWNS):
        for category, count in (("zorginstelling", 2), ("school", 3), ("gemaal", 1)):
            for i in range(count):
                x, y = tx + rng.uniform(-1_500, 1_500), ty + rng.uniform(-1_500, 1_500)
                rows.append((f"DEMO-O{t:02d}{category[:2]}{i}", category, shapely.Point(x, y)))
    return gpd.GeoDataFrame(
        {
            "id": [r[0] for r in rows],
            "categorie": [r[1] for r in rows],
            "naam": [f"{r[1]} {r[0]} (synthetisch)" for r in rows],
        },
        geometry=[r[2] for r in rows],
        crs=RD,
    )


def install_demo_objects(
    store: ObjectStore, progress: Callable[[str], None] = lambda _m: None
) -> list[ObjectRecord]:
    """Add the synthetic object layers that are not stored yet."""
    existing = {r.id for r in store.records()}
    makers = {"demo-gebouwen": buildings, "demo-wegen": roads, "demo-objecten": objects}
    added = []
    with tempfile.TemporaryDirectory() as folder:
        for layer_id, (kind, title) in LAYERS.items():
            if layer_id in existing:
                continue
            frame = makers[layer_id]()
            path = Path(folder) / f"{layer_id}.gpkg"
            columns = {}
            if kind == "gebouwen":  # dwellings as a verblijfsobject layer, as in the BAG
                _with_vbo(frame, path)
                frame = frame.drop(columns=["woningen", "kwetsbaar"])
                columns = {"id": "identificatie"}
            frame.to_file(path, layer="pand" if kind == "gebouwen" else None, driver="GPKG")
            record = store.add(
                path,
                layer_id=layer_id,
                columns=ColumnMap(kind, columns),
                title=title,
                source=SOURCE,
                date=DATE,
                licence="geen (synthetisch)",
                synthetic=True,
            )
            added.append(record)
            progress(f"{layer_id}: {record.count} synthetische objecten toegevoegd")
    return added


def _with_vbo(frame: gpd.GeoDataFrame, path: Path) -> None:
    pand = np.repeat(frame["identificatie"].to_numpy(), frame["woningen"].to_numpy())
    care = frame.loc[frame["kwetsbaar"] == 1, "identificatie"].to_numpy()
    ids = np.concatenate([pand, care])
    uses = ["woonfunctie"] * len(pand) + ["gezondheidszorgfunctie"] * len(care)
    centres = frame.set_index("identificatie").geometry.centroid
    gpd.GeoDataFrame(
        {
            "identificatie": [f"DEMO-V{i:07d}" for i in range(len(ids))],
            "gebruiksdoel": uses,
            "pand_identificatie": ids,
        },
        geometry=centres.loc[ids].to_numpy(),
        crs=RD,
    ).to_file(path, layer="verblijfsobject", driver="GPKG")


#: (id, werkregio, gemeente, kassier, themes, town index, offset m, Rijk euro)
DEMO_MEASURES = (
    (
        "DEMO-001",
        "WR-FLU",
        "GM0118",
        "Gemeente Hoogeveen",
        ("wateroverlast",),
        3,
        (150, -80),
        60_000,
    ),
    (
        "DEMO-002",
        "WR-FLU",
        "GM0119",
        "Gemeente Hoogeveen",
        ("hitte", "wateroverlast"),
        4,
        (0, 0),
        40_000,
    ),
    (
        "DEMO-003",
        "WR-TWN",
        "GM0153",
        "Gemeente Enschede",
        ("wateroverlast", "hitte"),
        8,
        (-300, 200),
        90_000,
    ),
    ("DEMO-004", "WR-TWN", "GM0164", "Gemeente Enschede", ("wateroverlast",), 7, (400, 0), 50_000),
    (
        "DEMO-005",
        "WR-NVS",
        "GM0114",
        "Gemeente Emmen",
        ("hitte", "wateroverlast"),
        2,
        (100, 100),
        45_000,
    ),
)


def demo_measures() -> list[Measure]:
    """SYNTHETIC located measures (status toegekend, one third of the eligible cost)."""
    out = []
    for mid, werkregio, gemeente, kassier, themes, town, (dx, dy), rijk in DEMO_MEASURES:
        tx, ty, _ = TOWNS[town]
        out.append(
            Measure(
                id=mid,
                name=f"SYNTHETISCH demomaatregel {mid}",
                werkregio=werkregio,
                status=Status.TOEGEKEND,
                themes=frozenset(ClimateTheme(t) for t in themes),
                gemeente=gemeente,
                description="SYNTHETISCH: alleen voor demonstratie, geen echte maatregel.",
                round=2022,
                total_cost_cents=rijk * 400,
                eligible_cost_cents=rijk * 300,
                rijk_contribution_cents=rijk * 100,
                kassier=kassier,
                completion_date=dt.date(2027, 6, 30),
                location_wkt=f"POINT ({tx + dx} {ty + dy})",
            )
        )
    return out


def install_demo_measures(ledger: Ledger, user: str = "demo") -> list[str]:
    """Add the SYNTHETIC demo measures that are not in the ledger yet; their ids."""
    existing = {m.id for m in ledger.measures()}
    added = []
    for measure in demo_measures():
        if measure.id not in existing:
            ledger.add(measure, user=user)
            added.append(measure.id)
    return added
