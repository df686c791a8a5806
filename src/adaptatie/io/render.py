"""Colour-mapped display images of a stress-test raster, in Web Mercator for the map.

The whole layer is rendered once when it is added (about 100 m per pixel for the map area); a
region is rendered on demand at the detail that fits the screen, so zooming in on a municipality
shows the raster at (close to) its own resolution. The render reads the coarsest overview that is
still at least as fine as the image (:func:`overview_level`), so it reads little more than the
pixels it shows, whatever the raster's size.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from PIL import Image
from rasterio.enums import Resampling
from rasterio.vrt import WarpedVRT
from rasterio.warp import transform_bounds

from adaptatie.io.analysis import GDAL_CACHE_MB
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
    with rasterio.open(analysis) as full:
        area = full.bounds if window is None else _clip(window, full.bounds)
        west, south, east, north = transform_bounds(full.crs, WEB_MERCATOR, *area)
        native = abs(full.transform.a)
        scale = max(max(east - west, north - south) / pixels, native)
        width = max(1, round((east - west) / scale))
        height = max(1, round((north - south) / scale))
        # The output pixel on the ground (Web Mercator stretches lengths by 1/cos(latitude)).
        ground = scale * (area[2] - area[0]) / (east - west)
        level = overview_level(full.overviews(1), native, ground)
    transform = rasterio.transform.from_bounds(west, south, east, north, width, height)
    resampling = Resampling.nearest if categorical else Resampling.average
    options = {} if level is None else {"overview_level": level}
    with (
        rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB),
        rasterio.open(analysis, **options) as src,
        WarpedVRT(
            src,
            crs=WEB_MERCATOR,
            transform=transform,
            width=width,
            height=height,
            resampling=resampling,
        ) as vrt,
    ):
        data = vrt.read(1, masked=True)
    image = colourise(data.filled(np.nan), classes)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True, transparency=image.info["transparency"])
    lon_w, lat_s, lon_e, lat_n = transform_bounds(
        WEB_MERCATOR, "EPSG:4326", west, south, east, north
    )
    return Rendered(buffer.getvalue(), (lat_s, lon_w, lat_n, lon_e))


def cut_out(
    png: bytes, bounds: tuple[float, float, float, float], hole: tuple[float, float, float, float]
) -> bytes:
    """The display image ``png`` (lat/lon ``bounds``: south, west, north, east) with the part
    under ``hole`` (same order) made transparent, so that a detail image laid there is not
    seen through the overview as well (two layers of the same opacity look darker).

    The hole is rounded inwards to whole pixels: at most one overview pixel along its edge
    still lies under the detail, and no gap opens between the two."""
    south, west, north, east = bounds
    h_south, h_west, h_north, h_east = hole
    with Image.open(io.BytesIO(png)) as image:
        index = np.array(image)
        palette = image.getpalette()
        alpha = image.info["transparency"]
    height, width = index.shape
    top, bottom = _mercator_y(north), _mercator_y(south)

    def row(lat: float) -> float:
        return (top - _mercator_y(lat)) / (top - bottom) * height

    def col(lon: float) -> float:
        return (lon - west) / (east - west) * width

    r0, r1 = max(0, math.ceil(row(h_north))), min(height, math.floor(row(h_south)))
    c0, c1 = max(0, math.ceil(col(h_west))), min(width, math.floor(col(h_east)))
    if r0 < r1 and c0 < c1:
        index[r0:r1, c0:c1] = alpha.rindex(0)  # the transparent entry (no data)
    out = Image.fromarray(index, mode="P")
    out.putpalette(palette)
    buffer = io.BytesIO()
    out.save(buffer, format="PNG", transparency=alpha)
    return buffer.getvalue()


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def overview_level(factors: list[int], native: float, ground: float) -> int | None:
    """The coarsest overview whose pixel is no larger than ``ground`` metres (``None``: the
    full resolution). Reading it instead of the full raster keeps a render's work and memory
    proportional to the image, not to the raster."""
    fitting = [i for i, f in enumerate(factors) if native * f <= ground]
    return fitting[-1] if fitting else None


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
