"""Mosaics as layers (SYNTHETIC): a folder of tiles or a VRT is one raster; tiled COGs in RD New
are registered in place; bad mosaics are refused in Dutch and leave the catalogue unchanged."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.shutil import copy as gdal_copy
from rasterio.transform import from_origin

from adaptatie.errors import AdaptatieError
from adaptatie.io.catalogue import Catalogue
from adaptatie.io.ingest import NODATA, add_layer
from adaptatie.io.mosaic import open_mosaic
from tests.rasters import AREA, ORIGIN, request

TILE = 50  # pixels of 25 m: a tile is 1250 m square


def tile(
    folder: Path,
    name: str,
    row: int,
    col: int,
    value: float,
    *,
    pixel: float = 25.0,
    dtype: str = "float32",
    nodata: float = NODATA,
    crs: str = "EPSG:28992",
    shift: float = 0.0,
    cog: bool = False,
) -> Path:
    """A tile of TILE x TILE pixels at grid place (row, col), all ``value``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    left = ORIGIN[0] + col * TILE * 25.0 + shift
    top = ORIGIN[1] - row * TILE * 25.0
    profile = {
        "driver": "GTiff", "dtype": dtype, "count": 1, "width": TILE, "height": TILE,
        "crs": crs, "transform": from_origin(left, top, pixel, pixel), "nodata": nodata,
        "tiled": True, "blockxsize": 32, "blockysize": 32, "compress": "deflate",
    }  # fmt: skip
    target = path.with_suffix(".plain.tif") if cog else path
    with rasterio.open(target, "w", **profile) as dst:
        dst.write(np.full((TILE, TILE), value, dtype=dtype), 1)
    if cog:
        gdal_copy(target, path, driver="COG", BLOCKSIZE="32", COMPRESS="DEFLATE")
        target.unlink()
    return path


def three_of_four(folder: Path, **options: object) -> Path:
    """A 2 x 2 grid of tiles with values 0.1, 0.2, 0.3 and the last sheet missing."""
    tile(folder, "a.tif", 0, 0, 0.1, **options)
    tile(folder, "b.tif", 0, 1, 0.2, **options)
    tile(folder, "c.tif", 1, 0, 0.3, **options)
    return folder


def test_folder_of_tiles_is_one_layer_and_the_hole_is_nodata(tmp_path: Path) -> None:
    catalogue = Catalogue(tmp_path / "home")
    record = add_layer(catalogue, three_of_four(tmp_path / "bladen"), request(), AREA)
    with rasterio.open(catalogue.file(record, record.analysis_file)) as src:
        assert (src.width, src.height) == (100, 100)
        assert src.transform.c == ORIGIN[0] and src.transform.f == ORIGIN[1]
        data = src.read(1, masked=True)
    assert data.count() == 3 * TILE * TILE
    assert float(data[:TILE, :TILE].mean()) == pytest.approx(0.1)
    assert float(data[:TILE, TILE:].mean()) == pytest.approx(0.2)
    assert float(data[TILE:, :TILE].mean()) == pytest.approx(0.3)
    assert data[TILE:, TILE:].mask.all()  # the missing sheet
    # a quarter of 100 x 100 pixels of 625 m2: 2500 * 625 / 10000 = 156 ha
    assert "25,0 % van het rastervlak (156 ha) heeft geen tegel" in " ".join(record.notes)


def test_cog_tiles_in_rd_new_are_registered_in_place(tmp_path: Path) -> None:
    folder = three_of_four(tmp_path / "cogs", cog=True)
    catalogue = Catalogue(tmp_path / "home")
    record = add_layer(catalogue, folder, request(), AREA)
    assert record.analysis_file == "analysis.vrt"
    analysis = catalogue.file(record, record.analysis_file)
    assert not any(p.suffix == ".tif" for p in catalogue.folder(record.id).iterdir())
    with rasterio.open(analysis) as src:
        files = sorted(Path(f).name for f in src.files)
        assert float(src.read(1, masked=True)[TILE:, :TILE].mean()) == pytest.approx(0.3)
    assert files == ["a.tif", "analysis.vrt", "b.tif", "c.tif"]
    assert any("oorspronkelijke plaats" in n for n in record.notes)
    # The checksum covers the tiles: the same tiles with one value changed give another one.
    other = three_of_four(tmp_path / "cogs2", cog=True)
    tile(other, "c.tif", 1, 0, 0.35, cog=True)
    again = add_layer(catalogue, other, request("tweede"), AREA)
    assert again.checksum != record.checksum


