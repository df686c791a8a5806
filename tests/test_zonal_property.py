"""Property test: random partitions of a raster's extent, on every rule, against exactextract.

A partition is made of Voronoi cells of random points (with a cluster of nearby points, so
that some cells are smaller than a pixel), some cells with a hole that is a zone of its own,
and all vertices snapped to a grid of a quarter pixel (so many lie on pixel lines). The
zones' covered weights must add up to the extent (nothing lost, nothing counted twice) and
every zone's exact figures must match exactextract, the field's reference implementation.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from rasterio.transform import from_origin

from adaptatie.zonal import ClassScheme, zonal_partials

exactextract = pytest.importorskip("exactextract")
from exactextract.raster import NumPyRasterSource  # noqa: E402

EVERYTHING = ClassScheme((-math.inf, math.inf), ("all",))


def partition(seed: int, height: int, width: int, pixel: float) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    x0, y1 = 1000.0, 5000.0
    extent = shapely.box(x0, y1 - height * pixel, x0 + width * pixel, y1)
    n = int(rng.integers(3, 16))
    points = rng.uniform([x0, y1 - height * pixel], [x0 + width * pixel, y1], (n, 2))
    cluster = points[0] + rng.uniform(-0.3, 0.3, (3, 2)) * pixel  # cells below a pixel
    points = np.vstack([points, cluster])
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(points), extend_to=extent)
    )
    cells = [shapely.intersection(cell, extent) for cell in cells]
    zones: list[shapely.Geometry] = []
    for i, cell in enumerate(cells):
        if i % 4 == 1 and cell.area > 4 * pixel * pixel:
            centre = cell.centroid
            hole = shapely.affinity.scale(cell, 0.4, 0.4, origin=centre)
            zones += [cell - hole, hole]
        else:
            zones.append(cell)
    snapped = shapely.set_precision(np.array(zones, dtype=object), pixel / 4)
    snapped = [g for g in snapped if not g.is_empty and g.area > 0]
    ids = [f"z{i}" for i in range(len(snapped))]
    return gpd.GeoDataFrame({"id": ids}, geometry=snapped, crs="EPSG:28992")


@settings(
    max_examples=40,
    deadline=None,
    database=None,  # no .hypothesis folder in the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    seed=st.integers(0, 2**31),
    height=st.integers(4, 30),
    width=st.integers(4, 30),
    pixel=st.sampled_from([1.0, 2.5]),
)
@example(seed=27, height=4, width=4, pixel=1.0)  # an edge ending on a row's centre line
def test_random_partitions_add_up_and_match_exactextract(
    seed: int, height: int, width: int, pixel: float
) -> None:
    frame = partition(seed, height, width, pixel)
    areas = frame.area.sum()
    assume(abs(areas - height * width * pixel * pixel) < 1e-6 * areas)  # snapping kept it whole
    values = np.random.default_rng(seed).uniform(0, 10, (height, width))
    transform = from_origin(1000.0, 5000.0, pixel, pixel)
    source = (values, transform, None)
    for rule in (0.0, 6.0, math.inf):
        p = zonal_partials(source, frame, EVERYTHING, exact_below_pixels=rule)
        # The zones cover the extent once: height * width pixels in all, on every rule.
        assert p.total.sum() == pytest.approx(height * width, rel=1e-9)
    exact = zonal_partials(source, frame, EVERYTHING, exact_below_pixels=math.inf)
    raster = NumPyRasterSource(
        values, 1000.0, 5000.0 - height * pixel, 1000.0 + width * pixel, 5000.0
    )
    reference = exactextract.exact_extract(raster, frame, ["count", "sum"], output="pandas")
    np.testing.assert_allclose(exact.total, reference["count"], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(exact.value_sum, reference["sum"], rtol=1e-6, atol=1e-8)
