"""Benchmark of rasters of any size: a 16-tile mosaic of >= 1.6e9 pixels, summarised by the
single-process engine and by Dask with 1 and 2 local workers; ingest of the mosaic.

Run from the project root (generates the mosaic once into .cache/scale/, about 3 GB)::

    .venv/bin/python bench/scale.py [--skip-ingest]

Every approach runs in its own process (peak RSS is its own; the workers' peak RSS is asked from
the workers at the end of a run). Prints figures next to the targets; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _plan import read_share, warm_up

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "scale"
TILES = CACHE / "tiles"
ATOMS = CACHE / "atoms_2024.gpkg"
SHARED = ROOT.parent / "shared" / "geodata"
GRID = 4  # 4 x 4 tiles
TILE = 10_240  # pixels a side: 16 tiles hold 1.68e9 pixels
PIXEL = 2.0  # m: the mosaic covers 82 x 82 km of Groningen and Drenthe
ORIGIN = (200_000.0, 600_000.0)
NODATA = -9999.0
NL_PIXELS = 1.7e11  # the Netherlands at 0.5 m
EDGES = (0.0, 0.05, 0.10, 0.15, 0.30, float("inf"))
LABELS = ("0-5cm", "5-10cm", "10-15cm", "15-30cm", "30cm+")
THRESHOLDS = (0.15, 0.30)


def depth(row0: int, row1: int, col0: int, width: int) -> np.ndarray:
    rows = np.arange(row0, row1, dtype=np.float64)[:, None]
    cols = np.arange(col0, col0 + width, dtype=np.float64)[None, :]
    x, y = cols * PIXEL / 1000.0, rows * PIXEL / 1000.0
    field = 0.12 + 0.1 * np.sin(x / 3.1) * np.cos(y / 2.3) + 0.05 * np.sin((x + y) / 0.7)
    values = np.clip(field, 0.0, None).astype("float32")
    values[(np.sin(x * 1.3) * np.sin(y * 1.7)) > 0.97] = NODATA
    return values


def ensure_data() -> None:
    import rasterio
    from rasterio.transform import from_origin

    TILES.mkdir(parents=True, exist_ok=True)
    for r in range(GRID):
        for c in range(GRID):
            path = TILES / f"blad_{r}_{c}.tif"
            if path.is_file():
                continue
            left, top = ORIGIN[0] + c * TILE * PIXEL, ORIGIN[1] - r * TILE * PIXEL
            profile = {
                "driver": "GTiff", "dtype": "float32", "count": 1, "width": TILE,
                "height": TILE, "crs": "EPSG:28992", "nodata": NODATA,
                "transform": from_origin(left, top, PIXEL, PIXEL), "tiled": True,
                "blockxsize": 512, "blockysize": 512, "compress": "DEFLATE",
                "num_threads": "ALL_CPUS", "bigtiff": "IF_SAFER",
            }  # fmt: skip
            tmp = path.with_suffix(".tmp.tif")
            with rasterio.open(tmp, "w", **profile) as dst:
                for row in range(0, TILE, 1024):
                    block = depth(r * TILE + row, r * TILE + row + 1024, c * TILE, TILE)
                    dst.write(block, 1, window=rasterio.windows.Window(0, row, TILE, 1024))
            tmp.replace(path)
            print(f"generated {path.name}", flush=True)
    if not ATOMS.is_file():
        from adaptatie.regions.atlas import Atlas

        atoms = Atlas.open(SHARED).atoms(2024)[["id", "geometry"]]
        atoms.to_file(ATOMS)


def mosaic_vrt() -> Path:
    from adaptatie.io.mosaic import open_mosaic

    vrt = CACHE / "mosaic.vrt"
    vrt.write_text(open_mosaic(TILES).vrt_xml(), encoding="utf-8")
    return vrt


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def zones():
    import geopandas as gpd

    return gpd.read_file(ATOMS)


def run_floor() -> dict:
    import rasterio
    from rasterio.windows import Window

    start, pixels = time.perf_counter(), 0
    # one thread: GDAL 3.10 may read the sources of a VRT in several threads (VRT_NUM_THREADS)
    with rasterio.Env(GDAL_CACHEMAX=64, VRT_NUM_THREADS=1), rasterio.open(mosaic_vrt()) as ds:
        buffer = np.empty((512, ds.width), dtype="float32")
        for row0 in range(0, ds.height, 512):
            rows = min(512, ds.height - row0)
            pixels += ds.read(1, window=Window(0, row0, ds.width, rows), out=buffer[:rows]).size
    return {"seconds": time.perf_counter() - start, "pixels": pixels}


def _partials_dict(p) -> dict:
    names = ("total", "valid", "value_sum", "value_max", "class_weight", "above")
    return {"ids": list(p.zone_ids), **{n: getattr(p, n).tolist() for n in names}}


def run_engine() -> dict:
    import rasterio

    from adaptatie.zonal import ClassScheme, zonal_partials

    frame = zones()
    warm = warm_up()
    start = time.perf_counter()
    with rasterio.Env(GDAL_CACHEMAX=64):
        p = zonal_partials(mosaic_vrt(), frame, ClassScheme(EDGES, LABELS), THRESHOLDS)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "partials": _partials_dict(p), "warm_up": [warm]}


def run_dask(workers: int) -> dict:
    from adaptatie.scale.cluster import connect, dask_partials
    from adaptatie.zonal import ClassScheme

    frame = zones()
    vrt = mosaic_vrt()
    with connect(workers=workers) as client:
        client.wait_for_workers(workers, timeout=120)
        warm = sorted(client.run(warm_up).values())
        start = time.perf_counter()
        p = dask_partials(client, vrt, frame, ClassScheme(EDGES, LABELS), THRESHOLDS)
        seconds = time.perf_counter() - start
        worker_rss = sorted(client.run(peak_rss_mb).values())
    result = {"seconds": seconds, "partials": _partials_dict(p), "worker_rss_mb": worker_rss}
    return result | {"warm_up": warm}


def run_ingest() -> dict:
    from adaptatie.config import themes_file
    from adaptatie.io.catalogue import Catalogue
    from adaptatie.io.ingest import LayerRequest, add_layer
    from adaptatie.io.themes_file import read_themes
    from adaptatie.regions.atlas import Atlas

    area = Atlas.open(SHARED).study_area()
    request = LayerRequest(
        "bench-mozaiek", read_themes(themes_file())["wateroverlast"], "SYNTHETISCH", "m"
    )
    home = Path(tempfile.mkdtemp(dir=CACHE, prefix="home-"))
    try:
        start = time.perf_counter()
        add_layer(Catalogue(home), TILES, request, area)
        return {"seconds": time.perf_counter() - start}
    finally:
        shutil.rmtree(home, ignore_errors=True)


def run_write() -> dict:
    """One plain write of the mosaic (read + DEFLATE write of a tiled GeoTIFF, no overviews)."""
    import rasterio
    from rasterio.windows import Window

    target = CACHE / "write-test.tif"
    start = time.perf_counter()
    with rasterio.Env(GDAL_CACHEMAX=64), rasterio.open(mosaic_vrt()) as src:
        profile = {
            "driver": "GTiff", "dtype": "float32", "count": 1, "width": src.width,
            "height": src.height, "crs": src.crs, "transform": src.transform,
            "nodata": NODATA, "tiled": True, "blockxsize": 512, "blockysize": 512,
            "compress": "DEFLATE", "predictor": 3, "num_threads": "ALL_CPUS", "bigtiff": "YES",
        }  # fmt: skip
        with rasterio.open(target, "w", **profile) as dst:
            for row0 in range(0, src.height, 512):
                w = Window(0, row0, src.width, min(512, src.height - row0))
                dst.write(src.read(1, window=w), 1, window=w)
    seconds = time.perf_counter() - start
    target.unlink()
    return {"seconds": seconds}


WORKERS = {
    "floor": run_floor,
    "engine": run_engine,
    "dask-1": lambda: run_dask(1),
    "dask-2": lambda: run_dask(2),
    "ingest": run_ingest,
    "write": run_write,
}


def spawn(name: str) -> dict:
    out = CACHE / f"{name}.json"
    start = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, __file__, "--worker", name, "--out", str(out)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1:], "wall": time.perf_counter() - start}
    return json.loads(out.read_text()) | {"wall": time.perf_counter() - start}


def duration(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


def largest_difference(a: dict, b: dict) -> dict:
    out = {}
    for name in ("total", "valid", "class_weight", "above", "value_sum", "value_max"):
        x, y = np.asarray(a[name], dtype=float), np.asarray(b[name], dtype=float)
        scale = np.maximum(np.abs(y), 1.0)
        out[name] = float(np.nanmax(np.abs(x - y) / scale))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--skip-ingest", action="store_true", help="no ingest and write runs")
    parser.add_argument("--runs", default="", help="only these runs, e.g. engine,dask-1")
    args = parser.parse_args()
    if args.worker:
        result = WORKERS[args.worker]()
        result["peak_rss_mb"] = peak_rss_mb()
        args.out.write_text(json.dumps(result))
        return
    print(f"free disk: {shutil.disk_usage(ROOT).free / 1e9:.0f} GB; cores: {os.cpu_count()}")
    ensure_data()
    size = sum(p.stat().st_size for p in TILES.glob("*.tif")) / 2**30
    pixels = GRID * GRID * TILE * TILE
    print(
        f"mosaic: {GRID * GRID} tiles of {TILE} x {TILE} = {pixels / 1e9:.2f} e9 px float32, "
        f"{PIXEL:g} m, DEFLATE, {size:.1f} GiB; zones: atoms of 2024 ({len(zones())})"
    )
    names = ["floor", "engine", "dask-1", "dask-2"]
    if not args.skip_ingest:
        names += ["write", "ingest"]
    if args.runs:
        names = args.runs.split(",")
    runs = {}
    print(f"{'approach':12}{'time s':>9}{'wall s':>9}{'peak RSS MB':>13}  notes")
    for name in names:
        r = runs[name] = spawn(name)
        if "error" in r:
            print(f"{name:12}{'-':>9}{r['wall']:9.1f}  {r['error']}")
            continue
        note = f"{pixels / r['seconds'] / 1e6:.0f} Mpx/s"
        if "worker_rss_mb" in r:
            note += f"; worker peak RSS {', '.join(f'{m:.0f}' for m in r['worker_rss_mb'])} MB"
        if "warm_up" in r:
            starts = ", ".join(f"{s:.1f}" for s in r["warm_up"])
            note += f"; + {starts} s start of the compiled loops per process (not in time)"
        print(f"{name:12}{r['seconds']:9.1f}{r['wall']:9.1f}{r['peak_rss_mb']:13.0f}  {note}")
    print("\nTargets")
    ok = {k: v for k, v in runs.items() if "error" not in v}
    if {"dask-1", "dask-2"} <= ok.keys():
        speedup = ok["dask-1"]["seconds"] / ok["dask-2"]["seconds"]
        print(f"dask 2 workers vs 1: {speedup:.2f} x faster (target >= 1.6 x)")
        worst = max(max(ok[k]["worker_rss_mb"]) for k in ("dask-1", "dask-2"))
        print(f"largest worker peak RSS: {worst:.0f} MB (target <= 1024 MB)")
        rate = pixels / ok["dask-2"]["seconds"] / 2  # per core, two workers on two cores
        print(
            f"measured {rate / 1e6:.0f} Mpx/s per core; the Netherlands at 0.5 m "
            f"({NL_PIXELS:.1e} px): "
            + ", ".join(f"{n} cores {duration(NL_PIXELS / rate / n)}" for n in (2, 16, 64))
        )
    if {"engine", "floor"} <= ok.keys():
        ratio = ok["engine"]["seconds"] / ok["floor"]["seconds"]
        print(f"engine / single-threaded plain read: {ratio:.2f} x (target <= 0.6 x)")
        share = read_share(mosaic_vrt(), zones())
        print(
            f"  the engine reads only the blocks the atoms meet, {share:.0%} of the pixels: "
            f"per pixel read {ratio / share:.2f} x"
        )
    if {"ingest", "floor", "write"} <= ok.keys():
        budget = 2 * (ok["floor"]["seconds"] + ok["write"]["seconds"])
        print(f"ingest {ok['ingest']['seconds']:.0f} s; 2 x (read + write) = {budget:.0f} s")
    if "engine" in ok:
        for name in ("dask-1", "dask-2"):
            if name in ok:
                diff = largest_difference(ok[name]["partials"], ok["engine"]["partials"])
                text = ", ".join(f"{k} {v:.1e}" for k, v in diff.items())
                print(f"{name} vs engine, largest relative difference: {text}")


if __name__ == "__main__":
    main()
