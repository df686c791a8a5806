"""Display images of stress-test rasters: class colours, transparency, detail on demand."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pytest
import rasterio
from PIL import Image
from rasterio.enums import Resampling

from adaptatie.config import themes_file
from adaptatie.io.ingest import NODATA
from adaptatie.io.render import colourise, cut_out, overview_level, render
from adaptatie.io.themes_file import read_themes
from tests.rasters import ORIGIN, write_tif

THEME = read_themes(themes_file())["wateroverlast"]


def test_classes_map_to_their_colours_and_nodata_is_transparent(tmp_path: Path) -> None:
    values = np.full((100, 200), 0.25, dtype="float32")  # class "20-30 cm" (index 4)
    values[:, :100] = NODATA
    path = write_tif(tmp_path / "in.tif", values)
    rendered = render(path, THEME.classes, categorical=False, pixels=100)
    with Image.open(io.BytesIO(rendered.png)) as image:
        assert image.mode == "P"
        index = np.asarray(image)
        transparency = image.info["transparency"]
    height, width = index.shape
    assert width == 100  # the long side
    assert index[height // 2, 3 * width // 4] == 4
    assert index[height // 2, width // 4] == len(THEME.classes.labels)  # nodata
    assert transparency[4] == 255 and transparency[len(THEME.classes.labels)] == 0


def test_a_window_is_rendered_at_most_at_the_raster_resolution(tmp_path: Path) -> None:
    path = write_tif(tmp_path / "in.tif", np.full((100, 200), 0.25, dtype="float32"))
    x0, y0 = ORIGIN
    whole = render(path, THEME.classes, categorical=False, pixels=50)
    detail = render(path, THEME.classes, categorical=False, window=(x0, y0 - 1000, x0 + 1000, y0))
    with Image.open(io.BytesIO(whole.png)) as a, Image.open(io.BytesIO(detail.png)) as b:
        assert a.width == 50
        # 1 km of 25 m pixels: 40 pixels in RD, a little more in Web Mercator (scale ~1.66 at
        # 53 degrees north), never more than the raster holds.
        assert 60 <= b.width <= 70
    south, west, north, east = detail.bounds
    assert whole.bounds[0] <= south < north <= whole.bounds[2]
    assert whole.bounds[1] <= west < east <= whole.bounds[3]
    with pytest.raises(ValueError, match="does not overlap"):
        render(path, THEME.classes, categorical=False, window=(0, 0, 10, 10))


def test_overview_level_is_the_coarsest_not_coarser_than_the_image() -> None:
    # 2 m pixels with overviews 2x, 4x, 8x (4, 8, 16 m); the image pixel is 10 m on the ground.
    assert overview_level([2, 4, 8], native=2.0, ground=10.0) == 1  # the 8 m overview
    assert overview_level([2, 4, 8], native=2.0, ground=16.0) == 2  # exactly 16 m fits
    assert overview_level([2, 4, 8], native=2.0, ground=3.0) is None  # full resolution
    assert overview_level([], native=2.0, ground=100.0) is None  # no overviews


def test_the_whole_layer_is_read_from_an_overview_and_a_detail_at_full_resolution(
    tmp_path: Path,
) -> None:
    # Overviews built from 0.25 m water ("20-30 cm", class 4), then the full resolution is
    # overwritten with 0.02 m ("< 5 cm", class 0): an image drawn from an overview shows
    # class 4, one drawn from the full resolution class 0.
    path = write_tif(tmp_path / "in.tif", np.full((512, 512), 0.25, dtype="float32"))
    with rasterio.open(path, "r+") as dst:
        dst.build_overviews([2, 4, 8], Resampling.average)
    with rasterio.open(path, "r+") as dst:
        dst.write(np.full((1, 512, 512), 0.02, dtype="float32"))
    whole = render(path, THEME.classes, categorical=False, pixels=64)  # 200 m image pixels
    x0, y0 = ORIGIN
    detail = render(path, THEME.classes, categorical=False, window=(x0, y0 - 500, x0 + 500, y0))
    for rendered, expected in ((whole, 4), (detail, 0)):
        with Image.open(io.BytesIO(rendered.png)) as image:
            index = np.asarray(image)
        centre = index[index.shape[0] // 2, index.shape[1] // 2]
        assert centre == expected


def _lat(mercator_y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(mercator_y)) - math.pi / 2)


def test_cut_out_makes_the_overview_transparent_under_the_detail_only() -> None:
    # A 10 x 10 overview of class 4 over lon 6-7 and lat 52,8-53,2; Web Mercator rows are
    # linear in y = ln(tan(pi/4 + lat/2)), so row r lies at y(top) - r/10 * (y(top) - y(bottom)).
    image = colourise(np.full((10, 10), 0.25), THEME.classes)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", transparency=image.info["transparency"])
    top = math.log(math.tan(math.pi / 4 + math.radians(53.2) / 2))
    bottom = math.log(math.tan(math.pi / 4 + math.radians(52.8) / 2))

    def lat_of_row(row: float) -> float:
        return _lat(top - row / 10 * (top - bottom))

    # Hole: rows 2,9-6,1 and columns 2,1-5,0 (lon 6,21-6,50): rounded inwards to rows 3-5 and
    # columns 3-4.
    hole = (lat_of_row(6.1), 6.21, lat_of_row(2.9), 6.5)
    cut = cut_out(buffer.getvalue(), (52.8, 6.0, 53.2, 7.0), hole)
    with Image.open(io.BytesIO(cut)) as result:
        index = np.asarray(result)
        alpha = result.info["transparency"]
    nodata = len(THEME.classes.labels)
    expected = np.full((10, 10), 4)
    expected[3:6, 3:5] = nodata
    assert (index == expected).all()
    assert alpha[nodata] == 0 and alpha[4] == 255
    # A hole outside the image changes nothing.
    same = cut_out(buffer.getvalue(), (52.8, 6.0, 53.2, 7.0), (50.0, 3.0, 50.5, 3.5))
    with Image.open(io.BytesIO(same)) as result:
        assert (np.asarray(result) == 4).all()
