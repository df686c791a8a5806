"""Shared by the zonal benchmarks (zonal.py, scale.py): the engine's one-off start, and how much
of a raster its plan reads."""

from __future__ import annotations

import time
from pathlib import Path


def warm_up() -> float:
    """Seconds for numba to load (or, the first time, compile) the engine's loops: once per
    process (a Dask worker's too), done before the timed run, like the imports."""
    from adaptatie.zonal import kernels

    start = time.perf_counter()
    kernels.warm_up()
    return time.perf_counter() - start


def read_share(raster: Path, zones: object) -> float:
    """The share of the raster's pixels in the windows the engine reads for ``zones`` (the
    blocks the zones meet): a plain read of the whole raster reads them all."""
    from adaptatie.zonal import FileSource, engine
    from adaptatie.zonal.zones import choose_exact, pixel_windows, zone_arrays

    _, geoms = zone_arrays(zones)
    source = FileSource(raster)
    try:
        shape, transform = (source.height, source.width), source.transform
        rows, cols = pixel_windows(geoms, transform, *shape)
        exact = choose_exact(geoms, transform, *shape, 10_000.0)
        windows = engine.plan(rows, cols, exact, source.block_shape, 16_777_216)
    finally:
        source.close()
    read = sum((w.row1 - w.row0) * (w.col1 - w.col0) for w in windows)
    return read / (shape[0] * shape[1])
