"""The atom of a point: the lowest row whose polygon holds it, found through the points sorted
by x, against testing every point against every atom."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from adaptatie.exposure.partials import OUTSIDE_ATOMS, atom_index_xy


def test_atom_of_points_inside_on_shared_edges_and_outside() -> None:
    # Two squares sharing the edge x = 10 and an L around them; the first row wins on an edge.
    atoms = gpd.GeoDataFrame(
        {"id": ["A", "B", "C"]},
        geometry=[
            shapely.box(0, 0, 10, 10),
            shapely.box(10, 0, 20, 10),
            shapely.Polygon([(0, 10), (30, 10), (30, -5), (20, -5), (20, 10.0 - 1e-9), (0, 10)]),
        ],
        crs="EPSG:28992",
    )
    xs = np.array([5, 15, 10, 10, 25, 50, np.nan, 20, 0])
    ys = np.array([5, 5, 5, 10, 0, 5, 5, 0, 0])
    assert atom_index_xy(xs, ys, atoms).tolist() == [0, 1, 0, 0, 2, -1, -1, 1, 0]

    rng = np.random.default_rng(4)
    xs, ys = rng.uniform(-5, 35, 5000).round(0), rng.uniform(-10, 15, 5000).round(0)
    expected = np.full(len(xs), OUTSIDE_ATOMS)
    for row, geom in reversed(list(enumerate(atoms.geometry))):
        expected[shapely.intersects_xy(geom, xs, ys)] = row
    np.testing.assert_array_equal(atom_index_xy(xs, ys, atoms), expected)
