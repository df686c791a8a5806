"""SYNTHETIC test rasters for the ingest, bad-raster and render tests (helpers, not tests)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio
import shapely
from rasterio.transform import from_origin

from adaptatie.config import themes_file
from adaptatie.io.ingest import NODATA, LayerRequest
from adaptatie.io.themes_file import read_themes

# SYNTHETIC test rasters: 200 x 100 pixels of 25 m at RD (230000, 575000), i.e. 5 km x 2.5 km.
ORIGIN = (230_000.0, 575_000.0)
AREA = shapely.box(220_000, 560_000, 260_000, 590_000)
THEMES = read_themes(themes_file())


def write_tif(
    path: Path,
    values: np.ndarray,
    crs: str | None = "EPSG:28992",
    nodata: float | None = NODATA,
    **extra: object,
) -> Path:
    profile = {
        "driver": "GTiff",
        "dtype": str(values.dtype),
        "count": values.shape[0] if values.ndim == 3 else 1,
        "width": values.shape[-1],
        "height": values.shape[-2],
        "transform": from_origin(*ORIGIN, 25, 25),
        "tiled": True,
        "blockxsize": 64,
        "blockysize": 64,
        "compress": "deflate",
        **extra,
    }
    if crs:
        profile["crs"] = crs
    if nodata is not None:
        profile["nodata"] = nodata
    with rasterio.open(path, "w", **profile) as dst:
        if values.ndim == 3:
            dst.write(values)
        else:
            dst.write(values, 1)
    return path


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def depth(value: float = 0.2) -> np.ndarray:
    data = np.full((100, 200), value, dtype="float32")
    data[:10, :10] = NODATA
    return data


def request(
    layer_id: str = "test-laag", unit: str = "m", theme: str = "wateroverlast"
) -> LayerRequest:
    return LayerRequest(
        layer_id, THEMES[theme], "70 mm in 2 uur", unit, source="SYNTHETISCH", synthetic=True
    )
