"""What a Dask worker runs: the partials of one strip of a raster, and a check that it can read
the raster. Plain functions of plain arguments, so they pickle by reference."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adaptatie.zonal import ClassScheme, Partials


@dataclass(frozen=True)
class StripTask:
    """One strip (rows ``rows``, all columns) and the zones whose bounds meet it."""

    path: str
    rows: tuple[int, int]
    zone_ids: tuple[str, ...]
    wkb: tuple[bytes, ...]
    exact: tuple[bool, ...]  # the rule of each zone, chosen for the whole raster
    crs_wkt: str | None
    scheme: ClassScheme
    thresholds: tuple[float, ...]
    gdal_cache_mb: int = 64
    read_threads: int = 0  # read in the task's own thread: the workers' threads are the cores


def strip_partials(task: StripTask) -> Partials:
    """Partials of the task's zones over its strip (runs on a worker)."""
    import geopandas as gpd
    import rasterio
    import shapely

    from adaptatie.zonal import FileSource, zonal_partials

    zones = gpd.GeoDataFrame(
        {"id": list(task.zone_ids)},
        geometry=shapely.from_wkb(np.array(task.wkb, dtype=object)),
        crs=task.crs_wkt,
    )
    with rasterio.Env(GDAL_CACHEMAX=task.gdal_cache_mb):
        source = FileSource(task.path)
        try:
            return zonal_partials(
                source,
                zones,
                task.scheme,
                task.thresholds,
                read_threads=task.read_threads,
                exact_zones=np.array(task.exact, dtype=bool),
                rows=task.rows,  # pixel coordinates of the whole raster: identical counts
            )
        finally:
            source.close()


def probe(path: str, shape: tuple[int, int]) -> str | None:
    """None when this process can read the raster at ``path`` (and every file it refers to)
    with the ``shape`` the client sees; else what is wrong (runs on each worker)."""
    import rasterio

    if not os.access(path, os.R_OK):
        return f"{path} bestaat niet of is niet leesbaar"
    try:
        with rasterio.open(path) as ds:
            if (ds.height, ds.width) != tuple(shape):
                found, wanted = f"{ds.height} x {ds.width}", f"{shape[0]} x {shape[1]}"
                return f"{path} heeft hier {found} pixels, niet {wanted}"
            missing = [f for f in ds.files if not os.access(f, os.R_OK)]
    except rasterio.errors.RasterioIOError:
        return f"{path} is geen leesbaar raster"
    if missing:
        return f"{len(missing)} tegel(s) zijn niet leesbaar, bijv. {Path(missing[0])}"
    return None
