"""Zonal statistics engine: expected values computed by hand (or from the polygon with shapely)."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from adaptatie.zonal import (
    ClassScheme,
    Partials,
    ZonalInputError,
    accumulate,
    coverage_fractions,
    engine,
    summary_table,
    zonal_partials,
)
from adaptatie.zonal import zones as zones_module

EVERYTHING = ClassScheme((-math.inf, math.inf), ("all",))
DEPTH = ClassScheme((0.0, 0.05, 0.10, 0.15, 0.30, math.inf), ("a", "b", "c", "d", "e"))
EXACT = math.inf  # exact_below_pixels that sends every zone to exact coverage fractions
CENTRE = 0.0  # exact_below_pixels that sends every zone to the pixel-centre rule


def zones(**geoms: shapely.Geometry) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": list(geoms)}, geometry=list(geoms.values()), crs="EPSG:28992")


def ramp(size: int = 400, pixel: float = 1.0) -> np.ndarray:
    """value = x coordinate of the pixel centre (origin at x = 0)."""
    row = (np.arange(size) + 0.5) * pixel
    return np.tile(row, (size, 1))


def same(a: Partials, b: Partials, rtol: float = 1e-12) -> None:
    assert a.zone_ids == b.zone_ids
    for name in ("total", "valid", "value_sum", "value_max", "class_weight", "above"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=rtol, err_msg=name)


# --- exact coverage fractions ------------------------------------------------------------------


def test_classic_3x3_grid_and_rectangle() -> None:
    # exactextract's example: values 0..8, a rectangle from 0.5 to 2.5 in x and y.
    values = np.arange(9, dtype=np.float32).reshape(3, 3)
    transform = from_origin(0, 3, 1, 1)
    rect = shapely.box(0.5, 0.5, 2.5, 2.5)
    expected_cover = np.array([[0.25, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 0.25]])
    np.testing.assert_allclose(coverage_fractions(rect, transform, (0, 3), (0, 3)), expected_cover)

    scheme = ClassScheme((-math.inf, 2, 4, math.inf), ("lo", "mid", "hi"))
    p = zonal_partials((values, transform, None), zones(r=rect), scheme, thresholds=(4,))
    assert p.total[0] == pytest.approx(4.0)  # = rectangle area / pixel area
    assert p.valid[0] == pytest.approx(4.0)
    # 0.25 * (0 + 2 + 6 + 8) + 0.5 * (1 + 3 + 5 + 7) + 1.0 * 4 = 16
    assert p.value_sum[0] == pytest.approx(16.0)
    assert p.value_max[0] == 8.0
    # lo: 0 (0.25) + 1 (0.5); mid: 2 (0.25) + 3 (0.5); hi: 4 (1) + 5, 7 (0.5) + 6, 8 (0.25)
    np.testing.assert_allclose(p.class_weight[0], [0.75, 0.75, 2.5])
    assert p.above[0, 0] == pytest.approx(1.5)  # 5, 7 (0.5 each) + 6, 8 (0.25 each); 4 is not > 4
    row = summary_table(p).iloc[0]
    assert row["mean"] == pytest.approx(4.0)
    assert row["area_ha"] == pytest.approx(4.0 / 10_000)
    assert row["share_hi"] == pytest.approx(62.5)
    assert row["above_4_ha"] == pytest.approx(1.5 / 10_000)


def test_partial_pixels_of_a_small_triangle() -> None:
    # Triangle x + y <= 2 over a 2x2 grid of 1 m pixels: bottom-left pixel whole, the two
    # pixels along the hypotenuse half, the top-right pixel only touched in one point.
    values = np.array([[10.0, 99.0], [30.0, 40.0]])
    transform = from_origin(0, 2, 1, 1)
    triangle = shapely.Polygon([(0, 0), (2, 0), (0, 2)])
    p = zonal_partials((values, transform, None), zones(t=triangle), EVERYTHING)
    assert p.total[0] == pytest.approx(2.0)
    assert p.value_sum[0] == pytest.approx(0.5 * 10 + 1.0 * 30 + 0.5 * 40)  # 55
    assert summary_table(p)["mean"][0] == pytest.approx(27.5)
    assert p.value_max[0] == 40.0  # 99 lies in a pixel with coverage 0


@pytest.mark.parametrize("detail", [0.0, 0.5], ids=["coarse", "detailed"])
def test_coverage_fractions_equal_pixel_by_pixel_intersection(detail: float) -> None:
    # A star with a hole plus a separate square, in a window large enough for the rasterize
    # shortcut; "detailed" has > 200 vertices, so rows are clipped first. Reference: every
    # pixel box intersected with the polygon, and the sum is the area.
    angles = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    radius = np.where(np.arange(24) % 2 == 0, 40.0, 22.0)
    star = shapely.Polygon(np.c_[50 + radius * np.cos(angles), 50 + radius * np.sin(angles)])
    star = star - shapely.Point(50.3, 49.6).buffer(6.2)
    geom = shapely.MultiPolygon([star, shapely.box(93.2, 3.3, 97.9, 9.1)])
    if detail:
        geom = shapely.segmentize(geom, detail)
        assert shapely.get_num_coordinates(geom) > 200
    transform = from_origin(0, 100, 1, 1)
    fractions = coverage_fractions(geom, transform, (0, 100), (0, 100))
    cols, rows = np.meshgrid(np.arange(100), np.arange(100))
    boxes = shapely.box(cols, 99 - rows, cols + 1, 100 - rows)
    expected = shapely.area(shapely.intersection(geom, boxes))
    np.testing.assert_allclose(fractions, expected, atol=1e-9)
    assert fractions.sum() == pytest.approx(geom.area, rel=1e-12)


def test_small_zone_inside_one_pixel() -> None:
    values = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)
    transform = from_origin(0, 20, 10, 10)  # 10 m pixels, 100 m2
    spot = shapely.box(12, 3, 16, 8)  # 20 m2 in the bottom-right pixel
    p = zonal_partials((values, transform, -9999.0), zones(s=spot), EVERYTHING)
    assert p.total[0] == pytest.approx(0.2)
    assert summary_table(p)["mean"][0] == pytest.approx(4.0)
    assert summary_table(p)["area_ha"][0] == pytest.approx(20 / 10_000)


# --- the pixel-centre rule and the exact method on a ramp ---------------------------------------


@pytest.mark.parametrize("exact_below", [10_000.0, EXACT], ids=["centre", "exact"])
def test_ramp_mean_is_value_at_centroid_and_share_is_clipped_area(exact_below: float) -> None:
    values = ramp(400)
    transform = from_origin(0, 400, 1, 1)
    # A square rotated 45 degrees, symmetric about x = 200.5 (a pixel-centre column), with no
    # pixel centre on its boundary: |dx| + |dy| = 120.25 never holds for centres.
    c, r = 200.5, 120.25
    diamond = shapely.Polygon([(c - r, c), (c, c - r), (c + r, c), (c, c + r)])
    assert diamond.area > 10_000  # the default sends it to the centre rule
    threshold = 230.0  # a pixel edge: value > 230 exactly where x > 230
    p = zonal_partials(
        (values, transform, None),
        zones(d=diamond),
        EVERYTHING,
        (threshold,),
        exact_below_pixels=exact_below,
    )
    row = summary_table(p).iloc[0]
    assert row["mean"] == pytest.approx(c, rel=1e-12)
    part = shapely.clip_by_rect(diamond, threshold, -1e9, 1e9, 1e9)
    expected = part.area / diamond.area
    share = p.above[0, 0] / p.valid[0]
    if exact_below == EXACT:
        assert p.total[0] == pytest.approx(diamond.area, rel=1e-12)
        assert share == pytest.approx(expected, rel=1e-12)
    else:
        # Centres (k + 0.5, l + 0.5) with |dx| + |dy| <= 120: 2 * 120**2 + 2 * 120 + 1 of them;
        # those with dx >= 30 (x > 230): sum over dx = 30..120 of 2 * (120 - dx) + 1 = 91**2.
        assert p.total[0] == 2 * 120**2 + 2 * 120 + 1
        assert p.above[0, 0] == 91**2
        assert 100 * share == pytest.approx(100 * expected, abs=0.1)


@pytest.mark.parametrize("exact_below", [CENTRE, EXACT], ids=["centre", "exact"])
@pytest.mark.parametrize(
    ("nodata", "scattered"),
    [(-1.0, False), (0.1, False), (1e30, False), (1e30, True), (0.1, True)],
    ids=["below-block", "inside-block", "above-block", "above-scattered", "inside-scattered"],
)
def test_rectangle_on_pixel_edges_matches_numpy_slice(
    exact_below: float, nodata: float, scattered: bool
) -> None:
    # Nodata below, inside or above the range of the values; in one block or scattered over
    # many rows (the engine's fast paths and fallbacks for the nodata value differ).
    rng = np.random.default_rng(7)
    values = rng.uniform(0.0, 0.5, size=(200, 300)).astype(np.float32)
    values[50:60, 100:130] = np.nan
    if scattered:
        hit = rng.random(values.shape) < 0.02
        values[hit] = nodata
    else:
        values[120:125, 40:45] = nodata
    values[140, 22] = np.float32(0.15)  # exactly on an edge and a threshold
    transform = from_origin(1000, 5000, 5, 5)
    # Columns 20..250, rows 30..180 (pixel edges, so no centre lies on the boundary).
    rect = shapely.box(1000 + 20 * 5, 5000 - 180 * 5, 1000 + 250 * 5, 5000 - 30 * 5)
    before = values.copy()
    p = zonal_partials(
        (values, transform, nodata),
        zones(r=rect),
        DEPTH,
        (0.15, 0.30),
        exact_below_pixels=exact_below,
    )
    block = values[30:180, 20:250]
    ok = block[~np.isnan(block) & (block != np.float32(nodata))]
    assert p.total[0] == block.size
    assert p.valid[0] == ok.size
    assert p.value_max[0] == ok.max()
    assert p.value_sum[0] == pytest.approx(ok.astype(np.float64).sum(), rel=1e-6)
    edges = np.float32([0.0, 0.05, 0.10, 0.15, 0.30])
    expected = [((ok >= lo) & (ok < hi)).sum() for lo, hi in itertools.pairwise(edges)]
    expected.append((ok >= edges[-1]).sum())
    np.testing.assert_allclose(p.class_weight[0], expected)
    np.testing.assert_allclose(p.above[0], [(ok > np.float32(0.15)).sum(), (ok > 0.3).sum()])
    table = summary_table(p)
    shares = table[[f"share_{label}" for label in DEPTH.labels]].to_numpy()
    assert shares.sum() == pytest.approx(100.0)
    assert table["nodata_area_ha"][0] == pytest.approx((block.size - ok.size) * 25 / 10_000)
    np.testing.assert_array_equal(values, before)  # the caller's array is left alone


# --- nodata -------------------------------------------------------------------------------------


@pytest.mark.parametrize("exact_below", [10_000.0, EXACT], ids=["centre", "exact"])
@pytest.mark.parametrize("nodata", [-9999.0, None], ids=["value", "nan"])
def test_nodata_hole_is_reported_and_leaves_the_mean_alone(
    exact_below: float, nodata: float | None
) -> None:
    values = np.full((300, 300), 2.0, dtype=np.float32)
    values[100:120, 140:170] = np.nan if nodata is None else nodata  # 600 pixels
    transform = from_origin(200_000, 500_000, 5, 5)
    square = shapely.box(200_000 + 50 * 5.0, 500_000 - 250 * 5.0, 200_000 + 250 * 5.0, 500_000)
    p = zonal_partials(
        (values, transform, nodata), zones(z=square), DEPTH, (0.15,), exact_below_pixels=exact_below
    )
    row = summary_table(p).iloc[0]
    assert row["nodata_area_ha"] == pytest.approx(600 * 25 / 10_000)
    assert row["area_ha"] == pytest.approx(200 * 250 * 25 / 10_000)
    assert row["valid_area_ha"] == pytest.approx((200 * 250 - 600) * 25 / 10_000)
    assert row["mean"] == pytest.approx(2.0)
    assert row["max"] == 2.0
    assert row["share_e"] == pytest.approx(100.0)
    assert row["above_0.15_ha"] == pytest.approx(row["valid_area_ha"])


def test_zone_of_only_nodata_and_zone_outside_the_raster() -> None:
    values = np.full((10, 10), -9999, dtype=np.int16)
    transform = from_origin(0, 10, 1, 1)
    z = zones(hole=shapely.box(2, 2, 6, 6), away=shapely.box(50, 50, 60, 60), none=None)
    p = zonal_partials((values, transform, -9999), z, EVERYTHING, (0,))
    np.testing.assert_array_equal(p.total, [16, 0, 0])
    np.testing.assert_array_equal(p.valid, [0, 0, 0])
    table = summary_table(p)
    assert table["mean"].isna().all() and table["max"].isna().all()
    assert table["share_all"].isna().all()
    assert table["nodata_area_ha"].tolist() == pytest.approx([16 / 10_000, 0, 0])


# --- value semantics -----------------------------------------------------------------------------


def test_edges_and_thresholds_compare_in_the_raster_precision() -> None:
    # A stored float32 0.15 is in the class from 0.15 and not above the threshold 0.15.
    values = np.float32([[0.15, 0.30, 0.05, np.inf]])
    transform = from_origin(0, 1, 1, 1)
    p = zonal_partials(
        (values, transform, None), zones(z=shapely.box(0, 0, 4, 1)), DEPTH, (0.15, 0.3)
    )
    np.testing.assert_array_equal(p.class_weight[0], [0, 1, 0, 1, 2])  # inf is in the last class
    np.testing.assert_array_equal(p.above[0], [2, 1])


def test_integer_raster_with_fractional_edges_and_thresholds() -> None:
    values = np.array([[0, 1, 2, 3, 255]], dtype=np.uint8)
    transform = from_origin(0, 1, 1, 1)
    scheme = ClassScheme((0.5, 2.0, 2.5, 1000.0), ("one", "two", "three"))
    p = zonal_partials(
        (values, transform, 255), zones(z=shapely.box(0, 0, 5, 1)), scheme, (-1.0, 1.5, 2.0, 300)
    )
    assert p.total[0] == 5 and p.valid[0] == 4
    np.testing.assert_array_equal(p.class_weight[0], [1, 1, 1])  # 0 is below the first edge
    np.testing.assert_array_equal(p.above[0], [4, 2, 1, 0])
    assert p.value_max[0] == 3.0
    assert p.value_sum[0] == 6.0


# --- sources and streaming -----------------------------------------------------------------------


def write_tiff(path: Path, values: np.ndarray, transform: rasterio.Affine, nodata: float) -> Path:
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=values.shape[1],
        height=values.shape[0],
        count=1,
        dtype=values.dtype,
        crs="EPSG:28992",
        transform=transform,
        nodata=nodata,
        tiled=True,
        blockxsize=32,
        blockysize=32,
        compress="DEFLATE",
    ) as dst:
        dst.write(values, 1)
    return path


def damage_tile(path: Path, col: int, row: int) -> None:
    """Overwrite the compressed bytes of tile (col, row) with bytes that do not inflate."""
    with rasterio.open(path) as ds:
        offset = int(ds.get_tag_item(f"BLOCK_OFFSET_{col}_{row}", "TIFF", bidx=1))
        size = int(ds.get_tag_item(f"BLOCK_SIZE_{col}_{row}", "TIFF", bidx=1))
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(bytes(range(256)) * (size // 256) + bytes(size % 256))


@pytest.fixture
def landscape() -> tuple[np.ndarray, rasterio.Affine, gpd.GeoDataFrame]:
    """A 5 m ramp with noise and nodata, two big neighbours and two small zones (one across the
    border between two 32-row blocks)."""
    rng = np.random.default_rng(3)
    size = 300
    transform = from_origin(200_000, 500_000, 5, 5)
    depth = ramp(size) / size * 0.4 + rng.normal(0, 0.02, (size, size))
    values = np.clip(depth, 0.0, None).astype(np.float32)
    values[140:160, 20:260] = -9999.0
    x0, y1 = 200_000.0, 500_000.0
    west = shapely.Polygon(
        [(x0 + 3, y1 - 2), (x0 + 703, y1 - 9), (x0 + 651, y1 - 1488), (x0 + 12, y1 - 1401)]
    )
    east = shapely.Polygon(
        [(x0 + 703, y1 - 9), (x0 + 1497, y1 - 4), (x0 + 1490, y1 - 1493), (x0 + 651, y1 - 1488)]
    )
    small = shapely.Point(x0 + 1203, y1 - 321).buffer(60)  # ~11 300 m2 = 450 pixels
    border = shapely.box(x0 + 101, y1 - 5 * 32 - 22, x0 + 163, y1 - 5 * 32 + 17)  # rows 28..36
    # Zones do not overlap: the small ones are holes in the big ones.
    z = zones(west=west - border, east=east - small, small=small, border=border)
    return values, transform, z


def test_geotiff_and_array_give_the_same_result(landscape, tmp_path: Path) -> None:
    values, transform, z = landscape
    path = write_tiff(tmp_path / "depth.tif", values, transform, -9999.0)
    with rasterio.open(path) as ds:
        assert ds.block_shapes[0] == (32, 32) and ds.compression.name == "deflate"
    from_array = zonal_partials(
        (values, transform, -9999.0), z, DEPTH, (0.15, 0.3), exact_below_pixels=1000
    )
    from_file = zonal_partials(path, z, DEPTH, (0.15, 0.3), exact_below_pixels=1000)
    same(from_array, from_file)
    # Strips of two block rows (64 rows), and of 10 rows (lower than a block row).
    for max_block_pixels in (64 * 300, 10 * 300):
        from_strips = zonal_partials(
            path, z, DEPTH, (0.15, 0.3), exact_below_pixels=1000, max_block_pixels=max_block_pixels
        )
        same(from_file, from_strips, rtol=1e-6)
    assert from_array.total[2] == pytest.approx(z.geometry[2].area / 25, rel=1e-9)


def test_strip_by_strip_equals_one_block(landscape) -> None:
    values, transform, z = landscape
    source = (values, transform, -9999.0)
    whole = zonal_partials(source, z, DEPTH, (0.15,), exact_below_pixels=1000)
    for rows_per_strip in (1, 7, 64):
        strips = zonal_partials(
            source,
            z,
            DEPTH,
            (0.15,),
            exact_below_pixels=1000,
            max_block_pixels=rows_per_strip * values.shape[1],
        )
        same(whole, strips, rtol=1e-6)


def test_split_runs_and_exact_parts_give_the_same_result(landscape, monkeypatch) -> None:
    # The engine cuts runs at RUN_MAX pixels and exact windows into parts; tiny values of
    # these change no figure.
    values, transform, z = landscape
    source = (values, transform, -9999.0)
    whole = zonal_partials(source, z, DEPTH, (0.15,), exact_below_pixels=1000)
    monkeypatch.setattr(accumulate, "RUN_MAX", 7)
    monkeypatch.setattr(engine, "EXACT_PIXELS", 13)
    same(whole, zonal_partials(source, z, DEPTH, (0.15,), exact_below_pixels=1000), rtol=1e-6)


def test_the_result_does_not_depend_on_the_number_of_threads(landscape, tmp_path: Path) -> None:
    # Windows of one block row (32 rows) of a 300-row raster: ten windows, read and
    # accumulated by 0 to 3 threads. Each window's totals are added in window order, so the
    # figures are the same to the last bit, whichever thread finished first.
    values, transform, z = landscape
    path = write_tiff(tmp_path / "depth.tif", values, transform, -9999.0)
    options = {"exact_below_pixels": 1000, "max_block_pixels": 32 * 300}
    runs = [
        zonal_partials(path, z, DEPTH, (0.15,), read_threads=threads, **options)
        for threads in (0, 1, 2, 3, 2)
    ]
    for other in runs[1:]:
        for name in ("total", "valid", "value_sum", "value_max", "class_weight", "above"):
            np.testing.assert_array_equal(getattr(other, name), getattr(runs[0], name), name)


def test_windows_are_yielded_in_order_with_few_in_flight() -> None:
    # run_windows on 12 fake windows that finish in a shuffled order: their totals arrive in
    # window order, and only threads + 1 totals ever exist (so at most that many windows are
    # under way or waiting to be added).
    import time

    from adaptatie.zonal.accumulate import Accumulator
    from adaptatie.zonal.cuts import make_cuts

    cuts = make_cuts(np.dtype("float32"), (-math.inf, math.inf), ())
    none = np.array([], dtype=int)
    windows = [engine.Window(i, i + 1, 0, 1, np.array([0]), none) for i in range(12)]
    delays = [0.004 * ((7 * i) % 5) for i in range(12)]
    made: list[Accumulator] = []

    def work(w: engine.Window, totals: Accumulator, buffer: np.ndarray | None) -> None:
        assert buffer is not None and buffer.size == 64
        assert totals.total[0] == 0  # reset for the window's zone
        time.sleep(delays[w.row0])
        totals.total[0] = 1 + w.row0

    def fresh() -> Accumulator:
        made.append(Accumulator(1, cuts))
        return made[-1]

    for threads in (0, 2):
        made.clear()
        got = [t.total[0] for _, t in engine.run_windows(windows, threads, work, fresh, 64)]
        assert got == list(range(1, 13))
        assert len(made) == (1 if threads == 0 else threads + 1)


def test_a_failing_window_stops_the_pass_with_its_error(tmp_path: Path) -> None:
    # 128 rows of 32-row blocks, the third block row damaged, read by two threads: the
    # pass raises the damage of that window and leaves no thread behind.
    import threading

    values = ramp(128)[:, :64].astype(np.float32)
    path = write_tiff(tmp_path / "damaged.tif", values, from_origin(0, 128, 1, 1), -9999.0)
    damage_tile(path, col=0, row=2)
    before = threading.active_count()
    with pytest.raises(ZonalInputError, match="rijen 64-96"):
        zonal_partials(
            path, zones(all=shapely.box(0, 0, 64, 128)), EVERYTHING, exact_below_pixels=0,
            max_block_pixels=32 * 64, read_threads=2,
        )  # fmt: skip
    assert threading.active_count() == before


def test_wide_raster_is_read_in_whole_blocks_cut_at_fixed_columns(tmp_path: Path) -> None:
    # 64 x 256 pixels of 1 m in blocks of 32 x 32, values = column index. With windows of at
    # most 2048 pixels not one block row fits (32 x 256 = 8192), so each strip is one block
    # row cut every 2048 / 32 = 64 columns: 2 x 4 windows, all of whole blocks, the exact
    # zone straddling the cut at column 64.
    values = np.tile(np.arange(256, dtype=np.float32), (64, 1))
    transform = from_origin(0, 64, 1, 1)
    path = write_tiff(tmp_path / "wide.tif", values, transform, -9999.0)
    z = zones(all=shapely.box(0, 0, 256, 64), small=shapely.box(60.3, 10.2, 70.7, 20.9))
    rows, cols = zones_module.pixel_windows(z.geometry.to_numpy(), transform, 64, 256)
    windows = engine.plan(rows, cols, np.array([False, True]), (32, 32), 2048)
    assert [(w.row0, w.row1, w.col0, w.col1) for w in windows] == [
        (r, r + 32, c, c + 64) for r in (0, 32) for c in (0, 64, 128, 192)
    ]
    cut = zonal_partials(path, z, EVERYTHING, exact_below_pixels=200, max_block_pixels=2048)
    whole = zonal_partials(path, z, EVERYTHING, exact_below_pixels=200)
    # small: 10.4 x 10.7 m; per row of it, columns 60 and 70 count 0.7, 61..69 count 1:
    # sum = 10.7 * (60 * 0.7 + (61 + ... + 69) + 70 * 0.7) = 10.7 * 676 = 7233.2.
    for p in (cut, whole):
        np.testing.assert_allclose(p.total, [16_384, 10.4 * 10.7], rtol=1e-12)
        np.testing.assert_allclose(p.value_sum, [64 * 255 * 256 / 2, 7233.2], rtol=1e-12)
        np.testing.assert_array_equal(p.value_max, [255, 70])


def test_far_apart_zones_are_read_as_separate_windows(tmp_path: Path) -> None:
    # Two small zones at both ends of a wide raster: the strip is read as two windows, and
    # each zone gets what it gets alone.
    values = np.tile(np.arange(3000, dtype=np.float32), (64, 1))
    transform = from_origin(0, 64, 1, 1)
    path = write_tiff(tmp_path / "wide.tif", values, transform, -9999.0)
    z = zones(left=shapely.box(10.5, 20.5, 30.5, 40.5), right=shapely.box(2900, 10, 2950, 30))
    p = zonal_partials(path, z, EVERYTHING)
    rows, cols = zones_module.pixel_windows(z.geometry.to_numpy(), transform, 64, 3000)
    plan = engine.plan(rows, cols, np.array([True, True]), (32, 32), 16_777_216)
    assert [(s.row0, s.row1, s.col0, s.col1) for s in plan] == [
        (23, 54, 10, 31),
        (23, 54, 2900, 2950),
    ]
    for i, geom in enumerate(z.geometry):
        alone = zonal_partials(path, zones(one=geom), EVERYTHING)
        assert p.value_sum[i] == pytest.approx(alone.value_sum[0])
        assert p.total[i] == pytest.approx(geom.area)
    assert summary_table(p)["mean"].tolist() == pytest.approx([20.0, 2924.5])  # value = column


def test_merge_of_two_halves_equals_the_whole(landscape) -> None:
    values, transform, z = landscape
    whole = zonal_partials((values, transform, -9999.0), z, DEPTH, (0.15,), exact_below_pixels=1000)
    top = zonal_partials(
        (values[:150], transform, -9999.0), z, DEPTH, (0.15,), exact_below_pixels=1000
    )
    bottom_transform = transform * rasterio.Affine.translation(0, 150)
    bottom = zonal_partials(
        (values[150:], bottom_transform, -9999.0), z, DEPTH, (0.15,), exact_below_pixels=1000
    )
    same(whole, top.merge(bottom), rtol=1e-6)
    assert top.valid[0] > 0 and bottom.valid[0] > 0


@pytest.mark.parametrize("exact_below", [CENTRE, EXACT], ids=["centre", "exact"])
def test_combine_of_two_atoms_equals_their_union(landscape, exact_below: float) -> None:
    values, transform, z = landscape
    atoms = zonal_partials(
        (values, transform, -9999.0), z, DEPTH, (0.15,), exact_below_pixels=exact_below
    )
    union = shapely.union_all([z.geometry[0], z.geometry[1]])
    region = zonal_partials(
        (values, transform, -9999.0),
        zones(both=union),
        DEPTH,
        (0.15,),
        exact_below_pixels=exact_below,
    )
    combined = atoms.combine({"both": ["west", "east"]})
    same(region, combined, rtol=1e-6)
    assert combined.value_max[0] == max(atoms.value_max[0], atoms.value_max[1])
    empty = atoms.combine({"nothing": []})
    assert empty.total[0] == 0 and math.isnan(empty.value_max[0])


def test_summary_table_columns_and_shares(landscape) -> None:
    values, transform, z = landscape
    p = zonal_partials((values, transform, -9999.0), z, DEPTH, (0.15, 0.3))
    table = summary_table(p)
    assert list(table.columns) == [
        "zone_id", "mean", "max", "valid_area_ha", "nodata_area_ha", "area_ha",
        "share_a", "share_b", "share_c", "share_d", "share_e", "above_0.15_ha", "above_0.3_ha",
    ]  # fmt: skip
    assert table["zone_id"].tolist() == ["west", "east", "small", "border"]
    shares = table[[f"share_{label}" for label in DEPTH.labels]].sum(axis=1)
    np.testing.assert_allclose(shares, 100.0)
    np.testing.assert_allclose(
        table["valid_area_ha"] + table["nodata_area_ha"], table["area_ha"], rtol=1e-12
    )
    assert (table["above_0.3_ha"] <= table["above_0.15_ha"]).all()


# --- inputs and results --------------------------------------------------------------------------


def test_partials_are_read_only_and_merge_checks_compatibility(landscape) -> None:
    values, transform, z = landscape
    p = zonal_partials((values, transform, -9999.0), z, DEPTH, (0.15,))
    with pytest.raises(ValueError, match="read-only"):
        p.total[0] = 1.0
    other = zonal_partials((values, transform, -9999.0), z, DEPTH, (0.3,))
    with pytest.raises(ZonalInputError, match="dezelfde zones, klassen, drempels"):
        p.merge(other)
    with pytest.raises(ZonalInputError, match="onbekende zones"):
        p.combine({"x": ["west", "nowhere"]})
    with pytest.raises(ZonalInputError, match="als lijst"):
        p.combine({"x": "west"})


def test_bad_inputs_are_refused_with_a_reason(tmp_path: Path) -> None:
    values = np.zeros((4, 4), dtype=np.float32)
    transform = from_origin(0, 4, 1, 1)
    source = (values, transform, None)
    box = shapely.box(0, 0, 2, 2)
    with pytest.raises(ZonalInputError, match="strikt op"):
        ClassScheme((0.0, 0.0, 1.0), ("a", "b"))
    with pytest.raises(ZonalInputError, match="2 verschillende namen"):
        ClassScheme((0.0, 0.5, 1.0), ("a",))
    with pytest.raises(ZonalInputError, match="kolom 'id'"):
        zonal_partials(source, gpd.GeoDataFrame({"code": ["a"]}, geometry=[box]), EVERYTHING)
    with pytest.raises(ZonalInputError, match="meer dan eens"):
        zonal_partials(
            source, gpd.GeoDataFrame({"id": ["a", "a"]}, geometry=[box, box]), EVERYTHING
        )
    with pytest.raises(ZonalInputError, match="vlakken"):
        zonal_partials(source, zones(a=shapely.Point(1, 1)), EVERYTHING)
    with pytest.raises(ZonalInputError, match="noord-boven"):
        zonal_partials(
            (values, rasterio.Affine(1, 0.2, 0, 0, -1, 4), None), zones(a=box), EVERYTHING
        )
    path = write_tiff(tmp_path / "r.tif", values, transform, -9999.0)
    with pytest.raises(ZonalInputError, match="coördinatenstelsel"):
        zonal_partials(path, zones(a=box).set_crs("EPSG:4326", allow_override=True), EVERYTHING)
    with pytest.raises(ZonalInputError, match="niet te lezen"):
        zonal_partials(tmp_path / "missing.tif", zones(a=box), EVERYTHING)


def test_a_damaged_block_is_refused_with_its_place(tmp_path: Path) -> None:
    # A 64 x 64 GeoTIFF of 32 x 32 tiles whose last tile (rows and columns 32-64) is
    # overwritten with bytes that do not inflate: no numbers from it, a message that says where
    # (the window read: here the whole raster).
    values = ramp(64).astype(np.float32)
    path = write_tiff(tmp_path / "damaged.tif", values, from_origin(0, 64, 1, 1), -9999.0)
    damage_tile(path, col=1, row=1)
    top = zones(top=shapely.box(0, 32, 64, 64))  # rows 0-32: the undamaged tiles
    p = zonal_partials(path, top, EVERYTHING, exact_below_pixels=0)
    assert p.value_sum[0] == pytest.approx(values[:32].sum(), rel=1e-12)
    with pytest.raises(ZonalInputError, match="beschadigd: rijen 0-64, kolommen 0-64"):
        zonal_partials(path, zones(all=shapely.box(0, 0, 64, 64)), EVERYTHING)


@pytest.mark.parametrize("run_max", [65_536, 2, 1], ids=["whole-rows", "runs-of-2", "runs-of-1"])
def test_centre_rule_runs_with_nodata_nan_and_mask(monkeypatch, run_max: int) -> None:
    # The compiled loops of the centre rule, on a 3 x 4 raster of 1 m pixels:
    #     row 0:  1    2    -9999  NaN
    #     row 1:  5    0.5  3      4 (masked)
    #     row 2:  0    7    2      1
    # west = columns 0-1: valid 1, 2, 5, 0.5, 0, 7 -> 6 px, sum 15.5, max 7 (in the last row);
    #   classes [0, 1): 0.5, 0; [1, 3): 1, 2; [3, inf): 5, 7; above 2: 5, 7.
    # east = columns 2-3: nodata, NaN and the masked 4 are invalid; valid 3, 2, 1 -> 3 px,
    #   sum 6, max 3; classes [0, 1): none; [1, 3): 2, 1; [3, inf): 3; above 2: 3.
    monkeypatch.setattr(accumulate, "RUN_MAX", run_max)
    values = np.array([[1, 2, -9999, np.nan], [5, 0.5, 3, 4], [0, 7, 2, 1]], dtype=np.float32)
    masked = np.ma.array(values, mask=np.zeros_like(values, dtype=bool))
    masked[1, 3] = np.ma.masked
    z = zones(west=shapely.box(0, 0, 2, 3), east=shapely.box(2, 0, 4, 3))
    scheme = ClassScheme((0.0, 1.0, 3.0, math.inf), ("laag", "midden", "hoog"))
    p = zonal_partials((masked, from_origin(0, 3, 1, 1), -9999.0), z, scheme, (2.0,),
                       exact_below_pixels=0)  # fmt: skip
    np.testing.assert_array_equal(p.total, [6, 6])
    np.testing.assert_array_equal(p.valid, [6, 3])
    np.testing.assert_array_equal(p.value_sum, [15.5, 6])
    np.testing.assert_array_equal(p.value_max, [7, 3])
    np.testing.assert_array_equal(p.class_weight, [[2, 2, 2], [0, 2, 1]])
    np.testing.assert_array_equal(p.above, [[2], [1]])


@pytest.mark.parametrize("dtype", ["float32", "int32"])  # float32 and float64 work dtypes
@pytest.mark.parametrize("exact_below", [0.0, math.inf], ids=["centre", "exact"])
def test_more_cuts_than_one_pass_counts(dtype: str, exact_below: float) -> None:
    # Values 0..19 on a 4 x 5 raster, but the pixel of 3 holds the nodata value 100 (above
    # every cut, so it passes all of them and must be taken off each). Twelve classes
    # [0, 1), [1, 2), ... [10, 11), [11, inf) and three thresholds: 15 cuts, two passes.
    values = np.arange(20, dtype=dtype).reshape(4, 5)
    values[0, 3] = 100
    edges = (*range(12), math.inf)
    scheme = ClassScheme(tuple(float(e) for e in edges), tuple(f"k{i}" for i in range(12)))
    z = zones(all=shapely.box(0, 0, 5, 4))
    p = zonal_partials(
        (values, from_origin(0, 4, 1, 1), 100), z, scheme, (4.5, 9.5, 15.0),
        exact_below_pixels=exact_below,
    )  # fmt: skip
    assert (p.total[0], p.valid[0]) == (20, 19)
    assert p.value_sum[0] == 190 - 3
    assert p.value_max[0] == 19
    # One pixel in each class of width 1 but [3, 4); 11..19 in the last class.
    np.testing.assert_array_equal(p.class_weight[0], [1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 9])
    # Above 4.5: 5..19 (15 pixels); above 9.5: 10..19 (10); above 15: 16..19 (4).
    np.testing.assert_array_equal(p.above[0], [15, 10, 4])


def test_warm_up_compiles_the_loops_for_both_work_dtypes() -> None:
    from adaptatie.zonal import kernels

    kernels.warm_up()
    dtypes = {str(signature[0].dtype) for signature in kernels.reduce_runs.signatures}
    assert {"float32", "float64"} <= dtypes
