"""Benchmark of the regional water map: browser payload, build time, rerun time, first paint.

Run from the project root::

    .venv/bin/python bench/map.py            # everything
    .venv/bin/python bench/map.py --profile  # also profile one warm rerun of the map page

The script prints its figures, each next to its target with OK/OVER; it asserts nothing.

1. Browser payload: bytes of every layer of ``map_layers`` per boundary year, vertices before and
   after simplification, and a gap/overlap check of the simplified municipal coverage; repeated
   for a densified copy (a vertex every 10 m) that emulates a full-detail PDOK download.
2. Cold and warm time of ``map_layers`` and of ``build_map`` + rendering to HTML.
3. Server-side time of a warm rerun of the map page (Streamlit AppTest, in-process).
4. First map paint in headless Chromium against ``streamlit run server.py`` (network kept local).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlparse

import geopandas as gpd
import numpy as np
import shapely
from _app import CHROMIUM, LOCAL_HOSTS, ROOT, local_only, streamlit_server

from adaptatie.regions.atlas import Atlas
from adaptatie.regions.display import (
    DEFAULT_TOLERANCE_M,
    DRAW_ORDER,
    MapLayer,
    map_layers,
    simplify_coverage,
    to_geojson,
)
from adaptatie.regions.models import RegionKind

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
MAP_PATH = "path.leaflet-interactive"
APP_SHELL = '[data-testid="stApp"]'
RESOLVER_RULES = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"

TARGET_PAYLOAD_B = 1_000_000  # all layers of one year together
TARGET_RERUN_S = 0.5  # warm rerun of the map page, server side
TARGET_PAINT_S = 2.0  # warm first map paint in the browser

DENSIFY_M = 10.0  # vertex spacing of the emulated full-detail download
DENSIFY_NOTE = """\
Note: 'valid' can turn False here for years whose source is valid. segmentize interpolates
a shared edge from both ends; a new point that lies on a half millimetre then rounds to
different sides in simplify_coverage's 1 mm snap, and coverage_simplify leaves the edges
around such a mismatch unsimplified (the few extra 'gem' vertices after, versus the source)."""
WARM_REPEATS = 3  # warm repetitions of map_layers / build_map
RERUNS = 5  # warm AppTest reruns
WARM_LOADS = 3  # warm page loads in the browser
PAINT_TIMEOUT_MS = 60_000

# Columns of the payload table, in drawing order (same order as map_layers).
KINDS = DRAW_ORDER
SHORT = {
    RegionKind.GEMEENTE: "gem",
    RegionKind.WATERSCHAP: "ws",
    RegionKind.PROVINCIE: "prov",
    RegionKind.WERKREGIO: "werkr",
    RegionKind.SAMENWERKINGSVERBAND: "samenw",
    RegionKind.CLUSTER: "clust",
}


# --- helpers -------------------------------------------------------------------------------------


def verdict(value: float, target: float) -> str:
    return "OK" if value <= target else "OVER"


def timed(func: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def pkg(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "n/a"


def section(title: str) -> None:
    """A section title; the 1-minute load average shows whether other work competed."""
    print()
    print(title)
    print("-" * len(title), f"load {os.getloadavg()[0]:.1f}")


def vertices(geoms: np.ndarray | gpd.GeoSeries) -> int:
    return int(shapely.get_num_coordinates(np.asarray(geoms)).sum())


def layer_vertices(layer: MapLayer) -> int:
    """Coordinates actually sent to the browser (after rounding)."""
    return int(shapely.get_num_coordinates(shapely.from_geojson(layer.geojson)))


def holes(geom: shapely.Geometry) -> shapely.Geometry:
    """The interior rings of a (multi)polygon as one polygonal geometry."""
    rings = [
        shapely.get_interior_ring(part, i)
        for part in shapely.get_parts(geom)
        for i in range(shapely.get_num_interior_rings(part))
    ]
    if not rings:
        return shapely.Polygon()
    return shapely.union_all(shapely.polygons(rings))


def densify(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        frame.drop(columns="geometry"),
        geometry=shapely.segmentize(frame.geometry.to_numpy(), DENSIFY_M),
        crs=frame.crs,
    )


class DensifiedAtlas(Atlas):
    """An Atlas whose municipalities and water boards have a vertex at least every 10 m.

    This emulates full-detail PDOK downloads: the boundaries keep their shape, but carry
    as many vertices as an ungeneralised source would.
    """

    def gemeenten(self, year: int) -> gpd.GeoDataFrame:
        base = super().gemeenten(year)
        return self._memo.get(("dense_gemeenten", year), lambda: densify(base))

    def waterschappen(self) -> gpd.GeoDataFrame:
        base = super().waterschappen()
        return self._memo.get("dense_waterschappen", lambda: densify(base))


# --- 1. browser payload ------------------------------------------------------------------------


def payload(atlas: Atlas, label: str, note: str = "") -> None:
    years = atlas.years
    tol = DEFAULT_TOLERANCE_M
    section(f"1. Browser payload, {label}; tolerance {tol:g} m")
    layers_by_year: dict[int, dict[RegionKind, MapLayer]] = {}
    seconds: dict[int, float] = {}
    for year in years:
        seconds[year], layers_by_year[year] = timed(lambda year=year: map_layers(atlas, year))

    print("GeoJSON bytes per layer; target: all layers of a year <= 1,000,000 B.")
    print("'gem full' = the municipal layer written without simplification, for comparison.")
    head = "".join(f"{SHORT[k]:>9}" for k in KINDS)
    print(f"  year{head}{'total':>11}  verdict{'gem full':>12}{'map_layers':>12}")
    for year in years:
        layers = layers_by_year[year]
        total = sum(layer.size_bytes for layer in layers.values())
        cells = "".join(f"{layers[k].size_bytes:>9,}" for k in KINDS)
        full = len(to_geojson(atlas.gemeenten(year)).encode("utf-8"))
        print(
            f"  {year}{cells}{total:>11,}  {verdict(total, TARGET_PAYLOAD_B):<7}"
            f"{full:>12,}{ms(seconds[year]):>12}"
        )

    print()
    print("Vertices: full-detail frames (gemeenten of the year, waterschappen full extent) vs")
    print("coordinates in the layers sent to the browser (water boards clipped to the map area).")
    print(
        f"  year{'gem':>10}{'ws':>10}{'before':>10}  |{'gem':>8}{'ws':>8}{'after':>8}"
        f"{'change':>9}  |{'all layers':>11}"
    )
    ws_before = vertices(atlas.waterschappen().geometry)
    for year in years:
        layers = layers_by_year[year]
        gem_before = vertices(atlas.gemeenten(year).geometry)
        before = gem_before + ws_before
        gem_after = layer_vertices(layers[RegionKind.GEMEENTE])
        ws_after = layer_vertices(layers[RegionKind.WATERSCHAP])
        after = gem_after + ws_after
        every = sum(layer_vertices(layer) for layer in layers.values())
        change = (after - before) / before * 100
        print(
            f"  {year}{gem_before:>10,}{ws_before:>10,}{before:>10,}  |{gem_after:>8,}"
            f"{ws_after:>8,}{after:>8,}{change:>8.1f}%  |{every:>11,}"
        )

    print()
    print("Simplified municipal coverage (simplify_coverage of atlas.gemeenten(year).geometry),")
    print("areas in m²: overlap = sum(areas) - area(union); gaps = holes in the union of the")
    print("simplified set that are not holes of the original union; outline change = area of")
    print("union(original) - union(simplified) (net) and of their symmetric difference (sym).")
    print("valid = shapely.coverage_is_valid of the snapped input / of the simplified result.")
    print(
        f"  year{'overlap orig':>14}{'overlap simpl':>15}{'gaps':>8}"
        f"{'outline net':>13}{'outline sym':>13}{'valid':>14}"
    )
    for year in years:
        original = atlas.gemeenten(year).geometry.to_numpy()
        simple = simplify_coverage(original, tol)
        u_orig, u_simp = shapely.union_all(original), shapely.union_all(simple)
        overlap_orig = float(shapely.area(original).sum() - u_orig.area)
        overlap_simp = float(shapely.area(simple).sum() - u_simp.area)
        gaps = shapely.difference(holes(u_simp), holes(u_orig)).area
        net = u_orig.area - u_simp.area
        sym = shapely.symmetric_difference(u_orig, u_simp).area
        valid_in = shapely.coverage_is_valid(shapely.set_precision(original, 0.001))
        valid_out = shapely.coverage_is_valid(simple)
        print(
            f"  {year}{round(overlap_orig):>14,}{round(overlap_simp):>15,}{round(gaps):>8,}"
            f"{round(net):>13,}{round(sym):>13,}{f'{valid_in}/{valid_out}':>14}"
        )
    if note:
        print(note)


# --- 2. build times ----------------------------------------------------------------------------


def build_times(year_list: tuple[int, ...]) -> None:
    from adaptatie.ui.map import build_map
    from adaptatie.ui.map_page import DEFAULT_VISIBLE

    section("2. Build times (in-process)")
    print("map_layers cold = Atlas.open() + map_layers(year) on a fresh Atlas (files read);")
    print(f"warm = map_layers again on the same Atlas (median of {WARM_REPEATS}).")
    print("build = build_map(...) as the map page calls it; render = fmap.get_root().render().")
    print("The first build+render in the process is cold (templates compiled); others warm.")
    print(
        f"  year{'layers cold':>13}{'layers warm':>13}{'build':>10}{'render':>10}"
        f"{'build+render':>14}{'HTML bytes':>13}"
    )
    first = True
    for year in year_list:
        cold, atlas = timed(Atlas.open)
        cold_layers, layers = timed(lambda atlas=atlas, year=year: map_layers(atlas, year))
        warm = statistics.median(
            timed(lambda atlas=atlas, year=year: map_layers(atlas, year))[0]
            for _ in range(WARM_REPEATS)
        )
        sources = [f"Gemeentegrenzen {year}: CBS/Kadaster (CC-BY 4.0)"]

        def build(layers: dict = layers, year: int = year, sources: list = sources) -> object:
            return build_map(layers, year, DEFAULT_VISIBLE, basemap=True, sources=sources)

        rounds = []
        html = ""
        for _ in range(1 if first else WARM_REPEATS):
            t_build, fmap = timed(build)
            t_render, html = timed(fmap.get_root().render)
            rounds.append((t_build, t_render))
        t_build, t_render = min(rounds, key=sum)
        note = "  (cold)" if first else ""
        first = False
        print(
            f"  {year}{ms(cold + cold_layers):>13}{ms(warm):>13}{ms(t_build):>10}"
            f"{ms(t_render):>10}{ms(t_build + t_render):>14}{len(html.encode()):>13,}{note}"
        )
    print("(warm build/render: best of", WARM_REPEATS, "runs)")


# --- 3. server rerun ---------------------------------------------------------------------------


def server_rerun(profile: bool) -> None:
    from streamlit.testing.v1 import AppTest

    section("3. Server time of the map page (Streamlit AppTest, in-process script run)")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    cold, _ = timed(at.run)
    if at.exception:
        print("  FAILED: the page raised:", *(e.value for e in at.exception))
        return
    warm = [timed(at.run)[0] for _ in range(RERUNS)]
    best, median = min(warm), statistics.median(warm)
    print(f"  cold run      {ms(cold):>9}   (loads the data, fills st.cache_resource)")
    print(f"  warm reruns   {'  '.join(ms(t) for t in warm)}")
    print(
        f"  warm min {ms(best)}, median {ms(median)}; target <= {ms(TARGET_RERUN_S)}: "
        f"{verdict(median, TARGET_RERUN_S)}"
    )
    if profile:
        profile_rerun(at)


def profile_rerun(at: object) -> None:
    """Profile map_page.render() during one warm rerun (AppTest runs the script in a thread)."""
    from adaptatie.ui import map_page

    profiler = cProfile.Profile()
    original = map_page.render

    def render() -> None:
        profiler.enable()
        try:
            original()
        finally:
            profiler.disable()

    map_page.render = render
    try:
        total, _ = timed(at.run)
    finally:
        map_page.render = original
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    print(f"  profiled rerun {ms(total)}, of which map_page.render() {ms(stats.total_tt)}:")
    stats.sort_stats("cumulative").print_stats(18)
    lines = out.getvalue().splitlines()
    table = lines[next(i for i, line in enumerate(lines) if "ncalls" in line) :]
    for line in table:
        if line.strip():
            print("   ", line.replace(str(ROOT) + "/", "").replace(sys.prefix, "<venv>")[:118])


# --- 4. first paint in the browser -------------------------------------------------------------


# Resources fetched by the main page so far: count and bytes over the wire (0 from HTTP cache).
TRANSFER_JS = """() => {
    const entries = [...performance.getEntriesByType("navigation"),
                     ...performance.getEntriesByType("resource")];
    return [entries.length, entries.reduce((sum, e) => sum + (e.transferSize || 0), 0)];
}"""


def page_loads(browser: object, url: str, route: bool) -> tuple[list[dict], list[str]]:
    """One cold and WARM_LOADS warm loads, each a new page in one context; timings in s."""
    failed: list[str] = []

    def note_failure(request: object) -> None:
        host = urlparse(request.url).hostname
        if host not in LOCAL_HOSTS:
            failed.append(host or request.url[:30])

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(PAINT_TIMEOUT_MS)
    context.on("requestfailed", note_failure)
    if route:
        context.route("**/*", local_only)
    loads = []
    try:
        for _ in range(1 + WARM_LOADS):
            page = context.new_page()
            try:
                t0 = time.perf_counter()
                page.goto(url, wait_until="commit", timeout=PAINT_TIMEOUT_MS)
                page.wait_for_selector(APP_SHELL, state="attached", timeout=PAINT_TIMEOUT_MS)
                shell = time.perf_counter() - t0
                page.wait_for_selector(MAP_IFRAME, state="attached", timeout=PAINT_TIMEOUT_MS)
                iframe = time.perf_counter() - t0
                path = page.frame_locator(MAP_IFRAME).locator(MAP_PATH).first
                path.wait_for(state="visible", timeout=PAINT_TIMEOUT_MS)
                total = time.perf_counter() - t0
                requests, transferred = page.evaluate(TRANSFER_JS)
            finally:
                page.close()
            loads.append(
                {
                    "total": total,
                    "shell": shell,
                    "iframe": iframe,
                    "n": requests,
                    "bytes": transferred,
                }
            )
    finally:
        context.close()
    return loads, failed


def report_loads(loads: list[dict], failed: list[str]) -> float:
    for i, load in enumerate(loads):
        what = "cold" if i == 0 else f"warm {i}"
        print(
            f"  {what:<7}{ms(load['total']):>9}   app shell {ms(load['shell']):>8}, "
            f"map iframe {ms(load['iframe']):>8}; main page fetched "
            f"{load['bytes'] / 1e6:.2f} MB in {load['n']} requests"
        )
    hosts = ", ".join(sorted(set(failed))) or "none"
    print(f"  non-local requests blocked: {len(failed)} ({hosts})")
    return statistics.median(load["total"] for load in loads[1:])


def first_paint() -> None:
    section("4. First map paint in headless Chromium (streamlit run, only local requests)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("  SKIPPED: playwright is not installed (pip install -e '.[dev]').")
        return
    if not Path(CHROMIUM).is_file():
        print(f"  SKIPPED: {CHROMIUM} is missing (make browser).")
        return

    print("Time from page.goto() until the first path.leaflet-interactive in the map iframe is")
    print("visible. A new page in the same browser context for each load; the server stays up.")
    start = time.perf_counter()
    with streamlit_server() as url, sync_playwright() as pw:
        print(f"  server healthy after {ms(time.perf_counter() - start)} ({url})")

        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            print(f"  Chromium {browser.version}; context.route aborts non-local requests")
            felt = felt_timings(browser, url)  # first: the server has not drawn a map yet
            warm = report_loads(*page_loads(browser, url, route=True))
        finally:
            browser.close()
        print(
            f"  warm median {ms(warm)}; target <= {ms(TARGET_PAINT_S)}: "
            f"{verdict(warm, TARGET_PAINT_S)}"
        )
        section("5. As a user feels it (new page, server fresh; issue 14 item 9)")
        report_felt(felt)

        # Reference only: Playwright turns the HTTP cache off while any route is set, so every
        # "warm" load above downloads Streamlit's frontend again, and each request makes a round
        # trip to the Python route handler. Blocking other hosts in the resolver instead keeps
        # the network local with the cache on, as a returning user would have it.
        print("  reference, not the target measurement: no context.route, other hosts blocked")
        print("  by --host-resolver-rules, so the browser's HTTP cache works:")
        args = [*CHROMIUM_ARGS, RESOLVER_RULES]
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=args, timeout=60_000)
        try:
            reference = report_loads(*page_loads(browser, url, route=False))
        finally:
            browser.close()
        print(f"  reference warm median {ms(reference)} (cold here = browser cold, server warm)")


# --- 5. timings as a user feels them --------------------------------------------------------------

YEAR_SLIDER = "Grensjaar (gemeentelijke indeling)"
TARGET_FELT_S = {"first map load": 5.0, "year switch": 3.0, "click to panel": 1.5}


def felt_timings(browser: object, url: str) -> dict[str, float]:
    """First map load, a year switch (2024 -> 2023, the map redrawn) and a click on Emmen until
    its panel heading shows, in one new page with only local requests; seconds."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(PAINT_TIMEOUT_MS)
    context.route(
        "**/*",
        lambda route: route.continue_()
        if urlparse(route.request.url).hostname in LOCAL_HOSTS
        or urlparse(route.request.url).scheme in ("data", "blob", "about")
        else route.abort(),
    )
    out: dict[str, float] = {}
    try:
        page = context.new_page()
        frame = page.frame_locator(MAP_IFRAME)
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        frame.locator(MAP_PATH).first.wait_for(state="visible")
        out["first map load"] = time.perf_counter() - t0

        slider = page.get_by_role("slider", name=YEAR_SLIDER)
        slider.focus()
        t0 = time.perf_counter()
        page.keyboard.press("ArrowLeft")
        frame.locator(".leaflet-control-layers-overlays", has_text="Gemeenten (2023)").wait_for(
            state="attached"
        )
        frame.locator(MAP_PATH).first.wait_for(state="visible")
        out["year switch"] = time.perf_counter() - t0

        emmen = frame.locator("path.region-gemeente-GM0114")
        emmen.wait_for(state="visible")
        t0 = time.perf_counter()
        emmen.click()
        page.get_by_role("heading", name="Emmen").wait_for(state="visible")
        out["click to panel"] = time.perf_counter() - t0
    finally:
        context.close()
    return out


