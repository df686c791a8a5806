"""Writing the stored analysis raster of a layer: a COG, a warped GeoTIFF, or the checksum of a
mosaic registered in place; the disk-space check before a copy."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import rasterio
from rasterio.enums import Resampling
from rasterio.shutil import copy
from rasterio.vrt import WarpedVRT

from adaptatie import fmt
from adaptatie.io.manifest import file_sha256 as sha256
from adaptatie.io.mosaic import Mosaic, RasterInputError
from adaptatie.io.overviews import overview_count
from adaptatie.io.scan import Progress

NODATA = -9999.0
BLOCK = 512
RD_NEW = "EPSG:28992"
#: GDAL's block cache in MB for every pass over a raster (ingest, summaries, hotspots, exposure).
#: GDAL's default is 5 % of RAM: a COG write of a 1.4e8-pixel raster then peaks at about 1 GB
#: of RSS, with this bound at about 170 MB and no slower (every block is read once anyway).
GDAL_CACHE_MB = 64


def check_disk(
    folder: Path, mosaic: Mosaic, src: rasterio.DatasetReader, extra: int = 0
) -> None:
    """A copy needs room: about the size of the sources (float32 at most 4 bytes a pixel),
    and ``extra`` bytes (e.g. uncompressed overviews while it is written)."""
    needed = min(4 * src.width * src.height, max(mosaic.size_bytes, 1) * 2) + extra
    free = shutil.disk_usage(folder).free
    if needed > free:
        raise RasterInputError(
            mosaic.source,
            f"voor de analysekopie is ongeveer {fmt.number(needed / 1e9, 1)} GB nodig, maar er "
            f"is {fmt.number(free / 1e9, 1)} GB vrij.",
            "maak ruimte vrij, of lever de kaart als COG in RD New met een nodata-waarde (die "
            "wordt op zijn plaats geregistreerd, zonder kopie).",
        )


def checksum_in_place(vrt: Path, mosaic: Mosaic, progress: Progress | None) -> str:
    """sha256 over the VRT and every tile's own sha256 (so a changed tile changes it)."""
    digest = hashlib.sha256(vrt.read_bytes())
    total, done = mosaic.pixels - mosaic.hole_pixels, 0
    for tile in mosaic.tiles:
        digest.update(f"{tile.path}:{sha256(tile.path)}".encode())
        done += tile.width * tile.height
        if progress is not None:
            progress("Controlegetal", done, total)
    return digest.hexdigest()


def write_cog(
    source: Path,
    target: Path,
    categorical: bool,
    width: int,
    height: int,
    progress: Progress | None,
) -> None:
    """A COG from ``source`` by GDAL's COG driver, overviews down to about 64 pixels: the
    source's own when it has them (see ``overviews``), else made by the driver."""
    count = overview_count(width, height)
    resampling = "NEAREST" if categorical else "AVERAGE"
    options = {
        "COMPRESS": "DEFLATE",
        "PREDICTOR": "YES",
        "BLOCKSIZE": str(BLOCK),
        "BIGTIFF": "IF_SAFER",
        "NUM_THREADS": "ALL_CPUS",
        "OVERVIEW_RESAMPLING": resampling,
        "RESAMPLING": resampling,
    }
    if count:
        options["OVERVIEW_COUNT"] = str(count)
    else:
        options["OVERVIEWS"] = "NONE"
    if progress is not None:
        progress("Schrijven (COG)", 0, width * height)
    copy(source, target, driver="COG", **options)
    if progress is not None:
        progress("Schrijven (COG)", width * height, width * height)


def write_warped(
    src: rasterio.DatasetReader, target: Path, factor: float, categorical: bool
) -> None:
    """Reproject (and turn north-up) to a tiled float32 GeoTIFF in RD New with overviews."""
    resampling = Resampling.nearest if categorical else Resampling.bilinear
    reader = WarpedVRT(src, crs=RD_NEW, resampling=resampling, src_nodata=src.nodata, nodata=NODATA)
    try:
        profile = {
            "driver": "GTiff",
            "dtype": "float32",
            "count": 1,
            "width": reader.width,
            "height": reader.height,
            "crs": RD_NEW,
            "transform": reader.transform,
            "nodata": NODATA,
            "tiled": True,
            "blockxsize": BLOCK,
            "blockysize": BLOCK,
            "compress": "deflate",
            "predictor": 3,
            "BIGTIFF": "IF_SAFER",
        }
        with rasterio.open(target, "w", **profile) as dst:
            for _, window in dst.block_windows(1):
                data = reader.read(1, window=window, masked=True).astype("float32")
                invalid = np.ma.getmaskarray(data) | ~np.isfinite(data.filled(0))
                out = np.where(invalid, NODATA, data.filled(0) * factor).astype("float32")
                dst.write(out, 1, window=window)
            factors = [
                f for f in (2, 4, 8, 16, 32, 64, 128) if max(dst.width, dst.height) / f >= 64
            ]
            if factors:
                overview = Resampling.nearest if categorical else Resampling.average
                dst.build_overviews(factors, overview)
                dst.update_tags(ns="rio_overview", resampling=overview.name)
    finally:
        reader.close()
