"""Benchmark of the zonal statistics engine against a plain read, exactextract and rasterstats.

Run from the project root::

    .venv/bin/python bench/zonal.py

Generates once (cached in .cache/bench/) a synthetic float32 water-depth GeoTIFF of 20000 x 20000
pixels at 5 m (EPSG:28992, tiled 512 x 512, DEFLATE, nodata -9999), a 10000 x 10000 subset of it
and 50 municipality-like zones (seeded Voronoi cells, ~5k vertices each); the engine also runs
on the zones the product summarises, the atoms of 2024 (../shared/geodata). Then every approach runs
in its own subprocess, so that the peak RSS printed is that approach's own. Prints figures next
to their targets; asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import os
import pickle
import platform
import subprocess
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
from _plan import read_share, warm_up

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "bench"
RASTER = CACHE / "depth_20000.tif"
SUBSET = CACHE / "depth_10000.tif"
ZONES = CACHE / "zones_50.gpkg"
EXACT_RASTER = CACHE / "depth_5000.tif"
EXACT_SIZE = 5_000
N_EXACT = 200  # zones of the exact-path run
SIZE = 20_000
SUBSET_SIZE = 10_000
PIXEL = 5.0
ORIGIN = (200_000.0, 600_000.0)  # top-left corner in RD New
NODATA = -9999.0
SEED = 20261127
N_ZONES = 50
VERTICES = 5_000
EDGES = (0.0, 0.05, 0.10, 0.15, 0.30, float("inf"))
LABELS = ("0-5cm", "5-10cm", "10-15cm", "15-30cm", "30cm+")
THRESHOLDS = (0.15, 0.30)
SHARED = ROOT.parent / "shared" / "geodata"  # real boundaries, for the run on the atoms
ENGINE_CACHEMAX = "64MB"  # GDAL block cache for the engine and the floor (see notes in output)


# --- synthetic data ------------------------------------------------------------------------------


def depth_rows(row0: int, row1: int, width: int) -> np.ndarray:
    """Deterministic synthetic water depth (m) for rows row0..row1 of the full raster."""
    rows = np.arange(row0, row1, dtype=np.float64)
    cols = np.arange(width, dtype=np.float64)
    y = (ORIGIN[1] - (rows + 0.5) * PIXEL)[:, None] / 1000.0  # km
    x = (ORIGIN[0] + (cols + 0.5) * PIXEL)[None, :] / 1000.0
    field = (
        0.30 * np.sin(x / 3.1 + 0.8 * np.sin(y / 7.0))
        + 0.25 * np.sin(y / 2.3 + 1.3)
        + 0.15 * np.sin((x + y) / 0.9)
        + 0.10 * np.sin(x / 0.37) * np.cos(y / 0.43)
        + 0.05
    )
    rng = np.random.default_rng([SEED, row0])
    field += rng.normal(0.0, 0.02, size=field.shape)
    depth = np.clip(field, 0.0, 1.0).astype(np.float32)
    # Nodata: scattered low-frequency patches (a few percent of the area) plus a 'canal'.
    patches = np.sin(x / 4.7 + 0.3) * np.sin(y / 5.3 + 0.7) > 0.92
    canal = np.abs(y - 550.0 - 8.0 * np.sin(x / 6.0)) < 0.03
    depth[patches | canal] = NODATA
    return depth


def write_raster(path: Path, size: int) -> None:
    import rasterio
    from rasterio.transform import from_origin

    profile = {
        "driver": "GTiff",
        "width": size,
        "height": size,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:28992",
        "transform": from_origin(*ORIGIN, PIXEL, PIXEL),
        "nodata": NODATA,
        "tiled": True,
        "blockxsize": 512,
        "blockysize": 512,
        "compress": "DEFLATE",
        "num_threads": "ALL_CPUS",
        "bigtiff": "IF_SAFER",
    }
    tmp = path.with_suffix(".tmp.tif")
    with rasterio.Env(GDAL_CACHEMAX=256), rasterio.open(tmp, "w", **profile) as dst:
        for row0 in range(0, size, 1024):
            row1 = min(size, row0 + 1024)
            window = rasterio.windows.Window(0, row0, size, row1 - row0)
            dst.write(depth_rows(row0, row1, size), 1, window=window)
    tmp.replace(path)


def make_zones(path: Path) -> None:
    import geopandas as gpd
    import shapely

    rng = np.random.default_rng(SEED)
    extent = SIZE * PIXEL
    xmin, ymax = ORIGIN
    ymin = ymax - extent
    frame = shapely.box(xmin, ymin, xmin + extent, ymax)
    points = rng.uniform(0.0, extent, size=(N_ZONES, 2)) + np.array([xmin, ymin])
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(points), extend_to=frame)
    )
    cells = shapely.intersection(cells, frame)
    # Order the cells like the seed points, then densify to ~VERTICES vertices each.
    order = [int(np.flatnonzero(shapely.contains_xy(cells, *p))[0]) for p in points]
    cells = cells[order]
    cells = np.array([shapely.segmentize(c, c.length / VERTICES) for c in cells], dtype=object)
    ids = [f"Z{i + 1:02d}" for i in range(N_ZONES)]
    gpd.GeoDataFrame({"id": ids}, geometry=cells, crs="EPSG:28992").to_file(path)


def write_subset(path: Path, size: int) -> None:
    """The top-left size x size pixels of the full raster, same profile."""
    import rasterio

    with rasterio.Env(GDAL_CACHEMAX=256 << 20), rasterio.open(RASTER) as src:
        profile = src.profile | {"width": size, "height": size, "num_threads": "ALL_CPUS"}
        tmp = path.with_suffix(".tmp.tif")
        with rasterio.open(tmp, "w", **profile) as dst:
            for row0 in range(0, size, 1024):
                window = rasterio.windows.Window(0, row0, size, min(1024, size - row0))
                dst.write(src.read(1, window=window), 1, window=window)
    tmp.replace(path)


def load_zones(subset: bool = False):
    import geopandas as gpd
    import shapely

    zones = gpd.read_file(ZONES)
    if not subset:
        return zones
    xmin, ymax = ORIGIN
    extent = shapely.box(xmin, ymax - SUBSET_SIZE * PIXEL, xmin + SUBSET_SIZE * PIXEL, ymax)
    zones = zones.assign(geometry=zones.geometry.intersection(extent))
    return zones[zones.geometry.area > 1e6].reset_index(drop=True)  # keep parts > 1 km2


def ensure_data() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    if not RASTER.exists():
        start = time.perf_counter()
        write_raster(RASTER, SIZE)
        print(f"generated {RASTER.name} in {time.perf_counter() - start:.1f} s")
    if not SUBSET.exists():
        start = time.perf_counter()
        write_subset(SUBSET, SUBSET_SIZE)
        print(f"generated {SUBSET.name} in {time.perf_counter() - start:.1f} s")
    if not ZONES.exists():
        make_zones(ZONES)
    if not EXACT_RASTER.exists():
        write_subset(EXACT_RASTER, EXACT_SIZE)


# --- approaches, each run in a child process -----------------------------------------------------


def fine_cuts() -> list[np.float32]:
    """'v >= c' tests that give the classes and the strict thresholds, in float32."""
    cuts = [np.float32(e) for e in EDGES[:-1]]
    cuts += [np.nextafter(np.float32(t), np.float32(np.inf)) for t in THRESHOLDS]
    return sorted(set(cuts))


def from_fine_counts(at_least: dict[np.float32, np.ndarray], valid: np.ndarray) -> dict:
    """Class weights and threshold weights from weights of 'v >= c' per cut."""
    result = {}
    edges = [np.float32(e) for e in EDGES[:-1]]
    for i, label in enumerate(LABELS):
        upper = at_least[edges[i + 1]] if i + 1 < len(edges) else 0.0
        result[f"share_{label}"] = 100.0 * (at_least[edges[i]] - upper) / valid
    for t in THRESHOLDS:
        result[f"above_{t:g}_ha"] = at_least[np.nextafter(np.float32(t), np.float32(np.inf))]
    return result


def run_floor(raster: Path) -> dict:
    import rasterio
    from rasterio.windows import Window

    start = time.perf_counter()
    pixels = 0
    with rasterio.open(raster) as ds:
        height = ds.block_shapes[0][0]  # one row of tiles at a time, into one reused buffer
        buffer = np.empty((height, ds.width), dtype=ds.dtypes[0])
        for row0 in range(0, ds.height, height):
            rows = min(height, ds.height - row0)
            window = Window(0, row0, ds.width, rows)
            pixels += ds.read(1, window=window, out=buffer[:rows]).size
    return {"seconds": time.perf_counter() - start, "pixels": pixels}


def run_engine(raster: Path, subset: bool = False, **options) -> dict:
    from adaptatie.zonal import ClassScheme, summary_table, zonal_partials

    zones = load_zones(subset)
    warm = warm_up()
    start = time.perf_counter()
    partials = zonal_partials(raster, zones, ClassScheme(EDGES, LABELS), THRESHOLDS, **options)
    table = summary_table(partials)
    return {"seconds": time.perf_counter() - start, "table": table, "warm_up": warm}


def run_engine_atoms(raster: Path) -> dict:
    """The engine on the zones the product really summarises: the atoms (municipality x water
    board) of 2024 from ../shared/geodata, every region set being a sum of them."""
    from adaptatie.regions.atlas import Atlas
    from adaptatie.zonal import ClassScheme, summary_table, zonal_partials

    atoms = Atlas.open(SHARED).atoms(2024)[["id", "geometry"]]
    warm = warm_up()
    start = time.perf_counter()
    partials = zonal_partials(raster, atoms, ClassScheme(EDGES, LABELS), THRESHOLDS)
    table = summary_table(partials)
    seconds = time.perf_counter() - start
    met = int((partials.total > 0).sum())
    share = read_share(raster, atoms)
    return {"seconds": seconds, "table": table, "warm_up": warm, "atoms": met, "share": share}


def write_class_raster(path: Path) -> None:
    """uint8 raster of fine bins (0 = below every cut), 255 for nodata, no nodata value set."""
    import rasterio
    from rasterio.windows import Window

    cuts = fine_cuts()
    with rasterio.open(RASTER) as src:
        profile = src.profile | {"dtype": "uint8", "nodata": None}
        with rasterio.open(path, "w", **profile) as dst:
            for row0 in range(0, src.height, 512):
                window = Window(0, row0, src.width, min(512, src.height - row0))
                v = src.read(1, window=window)
                bins = np.zeros(v.shape, dtype=np.uint8)
                for cut in cuts:
                    bins += v >= cut
                bins[v == np.float32(NODATA)] = 255
                dst.write(bins, 1, window=window)


def run_exactextract(raster: Path) -> dict:
    import pandas as pd
    from exactextract import exact_extract

    zones = load_zones()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        classes = Path(tmp) / "classes.tif"
        write_class_raster(classes)
        prepared = time.perf_counter()
        values = exact_extract(str(raster), zones, ["mean", "max", "count"], output="pandas")
        bins = exact_extract(str(classes), zones, ["count", "frac", "unique"], output="pandas")
    end = time.perf_counter()
    cuts = fine_cuts()
    rows = []
    for i, zone in enumerate(zones["id"]):
        frac = dict(zip(bins["unique"][i], bins["frac"][i], strict=True))
        covered = bins["count"][i]
        valid = values["count"][i]
        at_least = {
            c: sum(w for b, w in frac.items() if 1 + k <= b < 255) * covered
            for k, c in enumerate(cuts)
        }
        row = {
            "zone_id": zone,
            "mean": values["mean"][i],
            "max": values["max"][i],
            "valid_area_ha": valid * PIXEL**2 / 1e4,
            "nodata_area_ha": (covered - valid) * PIXEL**2 / 1e4,
            "area_ha": covered * PIXEL**2 / 1e4,
        }
        fine = from_fine_counts(at_least, valid)
        for key, value in fine.items():
            row[key] = value * PIXEL**2 / 1e4 if key.startswith("above_") else value
        rows.append(row)
    return {
        "seconds": end - start,
        "class_raster_seconds": prepared - start,
        "extract_seconds": end - prepared,
        "table": pd.DataFrame(rows),
    }


def run_rasterstats(raster: Path) -> dict:
    import pandas as pd
    from rasterstats import zonal_stats

    zones = load_zones()
    cuts = fine_cuts()

    def at_least(masked):
        data = masked.compressed()
        return [int((data >= c).sum()) for c in cuts]

    start = time.perf_counter()
    stats = zonal_stats(
        list(zones.geometry),
        str(raster),
        stats=["mean", "max", "count", "nodata"],
        add_stats={"at_least": at_least},
        nodata=NODATA,
    )
    seconds = time.perf_counter() - start
    rows = []
    for zone, stat in zip(zones["id"], stats, strict=True):
        valid, nodata = stat["count"], stat["nodata"]
        row = {
            "zone_id": zone,
            "mean": stat["mean"],
            "max": stat["max"],
            "valid_area_ha": valid * PIXEL**2 / 1e4,
            "nodata_area_ha": nodata * PIXEL**2 / 1e4,
            "area_ha": (valid + nodata) * PIXEL**2 / 1e4,
        }
        fine = from_fine_counts(dict(zip(cuts, stat["at_least"], strict=True)), valid)
        for key, value in fine.items():
            row[key] = value * PIXEL**2 / 1e4 if key.startswith("above_") else value
        rows.append(row)
    return {"seconds": seconds, "table": pd.DataFrame(rows)}


def run_micro(raster: Path) -> dict:
    """Per-strip aggregation alternatives on one real strip (512 rows x full width)."""
    import rasterio
    import shapely
    from rasterio.features import rasterize
    from rasterio.windows import Window

    from adaptatie.zonal import ClassScheme, zonal_partials

    zones = load_zones()
    with rasterio.open(raster) as ds:
        window = Window(0, 9728, ds.width, 512)
        v = ds.read(1, window=window)
        transform = ds.window_transform(window)
    geoms = zones.geometry.to_numpy()
    n = len(geoms)
    cuts = fine_cuts()
    bins = len(cuts) + 2  # 0: nodata, 1: below every cut, then one per cut

    def labels():
        top, bottom = transform.f, transform.f - 512 * PIXEL
        inside = [
            (g, i + 1) for i, g in enumerate(geoms) if g.bounds[1] < top and g.bounds[3] > bottom
        ]
        clipped = [
            (
                shapely.clip_by_rect(
                    g,
                    transform.c - PIXEL,
                    bottom - PIXEL,
                    transform.c + (SIZE + 1) * PIXEL,
                    top + PIXEL,
                ),
                i,
            )
            for g, i in inside
        ]
        return rasterize(clipped, out_shape=v.shape, transform=transform, dtype="uint8")

    def fine_bins():
        f = np.ones(v.shape, dtype=np.uint8)
        for c in cuts:
            f += v >= c
        f[v == np.float32(NODATA)] = 0
        return f

    def per_pixel_bincount(maximum: str):
        lab = labels().astype(np.intp)
        key = lab * bins + fine_bins()
        counts = np.bincount(key.ravel(), minlength=(n + 1) * bins)
        ok = v != np.float32(NODATA)
        sums = np.bincount(lab[ok], weights=v[ok], minlength=n + 1)
        vmax = np.full(n + 1, -np.inf)
        if maximum == "ufunc.at":
            np.maximum.at(vmax, lab[ok], v[ok])
        else:  # sort by label, then reduceat over the label boundaries
            order = np.argsort(lab[ok], kind="stable")
            lab_sorted, v_sorted = lab[ok][order], v[ok][order]
            first = np.flatnonzero(np.r_[True, lab_sorted[1:] != lab_sorted[:-1]])
            vmax[lab_sorted[first]] = np.maximum.reduceat(v_sorted, first)
        return counts, sums, vmax

    def engine():
        strip_zones = zones.assign(
            geometry=shapely.clip_by_rect(
                geoms,
                transform.c,
                transform.f - 512 * PIXEL,
                transform.c + SIZE * PIXEL,
                transform.f,
            )
        )
        strip_zones = strip_zones[~strip_zones.geometry.is_empty]
        zonal_partials(
            (v, transform, NODATA),
            strip_zones,
            ClassScheme(EDGES, LABELS),
            THRESHOLDS,
            exact_below_pixels=0,
        )

    def best(func, repeat=3):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
        return min(times)

    return {
        "pixels": v.size,
        "strips": math.ceil(SIZE / 512),
        "rasterize": best(labels),
        "bincount + maximum.at": best(lambda: per_pixel_bincount("ufunc.at"), 1),
        "bincount + sort max": best(lambda: per_pixel_bincount("sort")),
        "engine (runs, compiled loops)": best(engine),
    }


def small_zones():
    """~300 neighbourhood-sized discs (1 300 - 7 800 pixels, 33 vertices), not overlapping."""
    import geopandas as gpd
    import shapely

    rng = np.random.default_rng(SEED + 1)
    extent = SIZE * PIXEL
    points = rng.uniform(0.0, extent, size=(300, 2)) + np.array([ORIGIN[0], ORIGIN[1] - extent])
    discs = shapely.buffer(shapely.points(points), rng.uniform(100.0, 250.0, 300), quad_segs=8)
    tree = shapely.STRtree(discs)
    keep = [i for i, disc in enumerate(discs) if tree.query(disc, "intersects").min() == i]
    ids = [f"S{i:03d}" for i in range(len(keep))]
    return gpd.GeoDataFrame({"id": ids}, geometry=discs[keep], crs="EPSG:28992")


def run_small(raster: Path) -> dict:
    """The exact path (coverage fractions) against exactextract on small zones."""
    from exactextract import exact_extract

    from adaptatie.zonal import ClassScheme, summary_table, zonal_partials

    zones = small_zones()
    start = time.perf_counter()
    table = summary_table(zonal_partials(raster, zones, ClassScheme(EDGES, LABELS), THRESHOLDS))
    engine = time.perf_counter() - start
    start = time.perf_counter()
    reference = exact_extract(str(raster), zones, ["mean", "count"], output="pandas")
    exact = time.perf_counter() - start
    count = table["valid_area_ha"] * 1e4 / PIXEL**2
    ok = reference["count"] > 0
    mean_diff = (table["mean"] - reference["mean"]).abs()[ok].max()
    return {
        "seconds": engine,
        "exactextract_seconds": exact,
        "zones": len(zones),
        "pixels": (float(zones.area.min() / PIXEL**2), float(zones.area.max() / PIXEL**2)),
        "mean_abs_diff": float(mean_diff),
        "count_rel_diff": float(
            ((count - reference["count"]).abs() / reference["count"])[ok].max()
        ),
    }


def exact_zones():
    """200 Voronoi cells over the 5000 x 5000 raster, ~500 vertices each (125 000 px on average)."""
    import geopandas as gpd
    import shapely

    rng = np.random.default_rng(SEED + 2)
    extent = EXACT_SIZE * PIXEL
    xmin, ymax = ORIGIN
    frame = shapely.box(xmin, ymax - extent, xmin + extent, ymax)
    points = rng.uniform(0.0, extent, size=(N_EXACT, 2)) + np.array([xmin, ymax - extent])
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(points), extend_to=frame)
    )
    cells = shapely.intersection(cells, frame)
    cells = np.array([shapely.segmentize(c, c.length / 500) for c in cells], dtype=object)
    ids = [f"E{i:03d}" for i in range(len(cells))]
    return gpd.GeoDataFrame({"id": ids}, geometry=cells, crs="EPSG:28992")


def run_exact200(raster: Path) -> dict:
    """Every zone on the exact path (exact_below_pixels=inf) against exactextract."""
    from exactextract import exact_extract

    from adaptatie.zonal import ClassScheme, summary_table, zonal_partials

    zones = exact_zones()
    scheme = ClassScheme(EDGES, LABELS)
    start = time.perf_counter()
    table = summary_table(
        zonal_partials(raster, zones, scheme, THRESHOLDS, exact_below_pixels=math.inf)
    )
    engine = time.perf_counter() - start
    start = time.perf_counter()
    reference = exact_extract(str(raster), zones, ["mean", "count"], output="pandas")
    exact = time.perf_counter() - start
    count = table["valid_area_ha"] * 1e4 / PIXEL**2
    return {
        "seconds": engine,
        "exactextract_seconds": exact,
        "zones": len(zones),
        "mean_abs_diff": float((table["mean"] - reference["mean"]).abs().max()),
        "count_rel_diff": float(((count - reference["count"]).abs() / reference["count"]).max()),
    }


WORKERS = {
    "floor": lambda: run_floor(RASTER),
    "floor-subset": lambda: run_floor(SUBSET),
    "engine": lambda: run_engine(RASTER),
    "engine-1reader": lambda: run_engine(RASTER, read_threads=1),
    "engine-atoms": lambda: run_engine_atoms(RASTER),
    "exact200": lambda: run_exact200(EXACT_RASTER),
    "engine-subset": lambda: run_engine(SUBSET, subset=True),
    "exactextract": lambda: run_exactextract(RASTER),
    "rasterstats": lambda: run_rasterstats(RASTER),
    "micro": lambda: run_micro(RASTER),
    "small": lambda: run_small(RASTER),
}


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM). wait4's ru_maxrss is not used: it also holds the
    parent's peak at the time of the fork."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return math.nan


def child(name: str, out: Path) -> None:
    result = WORKERS[name]()
    result["peak_rss_mb"] = peak_rss_mb()
    with out.open("wb") as fh:
        pickle.dump(result, fh)


def spawn(name: str, cachemax_mb: int | None, timeout: float = 300.0) -> dict:
    """Run one worker in a fresh process; it reports its own time and peak RSS."""
    env = dict(os.environ)
    env.pop("GDAL_CACHEMAX", None)
    if cachemax_mb is not None:
        env["GDAL_CACHEMAX"] = str(cachemax_mb)  # GDAL reads values < 100000 as MB
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.pickle"
        busy_before = busy_cpu_seconds()
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", name, "--out", str(out)], env=env, cwd=ROOT
        )
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                return {"error": f"timeout after {timeout:.0f} s", "wall": timeout}
            time.sleep(0.02)
        wall = time.perf_counter() - start
        busy = busy_cpu_seconds() - busy_before
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0 or not out.exists():
            return {"error": f"exit status {proc.returncode}", "wall": wall}
        with out.open("rb") as fh:
            result = pickle.load(fh)
    result["wall"] = wall
    result["cpu"] = usage.ru_utime + usage.ru_stime
    # CPU used meanwhile by other processes (and the hypervisor), as % of all cores.
    result["others_pct"] = max(0.0, 100 * (busy - result["cpu"]) / (wall * (os.cpu_count() or 1)))
    return result


def busy_cpu_seconds() -> float:
    """Non-idle CPU time of the whole machine so far (from /proc/stat), in seconds."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


