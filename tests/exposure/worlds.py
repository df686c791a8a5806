"""SYNTHETIC hand-computable worlds for the exposure tests (helpers, not tests).

The bowl: a 5 x 5 raster of 25 m pixels whose west edge is 50 m west of the Aadorp/Beedorp
boundary of the synthetic world (x = X0 + 10 km), so pixel column 1 lies in Aadorp and columns
2-4 in Beedorp. Water depth (m), row 0 at the top::

    0     0     0     0     0
    0     0.12  0.25  0.12  0
    0     0.25  0.60  0.25  0
    0     0.12  0.25  0.12  0
    0     0     0     0     0

Nine 10 m x 10 m buildings stand centred in the nine inner pixels; their 2 m façade zone (14 m
wide) stays inside their pixel, so each building's façade depth is its pixel's depth.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio
import shapely
from affine import Affine

from tests.synthetic import KM, X0, Y0

PIXEL = 25.0
BOWL_WEST = X0 + 10 * KM - 2 * PIXEL
BOWL_NORTH = Y0 + 5 * KM
BOWL = np.array(
    [
        [0, 0, 0, 0, 0],
        [0, 0.12, 0.25, 0.12, 0],
        [0, 0.25, 0.60, 0.25, 0],
        [0, 0.12, 0.25, 0.12, 0],
        [0, 0, 0, 0, 0],
    ],
    dtype="float32",
)


def write_raster(
    path: Path, values: np.ndarray, west: float = BOWL_WEST, north: float = BOWL_NORTH
) -> Path:
    profile = {
        "driver": "GTiff",
        "dtype": "float32",
        "count": 1,
        "width": values.shape[1],
        "height": values.shape[0],
        "crs": "EPSG:28992",
        "transform": Affine(PIXEL, 0.0, west, 0.0, -PIXEL, north),
        "nodata": -9999.0,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values.astype("float32"), 1)
    return path


def pixel_centre(row: int, col: int) -> tuple[float, float]:
    return BOWL_WEST + (col + 0.5) * PIXEL, BOWL_NORTH - (row + 0.5) * PIXEL


def bowl_buildings() -> list[tuple[str, shapely.Polygon]]:
    """``(id, footprint)`` for the nine inner pixels, ids ``r<row>c<col>``."""
    out = []
    for row in range(1, 4):
        for col in range(1, 4):
            x, y = pixel_centre(row, col)
            out.append((f"r{row}c{col}", shapely.box(x - 5, y - 5, x + 5, y + 5)))
    return out
