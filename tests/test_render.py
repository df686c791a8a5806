"""Display images of stress-test rasters: class colours, transparency, detail on demand."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from adaptatie.config import themes_file
from adaptatie.io.ingest import NODATA
from adaptatie.io.render import render
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
