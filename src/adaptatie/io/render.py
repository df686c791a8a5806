"""Colour-mapped display images of a stress-test raster, in Web Mercator for the map.

The whole layer is rendered once when it is added (about 100 m per pixel for the map area); a
region is rendered on demand at the detail that fits the screen, so zooming in on a municipality
shows the raster at (close to) its own resolution. GDAL picks the overview level that fits the
requested size, so a render reads little more than the pixels it shows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from PIL import Image
from rasterio.enums import Resampling
from rasterio.vrt import WarpedVRT
from rasterio.warp import transform_bounds

from adaptatie.stresstest.themes import Classes

WEB_MERCATOR = "EPSG:3857"
DEFAULT_PIXELS = 1600  # long side of a display image


@dataclass(frozen=True)
class Rendered:
    """A palette PNG and its lat/lon bounds (south, west, north, east)."""

    png: bytes
    bounds: tuple[float, float, float, float]


def render(
    analysis: Path,
    classes: Classes,
    categorical: bool,
    window: tuple[float, float, float, float] | None = None,
    pixels: int = DEFAULT_PIXELS,
) -> Rendered:
    """Render ``analysis`` (or the part within the RD New ``window``) to a palette PNG.

    The image is never finer than the raster itself, and at most ``pixels`` on its long side.
    """
    with rasterio.open(analysis) as src:
        area = src.bounds if window is None else _clip(window, src.bounds)
        west, south, east, north = transform_bounds(src.crs, WEB_MERCATOR, *area)
        native = abs(src.transform.a)
        scale = max(max(east - west, north - south) / pixels, native)
        width = max(1, round((east - west) / scale))
        height = max(1, round((north - south) / scale))
        transform = rasterio.transform.from_bounds(west, south, east, north, width, height)
        resampling = Resampling.nearest if categorical else Resampling.average
        with WarpedVRT(
            src,
            crs=WEB_MERCATOR,
            transform=transform,
            width=width,
            height=height,
            resampling=resampling,
        ) as vrt:
            data = vrt.read(1, masked=True)
    image = colourise(data.filled(np.nan), classes)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True, transparency=image.info["transparency"])
    lon_w, lat_s, lon_e, lat_n = transform_bounds(
        WEB_MERCATOR, "EPSG:4326", west, south, east, north
    )
    return Rendered(buffer.getvalue(), (lat_s, lon_w, lat_n, lon_e))


def colourise(values: np.ndarray, classes: Classes) -> Image.Image:
    """A palette image: one palette entry per class, NaN transparent."""
    index = np.searchsorted(np.asarray(classes.edges), values, side="right").astype("uint8")
    index[~np.isfinite(values)] = len(classes.labels)
    image = Image.fromarray(index, mode="P")
    palette, alpha = [], []
    for colour in classes.colours:
        palette.extend(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        alpha.append(int(colour[7:9], 16) if len(colour) == 9 else 255)
    palette.extend((0, 0, 0))
    alpha.append(0)
    image.putpalette(palette)
    image.info["transparency"] = bytes(alpha)
    return image


def _clip(
    window: tuple[float, float, float, float], bounds: rasterio.coords.BoundingBox
) -> tuple[float, float, float, float]:
    left, bottom, right, top = window
    clipped = (
        max(left, bounds.left),
        max(bottom, bounds.bottom),
        min(right, bounds.right),
        min(top, bounds.top),
    )
    if clipped[0] >= clipped[2] or clipped[1] >= clipped[3]:
        raise ValueError("the window does not overlap the raster")
    return clipped
