"""Bad stress-test rasters and region files (SYNTHETIC): refused in Dutch with the fix, nothing
stored; rotated rasters are turned north-up at ingest; killed adds leave no staging behind."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine
from rasterio.transform import from_origin

from adaptatie.config import regions_file
from adaptatie.errors import AdaptatieError, RegionDefinitionError
from adaptatie.io.catalogue import Catalogue
from adaptatie.io.ingest import NODATA, add_layer
from adaptatie.io.regions_file import read_region_definitions
from tests.rasters import AREA, ORIGIN, depth, request, write_tif

ENGLISH = re.compile(r"Traceback|Read failed|exception|No such|[Ii]nvalid|Error\b")


def _huge_sparse(path: Path) -> Path:
    profile = {
        "driver": "GTiff", "dtype": "float32", "count": 1, "width": 100_000, "height": 100_000,
        "crs": "EPSG:28992", "transform": from_origin(*ORIGIN, 1, 1), "nodata": NODATA,
        "tiled": True, "blockxsize": 512, "blockysize": 512, "compress": "deflate",
        "sparse_ok": True, "BIGTIFF": "YES",
    }  # fmt: skip
    with rasterio.open(path, "w", **profile):
        pass
    return path


def _big_uncompressed(path: Path) -> Path:
    return write_tif(path, np.full((700, 700), 0.2, dtype="float32"), compress="none")


def _negative(path: Path) -> Path:
    return write_tif(path, depth(-0.5))


def _undeclared_nodata(path: Path) -> Path:
    values = depth(0.2)
    values[:10, :10] = -9999.0
    return write_tif(path, values, nodata=-1.0)


def _truncated(path: Path) -> Path:
    write_tif(path, np.random.default_rng(1).random((100, 200), dtype="float32"))
    path.write_bytes(path.read_bytes()[:-20_000])
    return path


RASTER_CASES: list[tuple[str, Callable[[Path], Path], str, dict[str, str]]] = [
    ("sparse-100000x100000", _huge_sparse, "ADAPTATIE_MAX_RASTER_MPX", {}),
    ("file-too-large", _big_uncompressed, "ADAPTATIE_MAX_RASTER_MB",
     {"ADAPTATIE_MAX_RASTER_MB": "1"}),
    ("negative-depths", _negative, "negatieve waarden", {}),
    ("nodata-not-declared", _undeclared_nodata, "lijkt een nodata-waarde", {}),
    ("truncated", _truncated, "beschadigd of onvolledig", {}),
    ("no-crs", lambda p: write_tif(p, depth(), crs=None), "coördinatenstelsel", {}),
    ("no-nodata", lambda p: write_tif(p, depth(), nodata=None), "nodata-waarde", {}),
    ("three-bands", lambda p: write_tif(p, np.stack([depth()] * 3)), "3 banden", {}),
    ("all-nodata", lambda p: write_tif(p, np.full((100, 200), NODATA, "float32")),
     "alleen nodata", {}),
    ("outside-map", lambda p: write_tif(p, depth(), crs="EPSG:4326"), "buiten het kaartgebied",
     {}),
    ("centimetres-as-metres", lambda p: write_tif(p, depth(40.0)), "centimeters", {}),
    ("text-file", lambda p: (p.write_text("geen raster"), p)[1], "geen leesbaar", {}),
]  # fmt: skip


@pytest.mark.parametrize("case", RASTER_CASES, ids=[c[0] for c in RASTER_CASES])
def test_bad_raster_is_refused_in_dutch(
    case: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _name, make, expect, env = case
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    catalogue = Catalogue(tmp_path / "home")
    add_layer(catalogue, write_tif(tmp_path / "goed.tif", depth()), request("bestaand"), AREA)
    before = (catalogue.layers(), sorted(p.name for p in (tmp_path / "home").rglob("*")))
    with pytest.raises(AdaptatieError) as caught:
        add_layer(catalogue, make(tmp_path / "in.tif"), request(), AREA)
    message = str(caught.value)
    assert expect in message and "Oplossing" in message
    assert not ENGLISH.search(message), message
    if expect == "negatieve waarden":
        assert "centimeters" not in message
    assert (catalogue.layers(), sorted(p.name for p in (tmp_path / "home").rglob("*"))) == before


def test_rotated_raster_is_stored_north_up(tmp_path: Path) -> None:
    path = write_tif(tmp_path / "rot.tif", depth(0.3))
    with rasterio.open(path, "r+") as dst:  # turn the grid 30 degrees about its origin
        dst.transform = Affine.translation(*ORIGIN) * Affine.rotation(30) * Affine.scale(25, -25)
    catalogue = Catalogue(tmp_path / "home")
    record = add_layer(catalogue, path, request(), AREA)
    with rasterio.open(catalogue.file(record, record.analysis_file)) as src:
        t = src.transform
        assert t.b == 0 and t.d == 0 and t.e < 0
        data = src.read(1, masked=True)
    assert float(data.max()) == pytest.approx(0.3)
    assert any("noord-boven" in n for n in record.notes)


def test_staging_of_a_killed_add_is_removed_by_the_next_add(tmp_path: Path) -> None:
    catalogue = Catalogue(tmp_path / "home")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    leftover = catalogue.root / ".staging" / "add-killed"
    leftover.mkdir(parents=True)
    (leftover / "owner.pid").write_text(dead.stdout.strip())
    (leftover / "analysis.tif").write_bytes(b"half")
    running = catalogue.root / ".staging" / "add-running"
    running.mkdir()
    (running / "owner.pid").write_text(str(os.getppid()))  # a live process: not touched
    add_layer(catalogue, write_tif(tmp_path / "in.tif", depth()), request(), AREA)
    assert sorted(p.name for p in (catalogue.root / ".staging").iterdir()) == ["add-running"]
    assert not any((catalogue.folder("test-laag")).glob("owner.pid"))


def _regions(text_change: Callable[[str], str], tmp_path: Path) -> Path:
    path = tmp_path / "regions.toml"
    path.write_text(text_change(regions_file().read_text(encoding="utf-8")), encoding="utf-8")
    return path


def _cycle(text: str) -> str:
    text = re.sub(r'(id = "DAL"\n(?:.*\n)*?)parent = "GND"', r'\1parent = "BMWE"', text, count=1)
    return re.sub(r'(id = "BMWE"\n(?:.*\n)*?)parent = "GND"', r'\1parent = "DAL"', text, count=1)


REGION_CASES = [
    ("parent-cycle", _cycle, "de parents vormen een kring: DAL -> BMWE -> DAL."),
    ("format-version-2", lambda t: t.replace("format_version = 1", "format_version = 2", 1),
     "format_version = 2 is onbekend"),
    ("format-version-text", lambda t: t.replace("format_version = 1", 'format_version = "1"', 1),
     "format_version = '1' is onbekend"),
    ("bad-toml", lambda t: t.replace('id = "GND"', 'id = "GND', 1), "fout in regel"),
]  # fmt: skip


@pytest.mark.parametrize("case", REGION_CASES, ids=[c[0] for c in REGION_CASES])
def test_bad_region_file_is_refused_in_dutch(case: tuple, tmp_path: Path) -> None:
    _name, change, expect = case
    with pytest.raises(RegionDefinitionError) as caught:
        read_region_definitions(_regions(change, tmp_path))
    assert expect in str(caught.value) and "Oplossing" in str(caught.value)
    assert not ENGLISH.search(str(caught.value))