def report_felt(timings: dict[str, float]) -> None:
    for name, seconds in timings.items():
        target = TARGET_FELT_S[name]
        print(
            f"  {name:<16}{ms(seconds):>9}; target <= {ms(target)}: {verdict(seconds, target)}"
        )


# --- main ----------------------------------------------------------------------------------------


def quiet_bare_mode_warning() -> None:
    """Importing the UI outside ``streamlit run`` logs a harmless 'missing ScriptRunContext'."""
    from streamlit.runtime.scriptrunner_utils import script_run_context

    logging.getLogger(script_run_context.__name__).addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage()
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="profile one warm rerun")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium part")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    quiet_bare_mode_warning()
    os.chdir(ROOT)  # streamlit reads .streamlit/config.toml from the working directory

    print(
        f"adaptatie map benchmark · {datetime.now().isoformat(sep=' ', timespec='seconds')} · "
        f"{os.cpu_count()} cores (load {os.getloadavg()[0]:.1f}) · "
        f"Python {platform.python_version()} · "
        f"streamlit {pkg('streamlit')} · folium {pkg('folium')} · "
        f"streamlit-folium {pkg('streamlit-folium')}"
    )
    print(
        f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}) · "
        f"geopandas {gpd.__version__} · playwright {pkg('playwright')} · "
        f"{platform.system()} {platform.machine()}"
    )

    started = time.perf_counter()
    atlas = Atlas.open()
    print(f"data: {atlas.source.folder} · boundary years {', '.join(map(str, atlas.years))}")
    payload(atlas, "source data")
    payload(
        DensifiedAtlas(atlas.source, atlas.definitions, atlas.threshold),
        f"densified copy (segmentize {DENSIFY_M:g} m: municipalities and water boards)",
        DENSIFY_NOTE,
    )
    build_times(atlas.years)
    server_rerun(args.profile)
    if not args.no_browser:
        first_paint()
    print()
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"benchmark took {time.perf_counter() - started:.0f} s; load average now {load}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
