"""Adding stress-test rasters: every bad input is refused clearly and leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
import shapely
from PIL import Image
from rasterio.transform import from_origin

from adaptatie.errors import AdaptatieError
from adaptatie.io.catalogue import Catalogue, LayerNotFoundError
from adaptatie.io.ingest import NODATA, RasterInputError, add_layer
from tests.rasters import AREA, depth, request, write_text, write_tif


@pytest.fixture
def catalogue(tmp_path: Path) -> Catalogue:
    return Catalogue(tmp_path / "home")


def test_good_raster_is_stored_tiled_with_overviews_and_display(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    values = depth(0.2)
    values[50:, 100:] = 0.4
    record = add_layer(catalogue, write_tif(tmp_path / "in.tif", values), request(), AREA)
    assert [r.id for r in catalogue.layers()] == ["test-laag"]
    analysis = catalogue.file(record, record.analysis_file)
    with rasterio.open(analysis) as src:
        assert src.crs.to_epsg() == 28992
        assert src.nodata == NODATA
        assert src.profile["tiled"] and src.profile["compress"] == "deflate"
        assert src.overviews(1) == [2]
        data = src.read(1, masked=True)
    assert data.count() == 100 * 200 - 100
    assert float(data.mean()) == pytest.approx(
        (0.2 * (100 * 200 - 100 - 5000) + 0.4 * 5000) / (100 * 200 - 100)
    )
    with Image.open(catalogue.file(record, record.display_file)) as image:
        assert image.mode == "P"
    south, west, north, east = record.display_bounds
    assert 53.0 < south < north < 53.3 and 6.5 < west < east < 6.8  # near Groningen
    assert record.synthetic and record.title.endswith("(synthetisch)")


def test_centimetres_are_converted_to_metres(catalogue: Catalogue, tmp_path: Path) -> None:
    record = add_layer(
        catalogue, write_tif(tmp_path / "cm.tif", depth(20.0)), request(unit="cm"), AREA
    )
    with rasterio.open(catalogue.file(record, record.analysis_file)) as src:
        assert float(src.read(1, masked=True).max()) == pytest.approx(0.2)
    assert "Omgerekend van cm naar m." in record.notes


def test_other_crs_is_reprojected(catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "utm.tif"
    # Same place in UTM 31N (Groningen lies around x 740 km, y 5900 km there).
    profile = {
        "driver": "GTiff",
        "dtype": "float32",
        "count": 1,
        "width": 200,
        "height": 100,
        "transform": from_origin(740_000, 5_905_000, 25, 25),
        "crs": "EPSG:32631",
        "nodata": NODATA,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(depth(0.3), 1)
    record = add_layer(catalogue, path, request(), AREA)
    assert record.original_crs == "EPSG:32631"
    with rasterio.open(catalogue.file(record, record.analysis_file)) as src:
        assert src.crs.to_epsg() == 28992
        assert float(src.read(1, masked=True).max()) == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: write_text(p, "geen raster"),
            "geen leesbaar rasterbestand",
        ),
        (lambda p: write_tif(p, depth(), crs=None), "geen coördinatenstelsel"),
        (lambda p: write_tif(p, depth(), nodata=None), "geen nodata-waarde"),
        (lambda p: write_tif(p, np.full((100, 200), NODATA, dtype="float32")), "alleen nodata"),
        (lambda p: write_tif(p, np.stack([depth(), depth()])), "2 banden"),
        (lambda p: write_tif(p, depth(25.0)), "kies als eenheid van de waarden cm"),
        (lambda p: write_tif(p, depth(-3.0)), "van -3,00 tot -3,00 m"),
    ],
    ids=["not-a-raster", "no-crs", "no-nodata", "all-nodata", "two-bands", "cm-as-m", "negative"],
)
def test_bad_rasters_are_refused_and_leave_nothing(
    catalogue: Catalogue, tmp_path: Path, make: object, message: str
) -> None:
    add_layer(catalogue, write_tif(tmp_path / "goed.tif", depth()), request("bestaand"), AREA)
    before = catalogue.path.read_bytes()
    path = make(tmp_path / "slecht.tif")
    with pytest.raises(RasterInputError, match=message) as info:
        add_layer(catalogue, path, request("nieuw"), AREA)
    assert "Oplossing:" in str(info.value)
    assert catalogue.path.read_bytes() == before
    assert not catalogue.folder("nieuw").exists()
    assert list((catalogue.root / ".staging").iterdir()) == []


def test_truncated_file_is_refused(catalogue: Catalogue, tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    path = write_tif(tmp_path / "heel.tif", rng.uniform(0, 1, (100, 200)).astype("float32"))
    data = path.read_bytes()
    (tmp_path / "kapot.tif").write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(RasterInputError, match=r"beschadigd of onvolledig|geen leesbaar"):
        add_layer(catalogue, tmp_path / "kapot.tif", request(), AREA)
    assert catalogue.layers() == ()


def test_raster_outside_the_map_area(catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "elders.tif"
    write_tif(path, depth())
    with pytest.raises(RasterInputError, match="buiten het kaartgebied"):
        add_layer(catalogue, path, request(), shapely.box(100_000, 400_000, 110_000, 410_000))


def test_duplicate_id_bad_id_and_unit(catalogue: Catalogue, tmp_path: Path) -> None:
    path = write_tif(tmp_path / "in.tif", depth())
    add_layer(catalogue, path, request("a1"), AREA)
    with pytest.raises(AdaptatieError, match="Er is al een laag met id 'a1'"):
        add_layer(catalogue, path, request("a1"), AREA)
    with pytest.raises(AdaptatieError, match="laag-id 'Mijn Laag!' is ongeldig"):
        add_layer(catalogue, path, request("Mijn Laag!"), AREA)
    with pytest.raises(AdaptatieError, match="Eenheid 'mm' past niet bij thema wateroverlast"):
        add_layer(catalogue, path, request("a2", unit="mm"), AREA)
    assert [r.id for r in catalogue.layers()] == ["a1"]


def test_remove_and_unknown_layer(catalogue: Catalogue, tmp_path: Path) -> None:
    add_layer(catalogue, write_tif(tmp_path / "in.tif", depth()), request("weg"), AREA)
    catalogue.remove("weg")
    assert catalogue.layers() == ()
    assert not catalogue.folder("weg").exists()
    with pytest.raises(LayerNotFoundError, match="geen stresstestlaag met id 'weg'"):
        catalogue.get("weg")
