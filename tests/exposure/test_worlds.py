"""Hand-computable worlds: buildings in a bowl, a road over two classes, a hotspot and measures at
49 m and 51 m, hotspots of a small raster. Every expected value is worked out in the comments."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from adaptatie.exposure.coverage import coverage, per_region
from adaptatie.exposure.layers import ColumnMap
from adaptatie.exposure.sampling import facade_values, line_pieces
from adaptatie.exposure.store import ObjectStore
from adaptatie.exposure.summaries import ExposureStore
from adaptatie.finance.records import ClimateTheme, Measure, Status
from adaptatie.regions.atlas import Atlas
from adaptatie.stresstest.hotspots import find_hotspots, hotspots, ranked
from adaptatie.stresstest.results import ResultsStore
from tests.exposure.worlds import (
    BOWL,
    BOWL_NORTH,
    BOWL_WEST,
    PIXEL,
    bowl_buildings,
    pixel_centre,
    write_raster,
)


def _buildings_file(path: Path, dwellings: dict[str, int]) -> Path:
    rows = bowl_buildings()
    gpd.GeoDataFrame(
        {"identificatie": [r[0] for r in rows]}, geometry=[r[1] for r in rows], crs="EPSG:28992"
    ).to_file(path, layer="pand", driver="GPKG")
    vbo_ids = [pid for pid, n in dwellings.items() for _ in range(n)]
    gpd.GeoDataFrame(
        {
            "identificatie": [f"vbo{i}" for i in range(len(vbo_ids))] + ["zorg1"],
            "gebruiksdoel": ["woonfunctie"] * len(vbo_ids) + ["gezondheidszorgfunctie"],
            "pand_identificatie": [*vbo_ids, "r2c2"],
        },
        geometry=[shapely.Point(pixel_centre(2, 2))] * (len(vbo_ids) + 1),
        crs="EPSG:28992",
    ).to_file(path, layer="verblijfsobject", driver="GPKG")
    return path


def test_façade_depth_of_each_building_is_its_pixel(tmp_path: Path) -> None:
    raster = write_raster(tmp_path / "kom.tif", BOWL)
    footprints = np.array([g for _, g in bowl_buildings()], dtype=object)
    values = facade_values(raster, footprints).values
    expected = [0.12, 0.25, 0.12, 0.25, 0.60, 0.25, 0.12, 0.25, 0.12]  # the inner 3 x 3, by row
    np.testing.assert_allclose(values, expected, rtol=1e-6)


def test_façade_sees_the_deepest_neighbour_pixel(tmp_path: Path) -> None:
    # A 10 m building in pixel (1, 1) (0.12 m), 1 m from the corner it shares with the centre
    # pixel (0.60 m): its 2 m façade zone reaches 1 m into the pixels east (0.25) and south
    # (0.25) of it and, around the corner, into the centre pixel: the façade depth is 0.60.
    raster = write_raster(tmp_path / "kom.tif", BOWL)
    x1 = BOWL_WEST + 2 * PIXEL  # west edge of the centre pixel
    y1 = BOWL_NORTH - 2 * PIXEL  # north edge of the centre pixel
    inside_corner = shapely.box(x1 - 11, y1 + 1, x1 - 1, y1 + 11)  # in pixel (1, 1)
    values = facade_values(raster, np.array([inside_corner], dtype=object)).values
    assert values[0] == pytest.approx(0.60, rel=1e-6)


def test_bowl_per_region_buildings_dwellings_and_vulnerable(
    bowl_store: ResultsStore, tmp_path: Path
) -> None:
    # Column 1 (x 9975-10000 m) is in Aadorp, columns 2-3 in Beedorp (2017). Dwellings: 3 in the
    # centre building, 1 in every other; the centre also holds a care function (vulnerable).
    dwellings = {pid: (3 if pid == "r2c2" else 1) for pid, _ in bowl_buildings()}
    objects = ObjectStore(tmp_path / "home")
    record = objects.add(
        _buildings_file(tmp_path / "bag.gpkg", dwellings),
        layer_id="bag-kom",
        columns=ColumnMap("gebouwen"),
        title="Panden",
        source="SYNTHETISCH",
        date="2026-01-01",
        synthetic=True,
    )
    layer = bowl_store.catalogue.get("wo-kom")
    summary = ExposureStore(bowl_store, objects).summary(layer, record, "gemeente", 2017)
    table = summary.table.set_index("region_code")
    # Aadorp: r1c1 0.12, r2c1 0.25, r3c1 0.12. Beedorp: 0.25, 0.60, 0.25 / 0.12, 0.25, 0.12.
    assert table.loc["GM9001", "panden"] == 3
    assert table.loc["GM9001", "panden 10-15 cm"] == 2
    assert table.loc["GM9001", "panden 20-30 cm"] == 1
    assert table.loc["GM9002", "panden"] == 6
    assert table.loc["GM9002", "panden 10-15 cm"] == 2
    assert table.loc["GM9002", "panden 20-30 cm"] == 3
    assert table.loc["GM9002", "panden > 50 cm"] == 1
    assert table.loc["GM9002", "panden boven 0,15 m"] == 4  # 0.25 x 3 and 0.60
    assert table.loc["GM9002", "panden boven 0,3 m"] == 1
    assert table.loc["GM9002", "woningen boven 0,3 m"] == 3  # the centre's three dwellings
    assert table.loc["GM9002", "woningen boven 0,15 m"] == 3 + 3  # + r1c2, r2c3, r3c2
    assert table.loc["GM9002", "kwetsbaar boven 0,3 m"] == 1
    assert table.loc["GM9001", "kwetsbaar boven 0,15 m"] == 0
    # The cluster WEST (Beedorp + Ceedorp) equals Beedorp here: the same partials combined.
    west = ExposureStore(bowl_store, objects).summary(layer, record, "cluster", 2017).table
    assert west.set_index("region_code").loc["WEST", "panden boven 0,15 m"] == 4
    assert "SYNTHETISCH" in summary.provenance and "gevel" in summary.provenance


def test_road_over_two_classes_lengths_by_hand(tmp_path: Path) -> None:
    # A 2 x 2 raster: lower-left 0.20 m (impassable), upper-right 0.40 m (not for emergency
    # vehicles). A road from the lower-left corner to the upper-right corner crosses both
    # pixels diagonally: 25 * sqrt(2) = 35.355 m in each.
    values = np.array([[0.0, 0.40], [0.20, 0.0]], dtype="float32")
    raster = write_raster(tmp_path / "r.tif", values, west=0.0, north=50.0)
    road = shapely.LineString([(0, 0), (50, 50)])
    pieces = line_pieces(raster, np.array([road], dtype=object))
    by_value = {}
    for value, length in zip(pieces.samples.values, pieces.length, strict=True):
        by_value[round(float(value), 2)] = by_value.get(round(float(value), 2), 0) + length
    assert by_value == pytest.approx({0.2: 25 * math.sqrt(2), 0.4: 25 * math.sqrt(2)})
    # A horizontal road 10 m .. 45 m at mid-height of the bottom row: 15 m in pixel (1, 0)
    # (0.20) and 20 m in pixel (1, 1) (0.0).
    flat = shapely.LineString([(10, 12.5), (45, 12.5)])
    pieces = line_pieces(raster, np.array([flat], dtype=object))
    assert sorted(zip(pieces.samples.values.round(2), pieces.length, strict=True)) == [
        (0.0, pytest.approx(20.0)),
        (0.2, pytest.approx(15.0)),
    ]


def test_road_length_per_passability_class_per_region(
    bowl_store: ResultsStore, tmp_path: Path
) -> None:
    # An east-west road through the middle row (0, 0.25, 0.60, 0.25, 0) from the west edge of
    # the bowl to its east edge (125 m): 25 m passable (0), 50 m impassable (0.25, 0.25),
    # 25 m for nobody (0.60) and 25 m passable. Aadorp holds columns 0-1 (0 and 0.25).
    y = BOWL_NORTH - 2.5 * PIXEL
    gpd.GeoDataFrame(
        {"WVK_ID": [1], "STT_NAAM": ["Kommeweg"]},
        geometry=[shapely.LineString([(BOWL_WEST, y), (BOWL_WEST + 5 * PIXEL, y)])],
        crs="EPSG:28992",
    ).to_file(tmp_path / "nwb.gpkg", driver="GPKG")
    objects = ObjectStore(tmp_path / "home")
    record = objects.add(
        tmp_path / "nwb.gpkg",
        layer_id="nwb",
        columns=ColumnMap("wegen"),
        title="Wegen",
        source="SYNTHETISCH",
        date="2026-01-01",
        synthetic=True,
    )
    layer = bowl_store.catalogue.get("wo-kom")
    table = ExposureStore(bowl_store, objects).summary(layer, record, "gemeente", 2017).table
    row = table.set_index("region_code")
    assert row.loc["GM9001", "weglengte begaanbaar (m)"] == pytest.approx(25.0)
    assert row.loc["GM9001", "weglengte onbegaanbaar >15 cm (m)"] == pytest.approx(25.0)
    assert row.loc["GM9002", "weglengte begaanbaar (m)"] == pytest.approx(25.0)
    assert row.loc["GM9002", "weglengte onbegaanbaar >15 cm (m)"] == pytest.approx(25.0)
    assert row.loc["GM9002", "weglengte ook niet voor hulpdiensten >30 cm (m)"] == pytest.approx(
        25.0
    )


def _measure(mid: str, x: float, y: float, status: Status = Status.TOEGEKEND) -> Measure:
    return Measure(
        id=mid,
        name=mid,
        werkregio="WR-FLU",
        status=status,
        themes=frozenset({ClimateTheme.WATEROVERLAST}),
        rijk_contribution_cents=100_000_00,
        location_wkt=f"POINT ({x} {y})",
    )


def test_measure_at_49_m_reaches_and_at_51_m_does_not() -> None:
    hotspot = gpd.GeoDataFrame(
        {"hotspot_id": ["H1"]}, geometry=[shapely.box(0, 0, 100, 100)], crs="EPSG:28992"
    )
    near = coverage(hotspot, [_measure("A", 149, 50)], "wateroverlast", 50.0)
    assert near.table["reached"].tolist() == [True]
    assert near.table["rijk_cents"].tolist() == [100_000_00]
    assert near.table["nearest_m"].tolist() == [pytest.approx(49.0)]
    far = coverage(hotspot, [_measure("B", 151, 50)], "wateroverlast", 50.0)
    assert far.table["reached"].tolist() == [False]
    assert far.table["nearest_m"].tolist() == [pytest.approx(51.0)]
    # Inside, but only an idea (not granted) or of another theme: not reached.
    idea = coverage(hotspot, [_measure("C", 50, 50, Status.IDEE)], "wateroverlast", 50.0)
    heat = coverage(hotspot, [_measure("D", 50, 50)], "hitte", 50.0)
    assert idea.table["reached"].tolist() == heat.table["reached"].tolist() == [False]


def test_hotspots_of_a_small_raster_by_hand(synthetic_atlas: Atlas, tmp_path: Path) -> None:
    # Above 0.30 m: a block of 3 x 2 pixels (values 0.4 0.5 0.6 / 0.4 0.4 0.9), a single pixel
    # (0.8) touching the block only at a corner (4-neighbours: a hotspot of its own) and one more
    # single pixel far away. With a minimum of 2 pixels (1250 m²) only the block remains:
    # area 6 * 625 = 3750 m², max 0.9, mean (0.4+0.5+0.6+0.4+0.4+0.9)/6 = 0.5333.
    values = np.zeros((6, 8), dtype="float32")
    values[1:3, 1:4] = [[0.4, 0.5, 0.6], [0.4, 0.4, 0.9]]
    values[3, 4] = 0.8
    values[5, 7] = 0.35
    values[4, 0] = 0.30  # exactly the threshold: not above
    raster = write_raster(tmp_path / "h.tif", values)
    atoms = synthetic_atlas.atoms(2017)
    found = find_hotspots(raster, 0.30, 1250.0, atoms)
    assert found["hotspot_id"].tolist() == ["H1"]
    assert found["area_m2"].iloc[0] == pytest.approx(3750.0)
    assert found["max"].iloc[0] == pytest.approx(0.9, rel=1e-6)
    assert found["mean"].iloc[0] == pytest.approx(3.2 / 6, rel=1e-6)
    # Columns 1-3 span x 9975-10050: 25 m in Aadorp, 50 m in Beedorp -> Beedorp overlaps most.
    assert found["gemeente"].iloc[0] == "GM9002"
    every = find_hotspots(raster, 0.30, 0.0, atoms)
    assert every["area_m2"].tolist() == pytest.approx([3750.0, 625.0, 625.0])


def test_hotspots_ranked_per_region_and_coverage_per_region(bowl_store: ResultsStore) -> None:
    # Above 0.15 m the bowl's cross (0.25 x 4 + 0.60) is one hotspot of 5 pixels = 3125 m²,
    # lying mostly in Beedorp (4 of 5 pixels).
    layer = bowl_store.catalogue.get("wo-kom")
    found = hotspots(bowl_store, layer, 0.15, 2017, min_area_m2=0.0)
    assert found.frame["area_m2"].tolist() == pytest.approx([3125.0])
    table = ranked(found, bowl_store, "gemeente")
    assert table[["region_code", "rank", "hotspot_id"]].values.tolist() == [["GM9002", 1, "H1"]]
    x, y = pixel_centre(2, 2)
    reach = coverage(found.frame, [_measure("M", x, y)], "wateroverlast")
    regions = per_region(table, reach, [_measure("M", x, y)])
    assert regions[["bereikt", "niet_bereikt", "rijksbijdrage_cents"]].values.tolist() == [
        [1, 0, 100_000_00]
    ]
    again = hotspots(bowl_store, layer, 0.15, 2017, min_area_m2=0.0)  # from disk
    assert again.computed_at == found.computed_at


def test_population_exposed_from_cbs_cells(bowl_store: ResultsStore, tmp_path: Path) -> None:
    # A 100 m cell over pixel columns 1-4 and rows 0-3 of the bowl holds 160 inhabitants; of its
    # 16 pixels 5 are above 0.15 m (0.25 x 4 and 0.60) and 1 above 0.30 m: 50 and 10 people.
    # Its centre (x 10025 m) lies in Beedorp. A second cell is suppressed (-99997): unknown.
    west, north = BOWL_WEST + PIXEL, BOWL_NORTH
    gpd.GeoDataFrame(
        {"crs28992res100m": ["E1", "E2"], "aantal_inwoners": [160, -99997]},
        geometry=[
            shapely.box(west, north - 100, west + 100, north),
            shapely.box(west + 100, north - 100, west + 200, north),
        ],
        crs="EPSG:28992",
    ).to_file(tmp_path / "cbs.gpkg", driver="GPKG")
    objects = ObjectStore(tmp_path / "home")
    record = objects.add(
        tmp_path / "cbs.gpkg",
        layer_id="cbs",
        columns=ColumnMap("bevolking"),
        title="Inwoners",
        source="SYNTHETISCH",
        date="2026-01-01",
    )
    layer = bowl_store.catalogue.get("wo-kom")
    table = ExposureStore(bowl_store, objects).summary(layer, record, "gemeente", 2017).table
    beedorp = table.set_index("region_code").loc["GM9002"]
    assert beedorp["inwoners"] == pytest.approx(160.0)
    assert beedorp["inwoners boven 0,15 m"] == pytest.approx(50.0)
    assert beedorp["inwoners boven 0,3 m"] == pytest.approx(10.0)


def test_vital_objects_hit_per_category(bowl_store: ResultsStore, tmp_path: Path) -> None:
    # Care home (point) in the centre pixel 0.60 (Beedorp); pumping station (point) in pixel
    # (2, 1) 0.25 (Aadorp); school (polygon) in pixel (1, 1) 0.12 (Aadorp): not above 0.15.
    gpd.GeoDataFrame(
        {"id": ["Z", "G", "S"], "categorie": ["zorginstelling", "gemaal", "school"]},
        geometry=[
            shapely.Point(pixel_centre(2, 2)),
            shapely.Point(pixel_centre(2, 1)),
            shapely.Point(pixel_centre(1, 1)).buffer(4),
        ],
        crs="EPSG:28992",
    ).to_file(tmp_path / "vitaal.geojson", driver="GeoJSON")
    objects = ObjectStore(tmp_path / "home")
    record = objects.add(
        tmp_path / "vitaal.geojson",
        layer_id="vitaal",
        columns=ColumnMap("objecten"),
        title="Vitaal",
        source="SYNTHETISCH",
        date="2026-01-01",
    )
    layer = bowl_store.catalogue.get("wo-kom")
    table = ExposureStore(bowl_store, objects).summary(layer, record, "gemeente", 2017).table
    rows = table.set_index("region_code")
    assert rows.loc["GM9002", "objecten:zorginstelling boven 0,3 m"] == 1
    assert rows.loc["GM9001", "objecten:gemaal boven 0,15 m"] == 1
    assert rows.loc["GM9001", "objecten:gemaal boven 0,3 m"] == 0
    assert rows.loc["GM9001", "objecten:school"] == 1
    assert rows.loc["GM9001", "objecten:school boven 0,15 m"] == 0


def test_façade_points_of_a_square_either_orientation_and_an_l_shape() -> None:
    from adaptatie.exposure.sampling import facade_points

    # A 10 m square moved 2 m out is a 14 m square (-2..12); 14 m edges at most 12.5 m apart:
    # two pieces per edge, so 8 points: the 4 corners and the 4 edge midpoints.
    square = shapely.box(0, 0, 10, 10)
    for footprint in (square, square.reverse()):
        ring = facade_points(np.array([footprint], dtype=object), 2.0, 12.5)
        xs, ys, owner = ring.x, ring.y, ring.owner
        assert (ring.centre_x[0], ring.centre_y[0]) == (5.0, 5.0)
        points = sorted(zip(xs.round(9), ys.round(9), strict=True))
        assert points == sorted(
            [(-2, -2), (5, -2), (12, -2), (12, 5), (12, 12), (5, 12), (-2, 12), (-2, 5)]
        )
        assert owner.tolist() == [0] * 8
    # An L (0,0)-(10,0)-(10,4)-(4,4)-(4,10)-(0,10): its inner corner (4, 4) moves to (6, 6),
    # 2 m from both inner walls; with 100 m spacing only the six moved corners remain.
    ell = shapely.Polygon([(0, 0), (10, 0), (10, 4), (4, 4), (4, 10), (0, 10)])
    ring = facade_points(np.array([ell], dtype=object), 2.0, 100.0)
    xs, ys = ring.x, ring.y
    assert sorted(zip(xs.round(9), ys.round(9), strict=True)) == sorted(
        [(-2, -2), (12, -2), (12, 6), (6, 6), (6, 12), (-2, 12)]
    )


def test_nodata_under_the_whole_façade_gives_no_value(tmp_path: Path) -> None:
    # The centre pixel and its 8 neighbours are nodata: the centre building's 14 m façade zone
    # lies wholly in the centre pixel, so it has no value; r1c1 sees only nodata too.
    values = BOWL.copy()
    values[1:4, 1:4] = -9999.0
    values[1, 3] = 0.12  # r1c3 keeps a value
    raster = write_raster(tmp_path / "gat.tif", values)
    footprints = np.array([g for _, g in bowl_buildings()], dtype=object)
    found = facade_values(raster, footprints).values
    assert np.isnan(found[4]) and np.isnan(found[0])
    assert found[2] == pytest.approx(0.12, rel=1e-6)


def test_exposed_buildings_in_reached_and_unreached_hotspots(
    bowl_store: ResultsStore, tmp_path: Path
) -> None:
    # Above 0.15 m: the cross hotspot H1 (in Beedorp). Exposed buildings (façade > 0.15 m): the
    # four 0.25 m ones and the 0.60 m centre, all touching H1. With a granted measure in the
    # centre all five are reached; without, none.
    from adaptatie.exposure.overview import hotspot_view, objects_reached

    objects = ObjectStore(tmp_path / "home")
    record = objects.add(
        _buildings_file(tmp_path / "bag.gpkg", {pid: 1 for pid, _ in bowl_buildings()}),
        layer_id="bag-kom",
        columns=ColumnMap("gebouwen"),
        title="Panden",
        source="SYNTHETISCH",
        date="2026-01-01",
    )
    layer = bowl_store.catalogue.get("wo-kom")
    x, y = pixel_centre(2, 2)
    measures = [_measure("M", x, y)]
    view = hotspot_view(bowl_store, layer, 0.15, "gemeente", 2017, measures, min_area_m2=0.0)
    table = objects_reached(view, bowl_store, objects, record).set_index("region_code")
    assert table.loc["GM9002"].tolist() == ["Beedorp", 5, 5, 0]
    view = hotspot_view(bowl_store, layer, 0.15, "gemeente", 2017, [], min_area_m2=0.0)
    table = objects_reached(view, bowl_store, objects, record).set_index("region_code")
    assert table.loc["GM9002"].tolist() == ["Beedorp", 5, 0, 5]