# --- report --------------------------------------------------------------------------------------


def pkg(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "n/a"


def machine() -> None:
    import rasterio

    cpu = "?"
    with Path("/proc/cpuinfo").open() as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"machine: {platform.machine()} {cpu}, {os.cpu_count()} cores, {mem_gb:.0f} GB RAM")
    print(
        f"python {platform.python_version()}, numpy {pkg('numpy')}, rasterio {pkg('rasterio')} "
        f"(GDAL {rasterio.__gdal_version__}), shapely {pkg('shapely')}, "
        f"exactextract {pkg('exactextract')}, rasterstats {pkg('rasterstats')}"
    )
    print(
        f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        "(other processes share the machine; times vary with it)"
    )


def section(title: str) -> None:
    print()
    print(title)
    print("-" * len(title))


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def differences(engine, other) -> dict[str, float]:
    """Largest differences over the zones: means and areas in %, shares in points."""
    a = engine.set_index("zone_id")
    b = other.set_index("zone_id").loc[a.index]
    rel = lambda col: float((100 * (b[col] - a[col]).abs() / a[col].abs()).max())  # noqa: E731
    shares = [f"share_{label}" for label in LABELS]
    return {
        "mean %": rel("mean"),
        "shares pp": float((b[shares] - a[shares]).abs().max().max()),
        "valid area %": rel("valid_area_ha"),
        "nodata area %": rel("nodata_area_ha"),
        **{f"{col} %": rel(col) for col in (f"above_{t:g}_ha" for t in THRESHOLDS)},
        "max (abs)": float((b["max"] - a["max"]).abs().max()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--skip-others",
        action="store_true",
        help="only the floor and the engine (no exactextract, rasterstats)",
    )
    args = parser.parse_args()
    if args.worker:
        child(args.worker, args.out)
        return
    begin = time.perf_counter()
    ensure_data()
    machine()
    cachemax = int(ENGINE_CACHEMAX.removesuffix("MB"))
    print(
        f"raster: {RASTER.name}, {SIZE} x {SIZE} = {SIZE * SIZE / 1e6:.0f} Mpx float32, "
        f"{PIXEL:g} m, tiled 512 x 512, DEFLATE, {RASTER.stat().st_size / 2**20:.0f} MiB; "
        f"subset {SUBSET_SIZE} x {SUBSET_SIZE} = {SUBSET_SIZE**2 / 1e6:.0f} Mpx"
    )
    print(
        f"zones: {N_ZONES} Voronoi cells, ~{VERTICES} vertices each; classes {LABELS} "
        f"(edges {EDGES}), thresholds {THRESHOLDS}"
    )
    print(
        f"GDAL_CACHEMAX={cachemax} MB for the floor and the engine (the engine reads whole "
        "tile rows once, so a bigger cache only costs memory); exactextract and rasterstats "
        "keep GDAL's default (5 % of RAM), as they re-read blocks shared by neighbours."
    )

    runs: dict[str, dict] = {}
    plan = [
        (f"{name} #{i}", name, cachemax) for i in (1, 2, 3) for name in ("floor", "engine")
    ]  # repeats interleaved, so that a busy spell on the machine hits both
    plan += [
        ("floor, default cache", "floor", None),
        ("engine, default cache", "engine", None),
        ("engine, 1 thread", "engine-1reader", cachemax),
        ("engine, atoms of 2024", "engine-atoms", cachemax),
        ("floor, 1e8 subset", "floor-subset", cachemax),
        ("engine, 1e8 subset", "engine-subset", cachemax),
    ]
    if not args.skip_others:
        plan += [("exactextract", "exactextract", None), ("rasterstats", "rasterstats", None)]
    section("Time and peak RSS, each approach in its own process")
    print("time: inside the process, after imports; wall: the whole process; cpu: user + system")
    print("of the process; others: CPU used meanwhile by other processes, % of all cores.")
    print(
        f"{'approach':24}{'time s':>8}{'wall s':>8}{'cpu s':>7}{'peak RSS MB':>13}"
        f"{'others':>8}  notes"
    )
    for label, worker, cache in plan:
        result = spawn(worker, cache)
        runs[label] = result
        if "error" in result:
            print(f"{label:24}{'-':>8}{result['wall']:8.1f}  {result['error']}")
            continue
        note = ""
        if worker == "exactextract":
            note = (
                f"class raster {result['class_raster_seconds']:.1f} s + exact_extract "
                f"{result['extract_seconds']:.1f} s"
            )
        if worker.startswith("floor"):
            note = f"{result['pixels'] / result['seconds'] / 1e6:.0f} Mpx/s decoded"
        if "warm_up" in result:
            note = f"+ {result['warm_up']:.2f} s start of the compiled loops (not in time)"
        if "atoms" in result:
            note = f"{result['atoms']} atoms, {result['share']:.0%} of the pixels read; " + note
        print(
            f"{label:24}{result['seconds']:8.2f}{result['wall']:8.2f}{result['cpu']:7.1f}"
            f"{result['peak_rss_mb']:13.0f}{result['others_pct']:7.0f}%  {note}"
        )
    for name in ("floor", "engine"):
        repeats = [runs[f"{name} #{i}"] for i in (1, 2, 3)]
        ok = [r for r in repeats if "error" not in r]
        if not ok:
            runs[name] = repeats[0]
            continue
        median = sorted(ok, key=lambda r: r["seconds"])[len(ok) // 2]
        runs[name] = median | {"peak_rss_mb": max(r["peak_rss_mb"] for r in ok)}
        times = ", ".join(f"{r['seconds']:.2f}" for r in ok)
        print(f"{name}: median {median['seconds']:.2f} s of {times}")

    section("Targets")
    floor, engine = runs["floor"], runs["engine"]
    if "error" not in engine and "error" not in floor:
        ratio = engine["seconds"] / floor["seconds"]
        print(
            f"engine / floor (medians)           {ratio:6.2f} x   target <= 0.6 x   "
            f"{verdict(ratio <= 0.6)}   (floor: one thread; engine: two threads)"
        )
        atoms = runs.get("engine, atoms of 2024", {})
        if atoms and "error" not in atoms:
            ratio = atoms["seconds"] / floor["seconds"]
            print(
                f"engine on the atoms / floor        {ratio:6.2f} x   target <= 0.6 x   "
                f"{verdict(ratio <= 0.6)}   (the zones every region set is summed from; "
                f"per pixel read {ratio / atoms['share']:.2f} x)"
            )
        one = runs.get("engine, 1 thread", {})
        if one and "error" not in one:
            print(f"engine, 1 thread / floor           {one['seconds'] / floor['seconds']:6.2f} x")
        sub = runs["engine, 1e8 subset"]
        sub_ratio = sub["seconds"] / runs["floor, 1e8 subset"]["seconds"]
        print(f"engine / floor on the 1e8 subset   {sub_ratio:6.2f} x")
        peak, peak_sub = engine["peak_rss_mb"], sub["peak_rss_mb"]
        print(
            f"engine peak RSS 4e8 px / 1e8 px    {peak:6.0f} / {peak_sub:.0f} MB   "
            f"target <= 1536 MB and not growing   "
            f"{verdict(peak <= 1536 and peak <= 1.15 * peak_sub)}"
        )
        ee = runs.get("exactextract", {})
        if ee and "error" not in ee:
            r_all = ee["seconds"] / engine["seconds"]
            r_ops = ee["extract_seconds"] / engine["seconds"]
            print(
                f"exactextract / engine              {r_ops:6.2f} x   target >= 2 x   "
                f"{verdict(r_ops >= 2)}   (exact_extract calls only; with the class raster "
                f"{r_all:.2f} x)"
            )
        rs = runs.get("rasterstats", {})
        if rs and "error" not in rs:
            print(f"rasterstats / engine               {rs['seconds'] / engine['seconds']:6.2f} x")

    section("Agreement with the engine (largest difference over the zones)")
    for label in ("exactextract", "rasterstats"):
        other = runs.get(label)
        if not other or "error" in other or "error" in engine:
            continue
        diff = differences(engine["table"], other["table"])
        text = ", ".join(f"{key} {value:.4f}" for key, value in diff.items())
        print(f"{label}: {text}")
        if label == "exactextract":
            print(
                f"  means within 0.1 %: {verdict(diff['mean %'] <= 0.1)}; shares within 0.1 "
                f"pp: {verdict(diff['shares pp'] <= 0.1)}"
            )
    if "error" not in engine:
        table = engine["table"]
        print(
            f"engine: {len(table)} zones, {table['area_ha'].sum() / 100:.0f} km2 covered, "
            f"{table['nodata_area_ha'].sum() / 100:.1f} km2 nodata, mean of means "
            f"{table['mean'].mean():.4f} m"
        )

    section("Per-strip aggregation alternatives (one 512-row strip, 10 Mpx, best of 3)")
    micro = spawn("micro", cachemax)
    if "error" in micro:
        print(micro["error"])
    else:
        strips = micro["strips"]
        print(f"{'method':34}{'ms/strip':>10}{'s per 4e8 px':>14}")
        for key in (
            "rasterize",
            "bincount + maximum.at",
            "bincount + sort max",
            "engine (runs, compiled loops)",
        ):
            print(f"{key:34}{micro[key] * 1000:10.0f}{micro[key] * strips:14.1f}")
        print(
            "(the per-pixel methods include rasterize; the engine row is zonal_partials on the"
            " in-memory strip, its own centre-rule runs included)"
        )
    if not args.skip_others:
        section("Small zones: the exact path (coverage fractions) against exactextract")
        small = spawn("small", cachemax)
        if "error" in small:
            print(small["error"])
        else:
            low, high = small["pixels"]
            print(
                f"{small['zones']} discs of {low:.0f}-{high:.0f} pixels spread over the raster: "
                f"engine {small['seconds']:.2f} s, exactextract (mean, count) "
                f"{small['exactextract_seconds']:.2f} s, peak RSS {small['peak_rss_mb']:.0f} MB"
            )
            print(
                f"largest difference: mean {small['mean_abs_diff']:.2e} m, valid weight "
                f"{100 * small['count_rel_diff']:.2e} %"
            )
    if not args.skip_others:
        section(f"Exact path: {N_EXACT} zones of a {EXACT_SIZE} x {EXACT_SIZE} raster, all exact")
        ex = spawn("exact200", cachemax)
        if "error" in ex:
            print(ex["error"])
        else:
            print(
                f"engine (all statistics) {ex['seconds']:.2f} s, exactextract (mean, count) "
                f"{ex['exactextract_seconds']:.2f} s, ratio "
                f"{ex['seconds'] / ex['exactextract_seconds']:.2f} x   target <= 2 x   "
                f"{verdict(ex['seconds'] <= 2 * ex['exactextract_seconds'])}; peak RSS "
                f"{ex['peak_rss_mb']:.0f} MB"
            )
            print(
                f"largest difference: mean {ex['mean_abs_diff']:.2e} m, valid weight "
                f"{100 * ex['count_rel_diff']:.2e} %"
            )
    print(f"\ntotal benchmark time {time.perf_counter() - begin:.0f} s")


if __name__ == "__main__":
    main()
