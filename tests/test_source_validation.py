"""Every bad source file gets a Dutch message naming the file, the problem and the fix."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon

from adaptatie.config import DATA_DIR_ENV, data_dir
from adaptatie.errors import BoundaryYearError, DataFileError, DataSourceError
from adaptatie.io.boundaries import GEMEENTEN, read_boundaries
from adaptatie.io.store import SourceFolder
from adaptatie.regions.atlas import Atlas
from tests.synthetic import GEMEENTEN as ROWS
from tests.synthetic import frame, write_regions_file


def _gemeenten_2017() -> gpd.GeoDataFrame:
    return frame(ROWS[2017])


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="bestaat niet") as info:
        SourceFolder(tmp_path / "nergens")
    assert str(tmp_path / "nergens") in str(info.value)
    assert DATA_DIR_ENV in str(info.value)


def test_folder_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    assert data_dir() == tmp_path
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "weg"))
    with pytest.raises(DataSourceError, match=f"omgevingsvariabele {DATA_DIR_ENV}"):
        data_dir()


def test_folder_without_municipal_boundaries(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="geen gemeentegrenzen") as info:
        SourceFolder(tmp_path)
    assert "Oplossing:" in str(info.value)


def test_missing_water_board_file(synthetic_dir: Path) -> None:
    (synthetic_dir / "waterschappen.geojson").unlink()
    with pytest.raises(
        DataFileError, match=r"waterschappen\.geojson: het bestand met waterschapsgrenzen ontbreekt"
    ):
        SourceFolder(synthetic_dir).waterschappen()


def test_unknown_year(synthetic_dir: Path) -> None:
    with pytest.raises(BoundaryYearError, match="Beschikbare grensjaren: 2017, 2018, 2019"):
        SourceFolder(synthetic_dir).gemeenten(2030)


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "cbs_gemeenten_2017.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(
        DataFileError, match=r"cbs_gemeenten_2017\.geojson: het bestand is geen leesbaar"
    ):
        read_boundaries(path, GEMEENTEN)


def test_file_without_crs_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "cbs_gemeenten_2017.gpkg"
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        _gemeenten_2017().set_crs(None, allow_override=True).to_file(path, driver="GPKG")
    with pytest.raises(DataFileError, match="geen coördinatenstelsel") as info:
        read_boundaries(path, GEMEENTEN)
    assert "EPSG:28992" in info.value.fix


def test_geojson_with_rd_coordinates_but_no_crs_member(tmp_path: Path) -> None:
    # GeoJSON without a "crs" member means WGS84; RD metres then cannot be degrees.
    data = json.loads(_gemeenten_2017().to_json())
    del data["crs"]
    path = tmp_path / "cbs_gemeenten_2017.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"coördinaten .* zijn meters"):
        read_boundaries(path, GEMEENTEN)


def test_other_crs_is_reprojected_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "cbs_gemeenten_2017.geojson"
    _gemeenten_2017().to_crs("EPSG:4326").to_file(path, driver="GeoJSON")
    layer = read_boundaries(path, GEMEENTEN)
    assert layer.frame.crs.to_epsg() == 28992
    # 10 km x 10 km squares survive the round trip through degrees.
    assert layer.frame.geometry.area.tolist() == pytest.approx([1e8] * 3, rel=1e-4)
    assert any("omgerekend van EPSG:4326" in note for note in layer.notes)


def test_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "cbs_gemeenten_2017.geojson"
    _gemeenten_2017().rename(columns={"statcode": "code"}).to_file(path, driver="GeoJSON")
    with pytest.raises(
        DataFileError, match="verplichte kolom\\(men\\) ontbreken: statcode"
    ) as info:
        read_boundaries(path, GEMEENTEN)
    assert "GM0014" in info.value.fix


def test_duplicate_codes(tmp_path: Path) -> None:
    path = tmp_path / "cbs_gemeenten_2017.geojson"
    broken = _gemeenten_2017()
    broken.loc[2, "statcode"] = "GM9001"
    broken.to_file(path, driver="GeoJSON")
    with pytest.raises(DataFileError, match="code\\(s\\) komen meer dan eens voor: GM9001"):
        read_boundaries(path, GEMEENTEN)


def test_empty_and_malformed_codes(tmp_path: Path) -> None:
    path = tmp_path / "cbs_gemeenten_2017.geojson"
    broken = _gemeenten_2017()
    broken.loc[1, "statcode"] = " "
    broken.to_file(path, driver="GeoJSON")
    with pytest.raises(DataFileError, match="lege code in kolom 'statcode' bij object\\(en\\) 2"):
        read_boundaries(path, GEMEENTEN)
    broken.loc[1, "statcode"] = "Beedorp"
    broken.to_file(path, driver="GeoJSON")
    with pytest.raises(DataFileError, match="ongeldige code\\(s\\) in kolom 'statcode': Beedorp"):
        read_boundaries(path, GEMEENTEN)


def test_invalid_geometry_is_repaired_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "cbs_gemeenten_2017.geojson"
    broken = _gemeenten_2017()
    # A bow-tie: two triangles of 0.5 x 10 km x 5 km = 25 km² each.
    x0, y0 = 230_000, 570_000
    broken.loc[1, "geometry"] = Polygon(
        [(x0, y0), (x0 + 10_000, y0 + 10_000), (x0 + 10_000, y0), (x0, y0 + 10_000), (x0, y0)]
    )
    broken.to_file(path, driver="GeoJSON")
    layer = read_boundaries(path, GEMEENTEN)
    assert layer.frame.geometry.is_valid.all()
    assert layer.frame.geometry.iloc[1].area == pytest.approx(50e6)
    assert any("ongeldige geometrie hersteld voor GM9002" in note for note in layer.notes)


def test_points_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "cbs_gemeenten_2017.geojson"
    broken = _gemeenten_2017()
    broken.loc[0, "geometry"] = Point(230_000, 570_000)
    broken.to_file(path, driver="GeoJSON")
    with pytest.raises(DataFileError, match="geen vlak \\(polygoon\\): GM9001"):
        read_boundaries(path, GEMEENTEN)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "cbs_gemeenten_2017.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(DataFileError, match="bevat geen gemeentegrenzen"):
        read_boundaries(path, GEMEENTEN)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("statcode,jaar\nGM9004,2018\n", "verplichte kolom\\(men\\) ontbreken: aantal_inwoners"),
        (
            "statcode,jaar,aantal_inwoners\nGM9004,2018,1000\nGM9003,2018,veel\n",
            "regel 3, kolom 'aantal_inwoners': 'veel' is geen geheel getal",
        ),
        (
            "statcode,jaar,aantal_inwoners\nGM9004,2018,-5\n",
            "regel 2, kolom 'aantal_inwoners': '-5'",
        ),
        (
            "statcode,jaar,aantal_inwoners\nGM9004,2018,1\nGM9004,2018,2\n",
            "gemeente GM9004 staat meer dan eens in de bevolkingscijfers voor 2018",
        ),
    ],
)
def test_bad_population_table(synthetic_dir: Path, content: str, message: str) -> None:
    (synthetic_dir / "cbs_kerncijfers_gemeenten_2018.csv").write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        SourceFolder(synthetic_dir).population()


def test_population_table_in_windows_1252_is_rejected_clearly(synthetic_dir: Path) -> None:
    (synthetic_dir / "cbs_kerncijfers_gemeenten_2018.csv").write_bytes(
        "statcode,statnaam,jaar,aantal_inwoners\nGM9004,Nieuwdörp,2018,1000\n".encode("cp1252")
    )
    with pytest.raises(DataFileError, match="niet in UTF-8"):
        SourceFolder(synthetic_dir).population()


def test_a_bad_file_does_not_touch_the_others(synthetic_dir: Path, tmp_path: Path) -> None:
    before = (synthetic_dir / "cbs_gemeenten_2017.geojson").read_bytes()
    (synthetic_dir / "waterschappen.geojson").write_text("kapot", encoding="utf-8")
    atlas = Atlas.open(synthetic_dir, write_regions_file(tmp_path / "regions.toml"))
    with pytest.raises(DataFileError):
        atlas.waterschappen()
    assert (synthetic_dir / "cbs_gemeenten_2017.geojson").read_bytes() == before
    assert len(atlas.gemeenten(2017)) == 3
