"""Benchmark of the exposure of buildings: 500,000 footprints against a 25 m layer, compared with
one zonal pass over the same layer. Prints its figures; asserts nothing.

Run from the project root::

    .venv/bin/python bench/exposure.py                    # 500,000 buildings, demo layer 25 m
    .venv/bin/python bench/exposure.py --buildings 100000 --home .cache/bench-exposure

The layer is the SYNTHETIC demo layer ``demo-wateroverlast-70mm`` at 25 m over the whole study
area (made once in ``--home`` when missing). The buildings are SYNTHETIC too: 8-16 m rectangles
at random places inside the study area (seeded). *Zonal pass*: the partials of every atom of the
newest boundary year (what :class:`adaptatie.stresstest.results.ResultsStore` computes once per
layer and year). *Buildings*: the façade values, the atom of every building and the partials of
buildings, dwellings and vulnerable uses (:func:`adaptatie.exposure.summaries.compute_partials`).
Target: buildings at most 2 x the zonal pass.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import shapely

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--home", type=Path, default=ROOT / ".cache" / "bench-exposure")
    args = parser.parse_args()
    os.environ.setdefault("ADAPTATIE_HOME", str(args.home))

    from adaptatie.exposure.summaries import compute_partials
    from adaptatie.stresstest.demo import install_demo
    from adaptatie.stresstest.results import GDAL_CACHE_MB
    from adaptatie.workspace import Workspace
    from adaptatie.zonal import ClassScheme, zonal_partials

    ws = Workspace(home=args.home)
    area = ws.atlas.study_area()
    if "demo-wateroverlast-70mm" not in {r.id for r in ws.catalogue.layers()}:
        print("SYNTHETISCHE demolaag maken (25 m, eenmalig)…", flush=True)
        install_demo(ws.catalogue, ws.themes, area)
    layer = ws.catalogue.get("demo-wateroverlast-70mm")
    raster = ws.catalogue.file(layer, layer.analysis_file)
    year = max(ws.atlas.years)
    atoms = ws.atlas.atoms(year)
    with rasterio.open(raster) as src:
        pixels = src.width * src.height
        print(
            f"laag: {layer.id}, {src.width} x {src.height} pixels van {src.res[0]:g} m "
            f"({pixels / 1e6:.1f} Mpx); {len(atoms)} atomen ({year})"
        )

    scheme = ClassScheme(layer.classes.bounds, layer.classes.labels)
    buildings = _buildings(area, args.buildings)

    def zonal() -> None:
        with rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB):
            zonal_partials(raster, atoms[["id", "geometry"]], scheme, layer.thresholds)

    found: dict = {}

    def exposure() -> None:
        found.update(compute_partials(raster, layer, "gebouwen", buildings, atoms))

    times: dict[str, list[tuple[float, float]]] = {"zonal": [], "exposure": []}
    for _ in range(args.runs):  # interleaved, so a busy moment hits both alike
        for name, run in (("zonal", zonal), ("exposure", exposure)):
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            times[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    zonal_s = statistics.median(w for w, _ in times["zonal"])
    exposure_s = statistics.median(w for w, _ in times["exposure"])
    zonal_cpu = statistics.median(c for _, c in times["zonal"])
    exposure_cpu = statistics.median(c for _, c in times["exposure"])
    counted = int(found["panden"].total.sum())
    print(f"mediaan van {args.runs} keer (wand / cpu):")
    print(f"  zonale doorgang over de atomen:     {zonal_s:6.2f} s / {zonal_cpu:6.2f} s")
    print(
        f"  {args.buildings:,} panden (gevel, atoom, partials): {exposure_s:6.2f} s / "
        f"{exposure_cpu:6.2f} s ({counted:,} in een atoom)".replace(",", ".")
    )
    ratio = exposure_s / zonal_s
    verdict = "binnen" if ratio <= TARGET_RATIO else "BOVEN"
    print(
        f"verhouding panden / zonale doorgang: {ratio:.2f} x wand, "
        f"{exposure_cpu / zonal_cpu:.2f} x cpu ({verdict} de grens van {TARGET_RATIO:g} x)"
    )
    print(f"belasting van de machine (load average 1 min): {os.getloadavg()[0]:.1f}")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )


def _buildings(area: shapely.Geometry, n: int) -> gpd.GeoDataFrame:
    """SYNTHETIC footprints at random places inside ``area`` (seeded)."""
    rng = np.random.default_rng(16)
    minx, miny, maxx, maxy = area.bounds
    xs, ys = np.empty(0), np.empty(0)
    shapely.prepare(area)
    while len(xs) < n:
        x = rng.uniform(minx, maxx, 2 * n)
        y = rng.uniform(miny, maxy, 2 * n)
        inside = shapely.contains_xy(area, x, y)
        xs, ys = np.concatenate([xs, x[inside]]), np.concatenate([ys, y[inside]])
    xs, ys = xs[:n], ys[:n]
    w, h = rng.uniform(8, 16, n), rng.uniform(8, 16, n)
    frame = gpd.GeoDataFrame(
        {"id": [f"B{i}" for i in range(n)]},
        geometry=shapely.box(xs, ys, xs + w, ys + h),
        crs="EPSG:28992",
    )
    frame["dwellings"] = rng.integers(0, 3, n)
    frame["vulnerable"] = (rng.uniform(0, 1, n) < 0.02).astype(int)
    return frame


if __name__ == "__main__":
    main()
