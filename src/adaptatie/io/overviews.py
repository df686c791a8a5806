"""The overviews of a stored COG, made during the validation pass instead of by a pass of their own.

GDAL's COG driver makes the overviews of a raster that has none by reading the whole source
once more, averaging it, writing the levels to a temporary ZSTD file and reading that back:
for a mosaic of 1.7e9 pixels about a fifth of the ingest. The validation pass
(:mod:`adaptatie.io.scan`) decodes every block anyway, so it hands each strip to an
:class:`OverviewWriter`, which averages it 2 x 2 into the first level (an uncompressed tiled
GeoTIFF in the staging folder); the further levels follow from the first, a quarter of its
size each. A converting VRT that lists these levels (``Mosaic.vrt_xml(overviews=...)``) then
makes the COG driver copy them instead of computing its own.

An overview pixel is the mean of the valid pixels among its 2 x 2 (GDAL's ``AVERAGE``), in the
stored unit (times the unit factor), or nodata when none is valid; an odd last row or column
is left out, as the overview sizes are halved and rounded down (as the COG driver's are). The
first level equals GDAL's; each further level is the mean of the one before, where GDAL
averages every level from the full raster: the two differ a little where pixels are invalid
in part, which an overview (a picture of the layer, never a statistic) can bear.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path

import numpy as np
import rasterio
from numba import njit
from rasterio.transform import Affine
from rasterio.windows import Window

__all__ = ["OverviewWriter", "overview_count"]

MIN_SIZE = 64  # the smallest level is at least this many pixels on its longer side
LEVEL_PIXELS = 1 << 22  # pixels of a level read at a time to make the next (16 MiB)


def overview_count(width: int, height: int) -> int:
    """Levels of overviews, halving each time, down to about MIN_SIZE pixels (at most 9)."""
    longer = max(width, height)
    return len([f for f in (2, 4, 8, 16, 32, 64, 128, 256, 512) if longer / f >= MIN_SIZE])


@njit(nogil=True, cache=True)
def _half(values: np.ndarray, nodata: float, factor: float, out: np.ndarray) -> None:
    # out[i, j] = factor * mean of the valid values of values[2i:2i+2, 2j:2j+2], else NaN.
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            total = 0.0
            count = 0
            for a in range(2 * i, 2 * i + 2):
                for b in range(2 * j, 2 * j + 2):
                    v = values[a, b]
                    if v == v and v != nodata:
                        total += v
                        count += 1
            out[i, j] = factor * total / count if count else np.nan


def half(values: np.ndarray, nodata: float | None, factor: float = 1.0) -> np.ndarray:
    """The 2 x 2 average of ``values`` (any numeric dtype) as float32, NaN where no pixel of the
    four is valid (NaN or ``nodata``), times ``factor``."""
    out = np.empty((values.shape[0] // 2, values.shape[1] // 2), dtype=np.float32)
    code = math.nan if nodata is None else float(nodata)
    if values.dtype.kind == "f":  # compared in the raster's precision, as GDAL does
        code = values.dtype.type(code)
    _half(np.ascontiguousarray(values), code, float(factor), out)
    return out


def _chunks(height: int, width: int) -> list[Window]:
    """Windows of even size and offset, at most about LEVEL_PIXELS each, covering a level."""
    cols = min(width, max(2, LEVEL_PIXELS // 512 // 2 * 2))
    rows = max(2, LEVEL_PIXELS // cols // 2 * 2)
    return [
        Window(c, r, min(cols, width - c), min(rows, height - r))
        for r in range(0, height, rows)
        for c in range(0, width, cols)
    ]


class OverviewWriter:
    """Receives the strips of a validation pass (from any thread) and writes the overview levels
    of the raster (``width`` x ``height`` with ``transform``) into ``folder``."""

    def __init__(
        self,
        folder: Path,
        width: int,
        height: int,
        transform: Affine,
        crs: rasterio.crs.CRS,
        nodata: float | None,
        factor: float,
        out_nodata: float,
    ) -> None:
        self.folder = folder
        self.width, self.height = width, height
        self.transform, self.crs = transform, crs
        self.nodata, self.factor, self.out_nodata = nodata, factor, out_nodata
        self.levels = overview_count(width, height)
        self.paths: list[Path] = []
        self._lock = threading.Lock()
        self._first = self._open(1, width // 2, height // 2) if self.levels else None

    @staticmethod
    def aligned(windows: list[tuple[int, int, int, int]]) -> bool:
        """True when every strip starts on an even row and column (2 x 2 blocks stay whole)."""
        return all(w[0] % 2 == 0 and w[2] % 2 == 0 for w in windows)

    def _open(self, level: int, width: int, height: int) -> rasterio.io.DatasetWriter:
        path = self.folder / f"overview_{level}.tif"
        self.paths.append(path)
        return rasterio.open(
            path, "w", driver="GTiff", width=max(1, width), height=max(1, height), count=1,
            dtype="float32", crs=self.crs, transform=self.transform * Affine.scale(2**level),
            nodata=self.out_nodata, tiled=True, blockxsize=512, blockysize=256,
            BIGTIFF="IF_SAFER",
        )  # fmt: skip

    def add(self, window: tuple[int, int, int, int], values: np.ndarray) -> None:
        """Strip ``window`` (row0, row1, col0, col1; even row0 and col0) of raw values."""
        if self._first is None:
            return
        row0, _, col0, _ = window
        part = half(values, self.nodata, self.factor)
        if not part.size:
            return
        np.nan_to_num(part, copy=False, nan=self.out_nodata)
        target = Window(col0 // 2, row0 // 2, part.shape[1], part.shape[0])
        with self._lock:
            self._first.write(part, 1, window=target)

    def finish(self) -> list[Path]:
        """Close the first level and make the others from it; the levels' paths, finest first."""
        if self._first is None:
            return []
        self._first.close()
        self._first = None
        width, height = self.width // 2, self.height // 2
        for level in range(2, self.levels + 1):
            source = self.paths[-1]
            width, height = width // 2, height // 2
            with rasterio.open(source) as src, self._open(level, width, height) as dst:
                for window in _chunks(2 * height, 2 * width):
                    values = src.read(1, window=window)
                    part = half(values, self.out_nodata)
                    np.nan_to_num(part, copy=False, nan=self.out_nodata)
                    target = Window(
                        window.col_off // 2, window.row_off // 2, part.shape[1], part.shape[0]
                    )
                    dst.write(part, 1, window=target)
        return list(self.paths)

    def close(self) -> None:
        """Close without finishing (after a failure; the staging folder is removed anyway)."""
        if self._first is not None:
            self._first.close()
            self._first = None
