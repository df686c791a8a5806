"""One streaming pass over a raster (a GeoTIFF or a mosaic VRT): every block read once, in strips
of whole block rows, by two reader threads with their own dataset handles. Memory stays at a few
strips whatever the raster's size; a progress callback gets the pixels done so far.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from rasterio.windows import Window

#: ``progress(label, pixels_done, pixels_total)``
Progress = Callable[[str, int, int], None]

STRIP_PIXELS = 1 << 24  # pixels per strip (64 MiB of float32)
READERS = 2
CHUNK = 1 << 19  # pixels per pass over a strip (2 MiB of float32)


@dataclass(frozen=True)
class ScanResult:
    valid: int  # pixels with a finite value other than nodata
    infinite: int  # pixels with +-inf
    low: float  # lowest valid value (inf when none)
    high: float  # highest valid value (-inf when none)


def strips(height: int, width: int, block_height: int) -> list[tuple[int, int, int, int]]:
    """Windows (row0, row1, col0, col1) of whole block rows, each at most STRIP_PIXELS pixels
    (split in columns when one block row is wider than that)."""
    rows = max(block_height, STRIP_PIXELS // max(width, 1) // block_height * block_height)
    cols = max(1, min(width, STRIP_PIXELS // rows))
    return [
        (r, min(r + rows, height), c, min(c + cols, width))
        for r in range(0, height, rows)
        for c in range(0, width, cols)
    ]


#: ``sink(window, values)``: each strip's raw values, from the reading threads
Sink = Callable[[tuple[int, int, int, int], np.ndarray], None]


def scan(
    path: Path, block_height: int, progress: Progress | None = None, sink: Sink | None = None
) -> ScanResult:
    """Count the valid pixels and find the range of band 1, reading every block once; each
    strip also goes to ``sink`` (e.g. the overviews of the copy, see ``overviews``).

    Raises rasterio's errors for unreadable blocks (the caller words them)."""
    local = threading.local()
    handles: list[rasterio.DatasetReader] = []
    lock = threading.Lock()

    def dataset() -> rasterio.DatasetReader:
        ds = getattr(local, "ds", None)
        if ds is None:
            ds = local.ds = rasterio.open(path)
            with lock:
                handles.append(ds)
        return ds

    first = dataset()
    height, width, nodata = first.height, first.width, first.nodata
    dtype = np.dtype(first.dtypes[0])
    windows = strips(height, width, max(1, block_height))
    total = height * width

    def read(w: tuple[int, int, int, int]) -> tuple[int, int, float, float]:
        row0, row1, col0, col1 = w
        data = dataset().read(1, window=Window(col0, row0, col1 - col0, row1 - row0))
        if sink is not None:
            sink(w, data)
        return _strip_stats(data, nodata, dtype)

    valid = infinite = done = 0
    low, high = math.inf, -math.inf
    try:
        with ThreadPoolExecutor(READERS, thread_name_prefix="scan") as pool:
            pending = deque(pool.submit(read, w) for w in windows[:READERS])
            for i, w in enumerate(windows):
                n, inf, lo, hi = pending.popleft().result()
                if i + READERS < len(windows):
                    pending.append(pool.submit(read, windows[i + READERS]))
                valid, infinite = valid + n, infinite + inf
                low, high = min(low, lo), max(high, hi)
                done += (w[1] - w[0]) * (w[3] - w[2])
                if progress is not None:
                    progress("Controleren", done, total)
    finally:
        for ds in handles:
            ds.close()
    return ScanResult(valid, infinite, low, high)


def _strip_stats(
    data: np.ndarray, nodata: float | None, dtype: np.dtype
) -> tuple[int, int, float, float]:
    """Valid count, infinite count, min and max of the valid values of one strip."""
    if dtype.kind != "f":
        valid = data if nodata is None or math.isnan(nodata) else data[data != nodata]
        if not valid.size:
            return 0, 0, math.inf, -math.inf
        return valid.size, 0, float(valid.min()), float(valid.max())
    code = None if nodata is None or math.isnan(nodata) else dtype.type(nodata)
    flat = data.reshape(-1)
    valid = infinite = 0
    low, high = math.inf, -math.inf
    for start in range(0, flat.size, CHUNK):  # chunks in the CPU cache: passes are cheap
        part = flat[start : start + CHUNK]
        if code is not None:
            np.copyto(part, np.nan, where=part == code)
        invalid = np.isnan(part)
        n = part.size - int(np.count_nonzero(invalid))
        if not n:
            continue
        lo, hi = float(np.fmin.reduce(part)), float(np.fmax.reduce(part))
        if math.isinf(lo) or math.isinf(hi):
            inf = np.isinf(part)
            infinite += int(np.count_nonzero(inf))
            n -= int(np.count_nonzero(inf))
            part = part[~(inf | invalid)]
            if not part.size:
                continue
            lo, hi = float(part.min()), float(part.max())
        valid += n
        low, high = min(low, lo), max(high, hi)
    return valid, infinite, low, high