def test_cog_in_other_unit_is_copied_and_converted(tmp_path: Path) -> None:
    folder = three_of_four(tmp_path / "cm", cog=True)
    for path in folder.iterdir():
        with rasterio.open(path) as src:
            values = src.read(1)
        tile(folder, path.name, 0, 0, 0.0, cog=False)  # rewrite as cm below
        with rasterio.open(path, "r+") as dst:
            dst.write(np.where(values == NODATA, NODATA, values * 100).astype("float32"), 1)
    catalogue = Catalogue(tmp_path / "home")
    record = add_layer(catalogue, tmp_path / "cm" / "a.tif", request(unit="cm"), AREA)
    assert record.analysis_file == "analysis.tif"
    with rasterio.open(catalogue.file(record, record.analysis_file)) as src:
        assert src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        assert float(src.read(1, masked=True).max()) == pytest.approx(0.1)


def test_vrt_over_tiles_is_read_as_its_tiles(tmp_path: Path) -> None:
    folder = three_of_four(tmp_path / "bladen")
    vrt = tmp_path / "mozaiek.vrt"
    vrt.write_text(open_mosaic(folder).vrt_xml(), encoding="utf-8")
    mosaic = open_mosaic(vrt)
    assert mosaic.kind == "vrt"
    assert [t.path.name for t in mosaic.tiles] == ["a.tif", "b.tif", "c.tif"]
    assert mosaic.hole_pixels == TILE * TILE


def _differing(folder: Path, **options: object) -> Path:
    tile(folder, "a.tif", 0, 0, 0.1)
    tile(folder, "b.tif", 0, 1, 0.2, **options)
    return folder


def _overlapping(folder: Path) -> Path:
    tile(folder, "a.tif", 0, 0, 0.1)
    tile(folder, "b.tif", 0, 0, 0.2, shift=25.0 * 10)  # 10 pixels to the east: overlaps a
    return folder


def _vrt_with_missing_tile(folder: Path) -> Path:
    three_of_four(folder)
    vrt = folder.parent / "mozaiek.vrt"
    vrt.write_text(open_mosaic(folder).vrt_xml(), encoding="utf-8")
    (folder / "b.tif").unlink()
    return vrt


BAD = [
    ("other-crs", lambda f: _differing(f, crs="EPSG:32631"), "coördinatenstelsel"),
    ("other-resolution", lambda f: _differing(f, pixel=5.0), "resolutie"),
    ("other-dtype", lambda f: _differing(f, dtype="float64"), "gegevenstype"),
    ("other-nodata", lambda f: _differing(f, nodata=-1.0), "nodata-waarde"),
    ("off-grid", lambda f: _differing(f, shift=7.0), "niet op hetzelfde pixelraster"),
    ("overlap", _overlapping, "overlappen"),
    ("vrt-missing-tile", _vrt_with_missing_tile, "1 van de 3 tegels van de VRT ontbreken"),
    ("empty-folder", lambda f: (f.mkdir(), f)[1], "geen GeoTIFF-tegels"),
]


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_mosaic_is_refused_in_dutch_and_nothing_changes(case: tuple, tmp_path: Path) -> None:
    _name, make, expect = case
    catalogue = Catalogue(tmp_path / "home")
    add_layer(catalogue, tile(tmp_path / "goed", "g.tif", 0, 0, 0.2), request("bestaand"), AREA)
    before = (catalogue.layers(), sorted(p.name for p in (tmp_path / "home").rglob("*")))
    with pytest.raises(AdaptatieError) as caught:
        add_layer(catalogue, make(tmp_path / "bladen"), request(), AREA)
    message = str(caught.value)
    assert expect in message and "Oplossing" in message, message
    assert (catalogue.layers(), sorted(p.name for p in (tmp_path / "home").rglob("*"))) == before


def test_pixel_limit_applies_per_sheet_not_to_the_mosaic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Limit 0.003 Mpx cannot be set (whole numbers); scale instead: each sheet 2500 px, the
    # limit 1 Mpx; the mosaic of 3 sheets passes, a single sheet of 1001 x 1000 px does not.
    monkeypatch.setenv("ADAPTATIE_MAX_RASTER_MPX", "1")
    catalogue = Catalogue(tmp_path / "home")
    add_layer(catalogue, three_of_four(tmp_path / "bladen"), request(), AREA)
    big = tmp_path / "groot" / "blad.tif"
    big.parent.mkdir()
    profile = {
        "driver": "GTiff", "dtype": "float32", "count": 1, "width": 1001, "height": 1000,
        "crs": "EPSG:28992", "transform": from_origin(*ORIGIN, 1, 1), "nodata": NODATA,
        "tiled": True, "blockxsize": 256, "blockysize": 256, "compress": "deflate",
        "sparse_ok": True,
    }  # fmt: skip
    with rasterio.open(big, "w", **profile):
        pass
    with pytest.raises(AdaptatieError, match="ADAPTATIE_MAX_RASTER_MPX"):
        add_layer(catalogue, big.parent, request("groot"), AREA)
