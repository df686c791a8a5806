"""Shared by the zonal benchmarks: how much of a raster the engine's plan reads."""

from __future__ import annotations

from pathlib import Path


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
