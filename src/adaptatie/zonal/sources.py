"""Raster sources: where the engine reads band 1 from, window by window, with its mask.

A source has a size, a north-up transform, a dtype, a nodata value, a block shape and a ``read``
that returns the values of a window plus the pixels masked out (``True`` = no data), or ``None``
when nothing is masked. Three implementations:

* :class:`ArraySource`: a 2-D numpy array (a ``numpy.ma.MaskedArray`` keeps its mask);
* :class:`FileSource`: band 1 of a GDAL raster; a per-dataset mask band or an alpha band is
  honoured (a nodata value is applied by the engine itself, in the raster's own dtype);
* :class:`WindowSource`: a window of another source, with its own transform, so that a worker
  can compute the partials of one window of a mosaic (merge them with ``Partials.merge``).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import rasterio
from rasterio.enums import MaskFlags
from rasterio.transform import Affine
from rasterio.windows import Window

from adaptatie.zonal.results import ZonalInputError

__all__ = ["ArraySource", "FileSource", "RasterSource", "WindowSource", "open_source"]

Read = tuple[np.ndarray, np.ndarray | None, bool]  # values, mask (True = masked), values owned


@runtime_checkable
class RasterSource(Protocol):
    """Band 1 of a north-up raster, read window by window (rows and columns are [start, stop))."""

    height: int
    width: int
    transform: Affine
    dtype: np.dtype
    nodata: float | None
    crs: object | None  # a rasterio CRS, or None when unknown
    block_shape: tuple[int, int]
    threaded: bool  # whether reading in other threads is worthwhile (and safe)

    def read(
        self, rows: tuple[int, int], cols: tuple[int, int], out: np.ndarray | None = None
    ) -> Read:
        """Values of the window (into ``out`` when given and possible), the masked pixels or
        None, and whether the caller may modify the values."""
        ...

    def close(self) -> None: ...


class ArraySource:
    """A 2-D array in memory; masked arrays keep their mask."""

    threaded = False
    block_shape = (1, 1)
    crs = None

    def __init__(self, array: np.ndarray, transform: Affine, nodata: float | None) -> None:
        if np.ndim(array) != 2:
            raise ZonalInputError(
                f"Het raster heeft {np.ndim(array)} dimensies. Oplossing: geef een 2-D array "
                "(één band)."
            )
        mask = np.ma.getmask(array)
        self.mask = None if mask is np.ma.nomask or not mask.any() else np.asarray(mask)
        self.array = np.ma.getdata(array)
        self.height, self.width = self.array.shape
        self.transform = transform
        self.nodata = nodata
        self.dtype = self.array.dtype

    def read(
        self, rows: tuple[int, int], cols: tuple[int, int], out: np.ndarray | None = None
    ) -> Read:
        window = (slice(*rows), slice(*cols))
        view = self.array[window]
        values = np.ascontiguousarray(view)  # the view itself when it is contiguous
        mask = None if self.mask is None else self.mask[window]
        return values, mask, values is not view

    def close(self) -> None:
        pass


class FileSource:
    """Band 1 of a GDAL raster. Each reading thread gets its own dataset handle and decodes
    its own windows: the engine's threads are the decoding parallelism (GDAL's
    ``NUM_THREADS`` on top would only oversubscribe the cores)."""

    threaded = True

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._handles: list[rasterio.DatasetReader] = []
        self._lock = threading.Lock()
        ds = self._dataset()
        self.height, self.width = ds.height, ds.width
        self.transform = ds.transform
        self.nodata = ds.nodata
        self.dtype = np.dtype(ds.dtypes[0])
        height, width = ds.block_shapes[0]
        self.block_shape = (max(1, int(height)), max(1, int(width)))
        self.crs = ds.crs
        flags = set(ds.mask_flag_enums[0])
        self.masked = bool(flags & {MaskFlags.per_dataset, MaskFlags.alpha})

    def _dataset(self) -> rasterio.DatasetReader:
        ds = getattr(self._local, "dataset", None)
        if ds is None:
            try:
                ds = rasterio.open(self.path)
            except rasterio.errors.RasterioIOError as error:
                raise ZonalInputError(
                    f"Raster {self.path} is niet te lezen: {error}. Oplossing: controleer of "
                    "het bestand bestaat en een GeoTIFF is."
                ) from error
            self._local.dataset = ds
            with self._lock:
                self._handles.append(ds)
        return ds

    def read(
        self, rows: tuple[int, int], cols: tuple[int, int], out: np.ndarray | None = None
    ) -> Read:
        ds = self._dataset()
        window = Window(cols[0], rows[0], cols[1] - cols[0], rows[1] - rows[0])
        try:
            values = ds.read(1, window=window, out=out)
            valid = ds.read_masks(1, window=window) if self.masked else None
        except rasterio.errors.RasterioIOError as error:
            raise ZonalInputError(
                f"Raster {self.path} is beschadigd: rijen {rows[0]}-{rows[1]}, kolommen "
                f"{cols[0]}-{cols[1]} zijn niet te lezen ({error}). Oplossing: maak of "
                "download het bestand opnieuw."
            ) from error
        mask = None
        if valid is not None:
            mask = valid == 0
            if not mask.any():
                mask = None
        return values, mask, True

    def close(self) -> None:
        with self._lock:
            for ds in self._handles:
                ds.close()
            self._handles.clear()


class WindowSource:
    """Rows ``rows`` and columns ``cols`` of ``inner`` as a raster of their own."""

    def __init__(self, inner: RasterSource, rows: tuple[int, int], cols: tuple[int, int]) -> None:
        if not (0 <= rows[0] < rows[1] <= inner.height and 0 <= cols[0] < cols[1] <= inner.width):
            raise ZonalInputError(
                f"Venster rijen {rows}, kolommen {cols} ligt niet binnen het raster van "
                f"{inner.height} x {inner.width} pixels. Oplossing: kies een venster binnen het "
                "raster."
            )
        self.inner = inner
        self.row0, self.col0 = rows[0], cols[0]
        self.height, self.width = rows[1] - rows[0], cols[1] - cols[0]
        self.transform = inner.transform * Affine.translation(cols[0], rows[0])
        self.dtype = inner.dtype
        self.nodata = inner.nodata
        self.crs = inner.crs
        self.block_shape = inner.block_shape
        self.threaded = inner.threaded

    def read(
        self, rows: tuple[int, int], cols: tuple[int, int], out: np.ndarray | None = None
    ) -> Read:
        shifted_rows = (rows[0] + self.row0, rows[1] + self.row0)
        shifted_cols = (cols[0] + self.col0, cols[1] + self.col0)
        return self.inner.read(shifted_rows, shifted_cols, out=out)

    def close(self) -> None:
        pass  # the inner source belongs to the caller


SourceLike = str | Path | tuple[np.ndarray, Affine, float | None] | RasterSource


def open_source(source: SourceLike) -> tuple[RasterSource, bool]:
    """The source for ``source``, and whether the engine opened it (and must close it)."""
    if isinstance(source, tuple):
        array, transform, nodata = source
        return ArraySource(np.asanyarray(array), transform, nodata), True
    if isinstance(source, str | Path):
        return FileSource(source), True
    if isinstance(source, RasterSource):
        return source, False
    raise ZonalInputError(
        f"Onbekende rasterbron {type(source).__name__}. Oplossing: geef een pad, "
        "(array, transform, nodata) of een RasterSource."
    )
