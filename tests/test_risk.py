"""Stress-test statistics per region on the synthetic world: answers worked out by hand.

The SYNTHETIC heat raster has value = 10 + x (x in km from the world's west edge), at 100 m, so a
strip from x0 to x1 km has mean 10 + (x0 + x1) / 2 and its class shares follow from where the
class edges (23, 29, 35, 41 °C) cross it.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import adaptatie.stresstest.results as risk
from adaptatie.errors import AdaptatieError
from adaptatie.regions.atlas import Atlas
from adaptatie.regions.atoms import build_atoms
from adaptatie.stresstest.results import ResultsStore


def rows(store: ResultsStore, region_set: str, year: int) -> dict[str, dict]:
    layer = store.catalogue.get("hitte-ramp")
    table = store.summary(layer, region_set, year).table
    return {row["region_code"]: row for row in table.to_dict(orient="records")}


def test_atoms_split_municipalities_by_water_board(synthetic_atlas: Atlas) -> None:
    frame = synthetic_atlas.atoms(2017)
    areas = dict(zip(frame["id"], frame.geometry.area / 1e6, strict=True))
    assert areas == {
        "GM9001|WS17": pytest.approx(100.0),
        "GM9002|WS17": pytest.approx(50.0),
        "GM9002|WS16": pytest.approx(50.0),
        "GM9003|WS16": pytest.approx(100.0),
    }


def test_municipalities(store: ResultsStore) -> None:
    result = rows(store, "gemeente", 2017)
    assert result["GM9001"]["mean"] == pytest.approx(15.0, abs=1e-4)
    assert result["GM9002"]["mean"] == pytest.approx(25.0, abs=1e-4)
    assert result["GM9003"]["mean"] == pytest.approx(35.0, abs=1e-4)
    assert result["GM9003"]["max"] == pytest.approx(39.95, abs=1e-4)
    assert result["GM9001"]["valid_area_ha"] == pytest.approx(10_000.0)
    assert result["GM9001"]["nodata_area_ha"] == pytest.approx(0.0)
    # Ceedorp 30-40 °C: half in "matige" (29-35), half in "sterke" (35-41); 50 km² above 35.
    assert result["GM9003"]["share_matige (29-35 °C)"] == pytest.approx(50.0)
    assert result["GM9003"]["share_sterke (35-41 °C)"] == pytest.approx(50.0)
    assert result["GM9003"]["above_35_ha"] == pytest.approx(5_000.0)


def test_regions_are_merged_from_atoms(store: ResultsStore) -> None:
    cluster = rows(store, "cluster", 2017)["WEST"]  # Beedorp + Ceedorp: x 10-30 km, 20-40 °C
    assert cluster["mean"] == pytest.approx(30.0, abs=1e-4)
    assert cluster["share_geen hittestress (< 23 °C)"] == pytest.approx(15.0)
    assert cluster["share_lichte (23-29 °C)"] == pytest.approx(30.0)
    assert cluster["share_matige (29-35 °C)"] == pytest.approx(30.0)
    assert cluster["share_sterke (35-41 °C)"] == pytest.approx(25.0)
    boards = rows(store, "waterschap", 2017)
    assert boards["WS17"]["mean"] == pytest.approx(17.5, abs=1e-4)  # x 0-15
    assert boards["WS17"]["area_ha"] == pytest.approx(15_000.0)
    pieces = rows(store, "gemeente-waterschap", 2017)
    assert pieces["GM9002|WS16"]["mean"] == pytest.approx(27.5, abs=1e-4)  # x 15-20
    assert pieces["GM9002|WS16"]["region_name"] == "Beedorp / Waterschap Oost"


def test_other_boundary_year(store: ResultsStore) -> None:
    # In 2018 the cluster is Ceedorp (x 17-30 km): mean 10 + 23.5.
    assert rows(store, "cluster", 2018)["WEST"]["mean"] == pytest.approx(33.5, abs=1e-4)


def test_results_are_stored_and_recomputed_when_boundaries_change(
    store: ResultsStore, synthetic_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    original = risk.zonal_partials

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(risk, "zonal_partials", counting)
    rows(store, "gemeente", 2017)
    rows(store, "cluster", 2017)  # same partials, other region set: no new raster pass
    assert len(calls) == 1
    fresh = ResultsStore(store.atlas, store.catalogue, store.root.parent)  # e.g. after a restart
    rows(fresh, "gemeente", 2017)
    assert len(calls) == 1
    boundary = synthetic_dir / "cbs_gemeenten_2017.geojson"
    stat = boundary.stat()
    os.utime(boundary, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    rows(fresh, "gemeente", 2017)
    assert len(calls) == 2


def test_unknown_region_set(store: ResultsStore) -> None:
    with pytest.raises(AdaptatieError, match="Onbekende regioset 'buurt'"):
        rows(store, "buurt", 2017)


def test_atoms_never_overlap_where_water_boards_overlap() -> None:
    # A 10 x 10 km municipality and two water boards that overlap in a 1 km strip (x 4-5 km):
    # the strip belongs to the first board only, so the atoms add up to the municipality.
    import geopandas as gpd
    import shapely

    boards = gpd.GeoDataFrame(
        {"code": ["WS01", "WS02"], "name": ["West", "Oost"]},
        geometry=[shapely.box(0, 0, 5_000, 10_000), shapely.box(4_000, 0, 10_000, 10_000)],
        crs="EPSG:28992",
    )
    gemeenten = gpd.GeoDataFrame(
        {"code": ["GM0001"], "name": ["Proef"]},
        geometry=[shapely.box(0, 0, 10_000, 10_000)],
        crs="EPSG:28992",
    )
    pieces = build_atoms(gemeenten, boards).set_index("id")
    assert pieces.geometry.area.to_dict() == pytest.approx(
        {"GM0001|WS01": 50e6, "GM0001|WS02": 50e6}
    )


def test_two_sessions_computing_the_same_result_at_once_both_succeed(
    store: ResultsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A facilitator and a following screen ask for the same new results at the same moment:
    both compute, and both save (the second rename must not find its file taken by the first)."""
    layer = store.catalogue.get("hitte-ramp")
    written = threading.Barrier(2, timeout=60)
    savez = risk.np.savez

    def savez_then_wait(*args: object, **kwargs: object) -> None:
        savez(*args, **kwargs)
        written.wait()  # both temporary files are written before either is renamed

    monkeypatch.setattr(risk.np, "savez", savez_then_wait)
    errors: list[BaseException] = []

    def compute() -> None:
        try:
            store.partials(layer, 2017)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=compute) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    folder = store.root / layer.id
    assert sorted(p.name for p in folder.iterdir()) == ["2017.json", "2017.npz"]  # no leftovers
    assert rows(store, "gemeente", 2017)  # and the stored result reads back
