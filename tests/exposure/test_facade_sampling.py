"""The façade value of many footprints, made in chunks and read in strips, against plain array
indexing of every façade point (SYNTHETIC raster with nodata, NaN and footprints off it)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely

from adaptatie.exposure import sampling
from adaptatie.exposure.sampling import FACADE_BUFFER_M, facade_points, facade_samples
from tests.exposure.worlds import BOWL_NORTH, BOWL_WEST, PIXEL, write_raster


def _footprints(rng: np.random.Generator) -> np.ndarray:
    width, height = 23 * PIXEL, 31 * PIXEL
    x = BOWL_WEST - 30 + rng.uniform(0, width + 60, 60)
    y = BOWL_NORTH + 30 - rng.uniform(0, height + 60, 60)
    size = rng.uniform(3, 40, 60)
    shapes = list(shapely.box(x, y, x + size, y + size))
    shapes[5] = shapes[5].reverse()  # clockwise
    shapes[7] = shapely.Polygon(  # a courtyard (left out of the façade)
        shapes[7].buffer(20, join_style="mitre").exterior, [shapes[7].exterior.coords]
    )
    shapes[11] = shapely.MultiPolygon([shapes[11], shapely.affinity.translate(shapes[12], 60)])
    shapes[13] = shapes[13].buffer(9, quad_segs=4)  # many vertices, also across strips
    shapes.append(shapely.box(BOWL_WEST - 500, BOWL_NORTH, BOWL_WEST - 490, BOWL_NORTH + 10))
    return np.array(shapes, dtype=object)


@pytest.mark.parametrize("chunk, strip_rows", [(4, 7), (sampling.FACADE_CHUNK, 512)])
def test_façade_values_in_chunks_and_strips_equal_indexing_every_point(
    chunk: int, strip_rows: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(7)
    values = rng.uniform(0, 1, (31, 23)).astype("float32")
    values[rng.uniform(0, 1, values.shape) < 0.2] = -9999.0  # nodata
    values[rng.uniform(0, 1, values.shape) < 0.05] = np.nan
    raster = write_raster(tmp_path / "vlak.tif", values)
    footprints = _footprints(rng)
    # The expected value: every façade point's pixel, by plain indexing of the array.
    ring = facade_points(footprints, FACADE_BUFFER_M, PIXEL / 2)
    rows = np.floor((ring.y - BOWL_NORTH) / -PIXEL).astype(int)
    cols = np.floor((ring.x - BOWL_WEST) / PIXEL).astype(int)
    on = (rows >= 0) & (rows < values.shape[0]) & (cols >= 0) & (cols < values.shape[1])
    picked = np.full(len(rows), np.nan)
    picked[on] = values[rows[on], cols[on]]
    picked[picked == -9999.0] = np.nan
    expected = np.full(len(footprints), np.nan)
    np.fmax.at(expected, ring.owner, picked)
    assert np.isnan(expected[-1]) and np.isfinite(expected).sum() > 40

    monkeypatch.setattr(sampling, "FACADE_CHUNK", chunk)  # 4: fifteen chunks, mixed shapes
    monkeypatch.setattr(sampling, "STRIP_ROWS", strip_rows)
    found, centre_x, centre_y = facade_samples(raster, footprints)
    np.testing.assert_array_equal(found.values, expected)
    np.testing.assert_array_equal(centre_x, ring.centre_x)
    np.testing.assert_array_equal(centre_y, ring.centre_y)
