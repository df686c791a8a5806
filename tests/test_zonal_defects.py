"""The zonal engine's former defects, one class per section, on both rules where both apply.

Expected values are computed by hand in the comments (1 m pixels unless said otherwise).
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from adaptatie.errors import AdaptatieError
from adaptatie.zonal import (
    ArraySource,
    ClassScheme,
    FileSource,
    Partials,
    WindowSource,
    ZonalInputError,
    coverage_fractions,
    summary_table,
    zonal_partials,
)

EVERYTHING = ClassScheme((-math.inf, math.inf), ("all",))
EXACT = math.inf
CENTRE = 0.0
BOTH = pytest.mark.parametrize("rule", [CENTRE, EXACT], ids=["centre", "exact"])


def zones(**geoms: shapely.Geometry) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": list(geoms)}, geometry=list(geoms.values()), crs="EPSG:28992")


def numbered(size: int) -> np.ndarray:
    """value = 1 + row * size + col: every pixel its own value."""
    return (1 + np.arange(size * size, dtype=np.float64)).reshape(size, size)


# --- 1. exact path, detailed polygons ------------------------------------------------------------


def square_with_diamond_hole(detail: float) -> shapely.Geometry:
    # 10 x 10 square, hole |x - 5| + |y - 5| <= 2 with its vertices on pixel lines.
    hole = shapely.Polygon([(3, 5), (5, 3), (7, 5), (5, 7)])
    geom = shapely.box(0, 0, 10, 10) - hole
    return shapely.segmentize(geom, detail) if detail else geom


def diamond_hole_fractions() -> np.ndarray:
    # The 2 x 2 pixels around (5, 5) lie wholly in the hole (their far corners have
    # |dx| + |dy| = 2); the 8 pixels beside them have half their area in it
    # (integral of (x - 3) from 3 to 4 = 0.5); the hole's area is 4 + 8 * 0.5 = 8.
    expected = np.ones((10, 10))
    expected[4:6, 4:6] = 0.0
    for row, col in [(3, 4), (3, 5), (6, 4), (6, 5), (4, 3), (5, 3), (4, 6), (5, 6)]:
        expected[row, col] = 0.5
    return expected


@pytest.mark.parametrize("detail", [0.0, 0.05], ids=["coarse", "detailed"])
def test_hole_with_vertices_on_row_lines(detail: float) -> None:
    geom = square_with_diamond_hole(detail)
    transform = from_origin(0, 10, 1, 1)
    expected = diamond_hole_fractions()
    np.testing.assert_allclose(coverage_fractions(geom, transform, (0, 10), (0, 10)), expected)
    values = numbered(10)
    p = zonal_partials(
        (values, transform, None), zones(z=geom), EVERYTHING, exact_below_pixels=EXACT
    )
    assert p.total[0] == pytest.approx(92.0, rel=1e-12)
    assert p.value_sum[0] == pytest.approx((expected * values).sum(), rel=1e-12)


def test_millimetre_rounded_coordinates_on_a_lattice_of_row_lines() -> None:
    # Rectangle x 0.25..2.75, y 1.0..2.5, segmentized and rounded to the millimetre: its lower
    # edge and every other vertex lie on row lines. Row 0 (y 2..3): 0.5 high; row 1 full;
    # columns 0 and 2: 0.75 wide.
    geom = shapely.set_precision(shapely.segmentize(shapely.box(0.25, 1.0, 2.75, 2.5), 0.01), 0.001)
    assert shapely.get_num_coordinates(geom) > 400
    transform = from_origin(0, 3, 1, 1)
    expected = np.array([[0.375, 0.5, 0.375], [0.75, 1.0, 0.75], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(coverage_fractions(geom, transform, (0, 3), (0, 3)), expected)


def test_a_zone_crossing_many_strip_edges_on_row_lines() -> None:
    # A star-shaped detailed zone with vertices on every row line, read one row per strip:
    # the covered weight is its area (no piece is lost or invalid at the strip edges).
    angles = np.linspace(0, 2 * np.pi, 400, endpoint=False)
    radius = np.where(np.arange(400) % 2 == 0, 20.0, 9.0)
    star = shapely.Polygon(np.c_[25 + radius * np.cos(angles), 25 + radius * np.sin(angles)])
    star = shapely.set_precision(star, 1.0)  # every vertex on a pixel corner
    values = np.ones((50, 50))
    transform = from_origin(0, 50, 1, 1)
    for rule in (EXACT, 10_000.0):
        p = zonal_partials(
            (values, transform, None),
            zones(s=star),
            EVERYTHING,
            exact_below_pixels=rule,
            max_block_pixels=50,
        )
        if rule == EXACT:
            assert p.total[0] == pytest.approx(star.area, rel=1e-12)
        else:
            assert p.total[0] > 0


def test_a_sliver_counts_alike_in_every_strip_of_the_raster() -> None:
    # 2 m pixels 10 km below the top of the raster. Zone "large" (centre rule): columns 0-24.3,
    # rows 4980-5018: 24 x 38 = 912 pixels by their centres (those of column 24, at 24.5, lie
    # outside). Zone "needle" (exact, 3.5e-11 px): a triangle with an angle of about 1e-13 rad
    # (like a sliver atom between two neighbours) that covers 1.0517e-12 of pixel (5017, 24)
    # (its vertices in pixel coordinates, clipped to the pixel in rational arithmetic), more
    # than the 1e-12 the engine takes as 0; plus a far part in row 100, so that its windows
    # start far above. That pixel is covered in part by an exact zone, so "large" gets its
    # exact fraction there (0.3) instead of its centre weight (0): 912.3. Computed relative
    # to the window, the needle's fraction came out below or above 1e-12 depending on the
    # window's first row: two strips (tasks on a cluster) counted 912.3, one pass 912.0.
    x0, y0 = 200_000.0, 600_000.0
    transform = from_origin(x0, y0, 2.0, 2.0)
    needle = shapely.Polygon(
        [
            (200059.2686429757, 589970.4266720823),
            (200040.659463433, 589958.4231425931),
            (200062.88645011288, 589972.7602760199),
        ]
    )
    fractions = coverage_fractions(needle, transform, (4980, 5018), (24, 25))
    assert fractions[-1, 0] == pytest.approx(1.0517e-12, rel=1e-3)  # row 5017
    assert not fractions[:-1].any()
    far = shapely.box(x0 + 60, y0 - 202, x0 + 60.02, y0 - 200)
    z = zones(
        large=shapely.box(x0, y0 - 10_036, x0 + 48.6, y0 - 9_960),
        needle=shapely.MultiPolygon([needle, far]),
    )
    source = (np.ones((5040, 40), dtype=np.float32), transform, None)

    def total(**options: object) -> float:
        p = zonal_partials(source, z, EVERYTHING, exact_below_pixels=100, **options)
        return p.total[0]

    assert total() == pytest.approx(912.3, abs=1e-9)
    assert total(max_block_pixels=40) == pytest.approx(912.3, abs=1e-9)  # one row a window
    for split in (1000, 4900, 5015):
        strips = (
            zonal_partials(source, z, EVERYTHING, exact_below_pixels=100, rows=rows)
            for rows in ((0, split), (split, 5040))
        )
        assert Partials.merge(*strips).total[0] == pytest.approx(912.3, abs=1e-9)


def test_geometry_failures_become_adaptatie_errors(monkeypatch) -> None:
    from adaptatie.zonal import engine

    def broken(*args: object, **kwargs: object) -> object:
        raise shapely.errors.GEOSException("IllegalArgumentException: Invalid number of points")

    monkeypatch.setattr(engine, "edges_of", broken)
    values = np.ones((4, 4))
    with pytest.raises(AdaptatieError, match="Oplossing"):
        zonal_partials(
            (values, from_origin(0, 4, 1, 1), None), zones(a=shapely.box(0, 0, 2, 2)), EVERYTHING
        )


# --- 2. overlapping zones ------------------------------------------------------------------------


@BOTH
def test_duplicated_and_overlapping_zones_each_get_their_own_pixels(rule: float) -> None:
    values = numbered(40)
    transform = from_origin(0, 40, 1, 1)
    a = shapely.box(0, 0, 20, 20)  # rows 20..39, columns 0..19: 400 pixels
    b = shapely.box(10, 10, 30, 30)  # overlaps a in 10 x 10 pixels
    p = zonal_partials(
        (values, transform, None),
        zones(a=a, again=a, b=b),
        EVERYTHING,
        exact_below_pixels=rule,
    )
    np.testing.assert_allclose(p.total, [400.0, 400.0, 400.0])
    # Sum over rows 20..39, columns 0..19 of 1 + 40 row + col = 400 + 40*20*590 + 20*190.
    assert p.value_sum[0] == pytest.approx(400 + 40 * 20 * 590 + 20 * 190)
    assert p.value_sum[1] == p.value_sum[0]


def test_small_exact_zone_on_top_of_a_large_centre_zone() -> None:
    # large: 200 x 200 = 40 000 pixels (centre rule); small lies on top of it (no hole):
    # 2.75 x 2.25 = 6.1875 pixels (exact). Each gets what it gets alone.
    values = np.ones((200, 200))
    transform = from_origin(0, 200, 1, 1)
    small = shapely.box(10.5, 10.5, 13.25, 12.75)
    p = zonal_partials(
        (values, transform, None), zones(large=shapely.box(0, 0, 200, 200), small=small), EVERYTHING
    )
    np.testing.assert_allclose(p.total, [40_000.0, 6.1875], rtol=1e-12)


# --- 3. masks ------------------------------------------------------------------------------------


def masked_tiff(path: Path, alpha: bool) -> Path:
    # GDAL takes an alpha band as mask for Byte (and UInt16) rasters only.
    dtype = "uint8" if alpha else "float32"
    values = np.full((8, 8), 2, dtype=dtype)
    values[:, :4] = 7  # left half under the mask
    keep = np.full((8, 8), 255, dtype=np.uint8)
    keep[:, :4] = 0
    profile = {
        "driver": "GTiff",
        "width": 8,
        "height": 8,
        "dtype": dtype,
        "crs": "EPSG:28992",
        "transform": from_origin(0, 8, 1, 1),
    }
    if alpha:
        with rasterio.open(path, "w", count=2, alpha="YES", **profile) as ds:
            ds.write(values, 1)
            ds.write(keep, 2)
    else:
        with rasterio.open(path, "w", count=1, **profile) as ds:
            ds.write(values, 1)
            ds.write_mask(keep)
    return path


@BOTH
@pytest.mark.parametrize("alpha", [False, True], ids=["mask-band", "alpha"])
def test_gdal_mask_and_alpha_bands_mark_nodata(tmp_path: Path, alpha: bool, rule: float) -> None:
    path = masked_tiff(tmp_path / "masked.tif", alpha)
    with rasterio.open(path) as ds:
        assert ds.nodata is None
    p = zonal_partials(
        path, zones(all=shapely.box(0, 0, 8, 8)), EVERYTHING, exact_below_pixels=rule
    )
    assert p.total[0] == 64.0
    assert p.valid[0] == 32.0  # the masked left half is nodata
    assert summary_table(p)["mean"][0] == 2.0  # not (7 + 2) / 2


@BOTH
def test_numpy_masked_array_marks_nodata(rule: float) -> None:
    values = np.ma.masked_array(np.arange(16, dtype=np.float64).reshape(4, 4))
    values[0, :] = np.ma.masked  # 0, 1, 2, 3
    p = zonal_partials(
        (values, from_origin(0, 4, 1, 1), None),
        zones(all=shapely.box(0, 0, 4, 4)),
        EVERYTHING,
        exact_below_pixels=rule,
    )
    assert (p.total[0], p.valid[0]) == (16.0, 12.0)
    assert p.value_sum[0] == sum(range(4, 16))  # 114
    assert np.ma.getmaskarray(values)[0].all()  # the caller's array is left alone


# --- 4. precision --------------------------------------------------------------------------------


@BOTH
def test_float32_extremes_do_not_overflow(rule: float) -> None:
    fill = np.float32(-3.4e38)  # an undeclared fill value
    values = np.full((4, 4), fill, dtype=np.float32)
    p = zonal_partials(
        (values, from_origin(0, 4, 1, 1), None),
        zones(all=shapely.box(0, 0, 4, 4)),
        EVERYTHING,
        exact_below_pixels=rule,
    )
    assert p.value_sum[0] == pytest.approx(16 * float(fill), rel=1e-12)  # -5.44e39, finite
    assert summary_table(p)["mean"][0] == pytest.approx(float(fill), rel=1e-12)


@BOTH
def test_integer_sums_are_exact(rule: float) -> None:
    # 64 x 64 uint16 pixels 60000 + (col + row) % 64: every row sums to 64 * 60000 + 2016.
    rows, cols = np.indices((64, 64))
    values = (60_000 + (rows + cols) % 64).astype(np.uint16)
    p = zonal_partials(
        (values, from_origin(0, 64, 1, 1), None),
        zones(all=shapely.box(0, 0, 64, 64)),
        EVERYTHING,
        exact_below_pixels=rule,
    )
    assert p.value_sum[0] == 64 * (64 * 60_000 + 2016)  # 245_889_024, exactly


def test_float32_runs_are_summed_in_float64(tmp_path: Path) -> None:
    # One row of 40000 pixels of float32 0.1 (= 0.100000001490116...), one zone, centre rule:
    # one run. In float64 the sum is 40000 * 0.100000001490116 = 4000.0000596; a float32
    # running sum gives 4000.0005. Two windows split the run: the same sum to float64 rounding.
    tenth = np.float32(0.1)
    values = np.full((1, 40_000), tenth, dtype=np.float32)
    transform = from_origin(0, 1, 1, 1)
    z = zones(all=shapely.box(0, 0, 40_000, 1))
    whole = zonal_partials((values, transform, None), z, EVERYTHING, exact_below_pixels=CENTRE)
    assert whole.value_sum[0] == pytest.approx(40_000 * float(tenth), rel=1e-12)
    source = ArraySource(values, transform, None)
    left, right = (
        zonal_partials(WindowSource(source, (0, 1), cols), z, EVERYTHING, exact_below_pixels=0)
        for cols in ((0, 17_001), (17_001, 40_000))
    )
    assert left.merge(right).value_sum[0] == pytest.approx(whole.value_sum[0], rel=1e-12)


@BOTH
def test_uint64_nodata_near_two_to_the_64(rule: float) -> None:
    # GDAL reports the nodata 2**64 - 1 of a uint64 raster as the double 2**64.
    values = np.full((4, 4), 5, dtype=np.uint64)
    values[0] = np.iinfo(np.uint64).max
    p = zonal_partials(
        (values, from_origin(0, 4, 1, 1), float(2**64 - 1)),
        zones(all=shapely.box(0, 0, 4, 4)),
        EVERYTHING,
        exact_below_pixels=rule,
    )
    assert (p.total[0], p.valid[0], p.value_sum[0]) == (16.0, 12.0, 60.0)


# --- 5. the switch between the two rules --------------------------------------------------------


def test_small_zone_in_a_large_one_is_not_counted_twice() -> None:
    values = np.ones((100, 100))
    transform = from_origin(0, 100, 1, 1)
    small = shapely.box(10.5, 10.5, 13.25, 12.75)  # 2.75 x 2.25 = 6.1875 pixels
    large = shapely.box(0, 0, 100, 100) - small
    p = zonal_partials((values, transform, None), zones(large=large, small=small), EVERYTHING)
    assert p.total[1] == pytest.approx(6.1875, rel=1e-12)
    assert p.total[0] == pytest.approx(10_000 - 6.1875, rel=1e-12)


def test_small_zone_next_to_a_large_one() -> None:
    # large: x 0..100.3, 20 060 pixels (centre rule: column 100, centre 100.5, is out); small:
    # x 100.3..102, y 0..3 (exact). On the 3 pixels of column 100 beside small, large gets 0.3.
    values = np.ones((200, 200))
    transform = from_origin(0, 200, 1, 1)
    large = shapely.box(0, 0, 100.3, 200)
    small = shapely.box(100.3, 0, 102, 3)
    p = zonal_partials((values, transform, None), zones(large=large, small=small), EVERYTHING)
    assert p.total[1] == pytest.approx(1.7 * 3, rel=1e-12)
    assert p.total[0] == pytest.approx(100 * 200 + 0.3 * 3, rel=1e-12)


def test_thin_strip_is_exact_whatever_its_area() -> None:
    # 0.3 x 100 = 30 pixels, above exact_below_pixels=20, but 0.3 pixels wide: exact. No pixel
    # centre (x = 10.5) lies inside x 10.1..10.4, so the centre rule would give 0.
    strip = shapely.box(10.1, 0, 10.4, 100)
    p = zonal_partials(
        (np.ones((100, 100)), from_origin(0, 100, 1, 1), None),
        zones(strip=strip),
        EVERYTHING,
        exact_below_pixels=20,
    )
    assert p.total[0] == pytest.approx(30.0, rel=1e-12)


def test_rule_follows_the_part_inside_the_raster() -> None:
    # 1002.25 x 3 m in all, but 2.25 x 3 = 6.75 pixels inside the raster: exact (the centre
    # rule would count the 6 pixels with centres x = 0.5, 1.5).
    zone = shapely.box(-1000, 0, 2.25, 3)
    p = zonal_partials(
        (np.ones((10, 10)), from_origin(0, 10, 1, 1), None),
        zones(z=zone),
        EVERYTHING,
        exact_below_pixels=100,
    )
    assert p.total[0] == pytest.approx(6.75, rel=1e-12)


# --- windows of a mosaic -------------------------------------------------------------------------


def test_windows_of_a_file_merge_to_the_whole(tmp_path: Path) -> None:
    values = numbered(64).astype(np.float32)
    transform = from_origin(0, 64, 1, 1)
    path = tmp_path / "mosaic.tif"
    with rasterio.open(
        path, "w", driver="GTiff", width=64, height=64, count=1, dtype="float32",
        crs="EPSG:28992", transform=transform, nodata=-9999.0,
    ) as ds:  # fmt: skip
        ds.write(values, 1)
    z = zones(a=shapely.box(3.5, 3.5, 40.2, 61.7), b=shapely.box(40.2, 3.5, 63, 30.1))
    whole = zonal_partials(path, z, EVERYTHING, exact_below_pixels=50)
    source = FileSource(path)
    try:
        parts = [
            zonal_partials(WindowSource(source, rows, cols), z, EVERYTHING, exact_below_pixels=50)
            for rows, cols in [((0, 30), (0, 64)), ((30, 64), (0, 20)), ((30, 64), (20, 64))]
        ]
    finally:
        source.close()
    merged = parts[0].merge(parts[1]).merge(parts[2])
    np.testing.assert_allclose(merged.total, whole.total, rtol=1e-12)
    np.testing.assert_allclose(merged.value_sum, whole.value_sum, rtol=1e-12)
    np.testing.assert_allclose(merged.value_max, whole.value_max)
    with pytest.raises(ZonalInputError, match="Oplossing"):
        WindowSource(source, (0, 65), (0, 64))


# --- the hardening case: real atoms on a raster reaching far past the map area -----------------


@pytest.mark.parametrize("rule", [CENTRE, 10_000.0, EXACT], ids=["centre", "default", "exact"])
def test_real_atoms_on_a_raster_reaching_past_the_map_area(atlas, rule: float) -> None:
    # Municipality x water-board pieces of 2024 (small, detailed, some touching strip edges)
    # on a 250 m raster 20 km wider than the map on every side, read in strips of 7 rows.

    frame = atlas.atoms(2024)[["id", "geometry"]]
    xmin, ymin, xmax, ymax = frame.total_bounds
    pixel = 250.0
    x0, y1 = math.floor(xmin / pixel) * pixel - 20_000, math.ceil(ymax / pixel) * pixel + 20_000
    width = int((xmax + 20_000 - x0) // pixel) + 1
    height = int((y1 - ymin + 20_000) // pixel) + 1
    values = np.full((height, width), 0.2)
    p = zonal_partials(
        (values, from_origin(x0, y1, pixel, pixel), None),
        frame,
        EVERYTHING,
        exact_below_pixels=rule,
        max_block_pixels=7 * width,
    )
    areas = frame.area.to_numpy() / pixel**2
    if rule == EXACT:  # the raster holds every atom: each is covered by its own area
        np.testing.assert_allclose(p.total, areas, rtol=1e-9)
    # On any rule the atoms' pixels add up to their area, up to the centre rule's rounding.
    assert p.total.sum() == pytest.approx(areas.sum(), rel=1e-3)
    assert p.value_sum.sum() == pytest.approx(0.2 * p.valid.sum(), rel=1e-12)
