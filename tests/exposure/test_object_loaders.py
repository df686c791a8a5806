"""Object files in the real schemas (BAG GeoPackage, NWB shapefile zip, CBS 100 m grid) and every
bad-input case: missing columns, other or no CRS, wrong geometry type, duplicate ids; a failed
add never changes what is stored."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from adaptatie.errors import DataFileError, InputError
from adaptatie.exposure.layers import ColumnMap, read_objects
from adaptatie.exposure.store import ObjectStore

RD = "EPSG:28992"


def _bag(path: Path) -> Path:
    """bag-light.gpkg layout: layers pand and verblijfsobject with the PDOK column names."""
    panden = gpd.GeoDataFrame(
        {
            "identificatie": ["0114100000000001", "0114100000000002"],
            "bouwjaar": [1965, 2001],
            "status": ["Pand in gebruik", "Pand in gebruik"],
        },
        geometry=[shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10)],
        crs=RD,
    )
    panden.to_file(path, layer="pand", driver="GPKG")
    gpd.GeoDataFrame(
        {
            "identificatie": [
                "0114010000000001",
                "0114010000000002",
                "0114010000000003",
                "0114010000000004",
            ],
            "gebruiksdoel": [
                "woonfunctie",
                "woonfunctie,winkelfunctie",
                "onderwijsfunctie",
                "woonfunctie",
            ],
            "pand_identificatie": [
                "0114100000000001",
                "0114100000000001",
                "0114100000000002",
                "0114100000009999",
            ],
            "oppervlakte": [80, 95, 1200, 70],
        },
        geometry=[
            shapely.Point(5, 5),
            shapely.Point(6, 6),
            shapely.Point(25, 5),
            shapely.Point(99, 99),
        ],
        crs=RD,
    ).to_file(path, layer="verblijfsobject", driver="GPKG")
    return path


def test_bag_geopackage_counts_dwellings_and_vulnerable_uses(tmp_path: Path) -> None:
    loaded = read_objects(_bag(tmp_path / "bag-light.gpkg"), ColumnMap("gebouwen"))
    frame = loaded.frame.set_index("id")
    # pand 1: two dwellings (one mixed with a shop); pand 2: a school (vulnerable), no dwelling
    assert frame.loc["0114100000000001", ["dwellings", "vulnerable"]].tolist() == [2, 0]
    assert frame.loc["0114100000000002", ["dwellings", "vulnerable"]].tolist() == [0, 1]
    assert any("niet gevonden" in n for n in loaded.notes)  # the VBO of a pand outside the file


def test_nwb_shapefile_zip(tmp_path: Path) -> None:
    folder = tmp_path / "shp"
    folder.mkdir()
    gpd.GeoDataFrame(
        {
            "WVK_ID": [600123456, 600123457],
            "STT_NAAM": ["Hoofdweg", "Dorpsstraat"],
            "WEGBEHSRT": ["G", "G"],
        },
        geometry=[shapely.LineString([(0, 0), (100, 0)]), shapely.LineString([(0, 0), (0, 50)])],
        crs=RD,
    ).to_file(folder / "Wegvakken.shp")
    archive = tmp_path / "nwb.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in folder.iterdir():
            z.write(part, part.name)
    loaded = read_objects(archive, ColumnMap("wegen"))
    assert loaded.frame["id"].tolist() == ["600123456", "600123457"]
    assert loaded.frame["name"].tolist() == ["Hoofdweg", "Dorpsstraat"]
    assert loaded.frame.geometry.length.tolist() == pytest.approx([100.0, 50.0])


def test_cbs_grid_suppressed_value_is_unknown(tmp_path: Path) -> None:
    path = tmp_path / "cbs_vk100_2023.gpkg"
    gpd.GeoDataFrame(
        {"crs28992res100m": ["E2335N5820", "E2336N5820"], "aantal_inwoners": [85, -99997]},
        geometry=[
            shapely.box(233500, 582000, 233600, 582100),
            shapely.box(233600, 582000, 233700, 582100),
        ],
        crs=RD,
    ).to_file(path, driver="GPKG")
    frame = read_objects(path, ColumnMap("bevolking")).frame
    assert frame["inhabitants"].iloc[0] == 85
    assert frame["inhabitants"].isna().tolist() == [False, True]


def test_user_maps_their_own_column_names(tmp_path: Path) -> None:
    path = tmp_path / "zorg.geojson"
    gpd.GeoDataFrame(
        {"code": ["Z1", "Z2"], "soort": ["zorginstelling", "gemaal"], "titel": ["De Es", "G2"]},
        geometry=[shapely.Point(1, 1), shapely.box(5, 5, 9, 9)],
        crs=RD,
    ).to_file(path, driver="GeoJSON")
    columns = ColumnMap("objecten", {"id": "code", "category": "soort", "name": "titel"})
    frame = read_objects(path, columns).frame
    assert frame[["id", "category", "name"]].values.tolist() == [
        ["Z1", "zorginstelling", "De Es"],
        ["Z2", "gemaal", "G2"],
    ]


def test_other_crs_is_reprojected_and_no_crs_refused(tmp_path: Path) -> None:
    # The Martinitoren in Groningen: WGS84 (6.5683, 53.2194) is about RD (233,800, 582,100).
    path = tmp_path / "wgs.geojson"
    gpd.GeoDataFrame(
        {"id": ["T"], "categorie": ["kerk"]},
        geometry=[shapely.Point(6.5683, 53.2194)],
        crs="EPSG:4326",
    ).to_file(path, driver="GeoJSON")
    loaded = read_objects(path, ColumnMap("objecten"))
    point = loaded.frame.geometry.iloc[0]
    assert point.x == pytest.approx(233_800, abs=200) and point.y == pytest.approx(582_100, abs=200)
    assert any("omgerekend" in n for n in loaded.notes)
    naked = tmp_path / "zonder.gpkg"
    with pytest.warns(UserWarning, match="crs"):  # pyogrio warns when writing without a CRS
        gpd.GeoDataFrame({"identificatie": ["1"]}, geometry=[shapely.box(0, 0, 1, 1)]).to_file(
            naked
        )
    with pytest.raises(DataFileError, match=r"geen coördinatenstelsel.*Oplossing"):
        read_objects(naked, ColumnMap("gebouwen"))


@pytest.mark.parametrize(
    ("kind", "frame", "message"),
    [
        ("gebouwen", {"pand_id": ["1"]}, "kolom\\(men\\) ontbreken: identificatie"),
        ("objecten", {"id": ["1"]}, "ontbreken: categorie"),
        ("bevolking", {"crs28992res100m": ["E1N1"]}, "ontbreken: aantal_inwoners"),
        ("gebouwen", {"identificatie": ["7", "7"]}, "dubbele id's: 7"),
    ],
)
def test_bad_columns_and_duplicates(tmp_path: Path, kind: str, frame: dict, message: str) -> None:
    n = len(next(iter(frame.values())))
    path = tmp_path / "slecht.gpkg"
    gpd.GeoDataFrame(
        frame, geometry=[shapely.box(i, 0, i + 1, 1) for i in range(n)], crs=RD
    ).to_file(path)
    with pytest.raises(DataFileError, match=f"{message}.*Oplossing"):
        read_objects(path, ColumnMap(kind))


def test_points_where_polygons_are_needed(tmp_path: Path) -> None:
    path = tmp_path / "punten.gpkg"
    gpd.GeoDataFrame(
        {"identificatie": ["1", "2"]}, geometry=[shapely.Point(0, 0), shapely.Point(1, 1)], crs=RD
    ).to_file(path)
    with pytest.raises(DataFileError, match=r"verkeerde geometrietype.*vlakken.*Oplossing"):
        read_objects(path, ColumnMap("gebouwen"))
    with pytest.raises(DataFileError, match="lijnen"):
        read_objects(path, ColumnMap("wegen", {"id": "identificatie"}))


def test_metres_claiming_degrees_and_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "graden.geojson"
    gpd.GeoDataFrame(
        {"identificatie": ["1"]},
        geometry=[shapely.box(233000, 582000, 233010, 582010)],
        crs="EPSG:4326",
    ).to_file(path, driver="GeoJSON")
    with pytest.raises(DataFileError, match=r"graden.*meters"):
        read_objects(path, ColumnMap("gebouwen"))
    broken = tmp_path / "kapot.gpkg"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    with pytest.raises(DataFileError, match="geen leesbaar geobestand"):
        read_objects(broken, ColumnMap("gebouwen"))


def test_a_failed_add_leaves_the_stored_layer_as_it_was(tmp_path: Path) -> None:
    store = ObjectStore(tmp_path / "home")
    good = _bag(tmp_path / "bag-light.gpkg")
    first = store.add(
        good,
        layer_id="bag",
        columns=ColumnMap("gebouwen"),
        title="BAG",
        source="BAG, Kadaster via PDOK",
        date="2026-11-01",
    )
    bad = tmp_path / "dubbel.gpkg"
    gpd.GeoDataFrame(
        {"identificatie": ["7", "7"]}, geometry=[shapely.box(0, 0, 1, 1)] * 2, crs=RD
    ).to_file(bad)
    with pytest.raises(DataFileError, match="dubbele"):
        store.add(
            bad,
            layer_id="bag",
            columns=ColumnMap("gebouwen"),
            title="BAG",
            source="BAG",
            date="2026-11-02",
            replace=True,
        )
    with pytest.raises(InputError, match="al een objectlaag 'bag'"):
        store.add(
            good,
            layer_id="bag",
            columns=ColumnMap("gebouwen"),
            title="BAG",
            source="BAG",
            date="2026-11-02",
        )
    with pytest.raises(InputError, match="geen datum"):
        store.add(
            good,
            layer_id="nieuw",
            columns=ColumnMap("gebouwen"),
            title="BAG",
            source="BAG",
            date="1-11-2026",
        )
    (kept,) = store.records()
    assert kept == first
    assert len(store.frame(kept)) == 2
    assert not [p for p in store.root.iterdir() if p.name.startswith(".")]
    assert kept.citation == "BAG, Kadaster via PDOK, 01-11-2026"
