"""The stored COG's overviews, made during validation (``io.overviews``), checked by hand."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.shutil import copy
from rasterio.transform import from_origin

from adaptatie.io.catalogue import Catalogue
from adaptatie.io.ingest import NODATA, add_layer
from adaptatie.io.overviews import OverviewWriter, half, overview_count
from adaptatie.io.scan import strips
from tests.rasters import AREA, ORIGIN, request, write_tif


def test_half_averages_the_valid_pixels_of_each_two_by_two() -> None:
    # 4 x 5 (the odd last column is left out): blocks
    #   [1 2 / 3 4] -> 2.5; [-9999 6 / nan 8] -> 7; [all nodata] -> NaN; [10 10 / 10 11] -> 10.25
    values = np.array(
        [
            [1, 2, -9999, 6, 99],
            [3, 4, np.nan, 8, 99],
            [-9999, -9999, 10, 10, 99],
            [-9999, -9999, 10, 11, 99],
        ],
        dtype=np.float32,
    )
    got = half(values, -9999.0)
    assert got.dtype == np.float32 and got.shape == (2, 2)
    np.testing.assert_array_equal(got, [[2.5, 7.0], [np.nan, 10.25]])
    # In another unit (cm to m: times 0.01), from integers with their own nodata.
    cm = np.array([[100, 200], [300, -1]], dtype=np.int16)
    np.testing.assert_allclose(half(cm, -1, 0.01), [[2.0]], rtol=1e-6)


def test_overview_count_halves_down_to_about_64_pixels() -> None:
    # 1000 px: 500, 250, 125 and 62.5 >= 64? no -> 3 levels; 128 px: 1; 127 px: none.
    assert overview_count(1000, 10) == 3
    assert overview_count(128, 128) == 1
    assert overview_count(127, 50) == 0
    assert overview_count(40_960, 40_960) == 9  # capped at 512


def test_levels_from_strips_in_any_order_and_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 301 x 517 pixels (odd both ways) in strips of 64 rows, handed over by two threads in a
    # shuffled order: level 1 is 150 x 258, the mean of the valid 2 x 2; level 2 (75 x 129)
    # the mean of level 1's; level 3 (37 x 64) the last with 64 pixels or more; factor 0.01.
    monkeypatch.setattr("adaptatie.io.scan.STRIP_PIXELS", 64 * 517)
    # The further levels are made in windows of 4 columns at most (many windows).
    monkeypatch.setattr("adaptatie.io.overviews.LEVEL_PIXELS", 2048)
    rng = np.random.default_rng(5)
    values = rng.integers(0, 500, (301, 517)).astype(np.float32)
    values[rng.random(values.shape) < 0.3] = -1.0  # nodata
    values[:40, :40] = -1.0  # a wholly nodata corner
    transform = from_origin(*ORIGIN, 25, 25)
    writer = OverviewWriter(tmp_path, 517, 301, transform, "EPSG:28992", -1.0, 0.01, NODATA)
    windows = strips(301, 517, 64)
    assert OverviewWriter.aligned(windows)
    order = [windows[i] for i in rng.permutation(len(windows))]

    def hand_over(part: list[tuple[int, int, int, int]]) -> None:
        for w in part:
            writer.add(w, values[w[0] : w[1], w[2] : w[3]])

    assert len(windows) == 5
    threads = [threading.Thread(target=hand_over, args=(order[k::2],)) for k in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    paths = writer.finish()
    assert len(paths) == overview_count(517, 301) == 3

    def by_hand(a: np.ndarray, nodata: float, factor: float) -> np.ndarray:
        h, w = a.shape[0] // 2, a.shape[1] // 2
        blocks = a[: 2 * h, : 2 * w].reshape(h, 2, w, 2).astype(np.float64)
        valid = blocks != nodata
        count = valid.sum(axis=(1, 3))
        total = np.where(valid, blocks, 0).sum(axis=(1, 3))
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, factor * total / count, NODATA)

    level1 = by_hand(values, -1.0, 0.01)
    level2 = by_hand(level1, NODATA, 1.0)
    with rasterio.open(paths[2]) as three:
        assert (three.width, three.height) == (64, 37)
    with rasterio.open(paths[0]) as one, rasterio.open(paths[1]) as two:
        assert (one.width, one.height, two.width, two.height) == (258, 150, 129, 75)
        assert one.nodata == NODATA and one.transform.a == 50 and two.transform.a == 100
        np.testing.assert_allclose(one.read(1), level1, rtol=1e-6)
        np.testing.assert_allclose(two.read(1), level2, rtol=1e-6)
        assert (one.read(1)[:20, :20] == NODATA).all()


def test_the_stored_cog_has_these_overviews(tmp_path: Path) -> None:
    # A 600 x 1100 raster in cm with nodata: the stored COG (in m) carries the overviews made
    # during the validation pass, and its first level is the one GDAL's COG driver makes
    # itself with AVERAGE (both the mean of the valid 2 x 2; the further levels differ where
    # pixels are invalid in part, as GDAL averages every level from the full raster).
    rng = np.random.default_rng(7)
    values = rng.uniform(0, 80, (600, 1100)).astype(np.float32)
    values[100:300, 200:700] = NODATA
    values[rng.random(values.shape) < 0.05] = NODATA
    path = write_tif(tmp_path / "cm.tif", values, blockxsize=128, blockysize=128)
    catalogue = Catalogue(tmp_path / "home")
    record = add_layer(catalogue, path, request(unit="cm"), AREA)
    stored = catalogue.file(record, record.analysis_file)
    assert not list(stored.parent.glob("overview_*.tif"))  # the levels are not kept
    metres = np.where(values == NODATA, NODATA, values * np.float32(0.01)).astype(np.float32)
    copy(
        write_tif(tmp_path / "m.tif", metres), tmp_path / "gdal.tif", driver="COG",
        COMPRESS="DEFLATE", OVERVIEW_RESAMPLING="AVERAGE", OVERVIEW_COUNT="4",
    )  # fmt: skip
    with rasterio.open(stored) as ours, rasterio.open(tmp_path / "gdal.tif") as gdal:
        assert ours.tags(ns="IMAGE_STRUCTURE")["LAYOUT"] == "COG"
        assert ours.overviews(1) == gdal.overviews(1) == [2, 4, 8, 16]
        np.testing.assert_allclose(ours.read(1), metres, rtol=1e-6)
    levels = []
    for level in range(4):
        with rasterio.open(stored, overview_level=level) as ours:
            levels.append(ours.read(1))
    with rasterio.open(tmp_path / "gdal.tif", overview_level=0) as gdal:
        first = gdal.read(1)
    a = levels[0]
    assert a.shape == first.shape == (300, 550)
    np.testing.assert_array_equal(a == NODATA, first == NODATA)
    np.testing.assert_allclose(a[a != NODATA], first[first != NODATA], rtol=1e-6)
    assert (a[50:150, 100:350] == NODATA).all()  # the nodata block, halved
    for finer, coarse in zip([metres, *levels], levels, strict=False):
        expected = np.nan_to_num(half(finer, NODATA), nan=NODATA)  # the mean of the level before
        np.testing.assert_allclose(coarse, expected, rtol=1e-6)
