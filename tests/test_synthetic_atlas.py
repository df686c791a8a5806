"""Regions, lineage, areas, water boards and population on the synthetic world (hand-computed)."""

from __future__ import annotations

import pytest

from adaptatie.errors import AmbiguousRegionError, UnknownRegionError
from adaptatie.regions.atlas import Atlas
from adaptatie.regions.models import RegionKind


def test_merger_and_70_30_split_are_derived_from_overlap(synthetic_atlas: Atlas) -> None:
    lineage = synthetic_atlas.lineage(2017, 2018)
    assert lineage.successor("GM9001") == "GM9004"
    assert lineage.successor("GM9002") == "GM9004"  # 70 % of Beedorp went to Nieuwdorp
    assert lineage.successor("GM9003") == "GM9003"
    (transfer,) = lineage.transfers()
    assert (transfer.from_code, transfer.to_code) == ("GM9002", "GM9003")
    assert transfer.share == pytest.approx(0.30)
    assert transfer.area_km2 == pytest.approx(30.0)  # 3 km x 10 km
    changes = {c.to_code: c for c in lineage.changes()}
    assert changes["GM9004"].kind == "samenvoeging"
    assert changes["GM9004"].from_codes == ("GM9001", "GM9002")
    assert changes["GM9003"].kind == "grenswijziging"
    assert changes["GM9003"].partial == (transfer,)


def test_generalisation_differences_are_not_changes(synthetic_atlas: Atlas) -> None:
    # 2019 draws the same boundary 300 m further east: 3 km² is 2.3 % of Ceedorp.
    lineage = synthetic_atlas.lineage(2018, 2019)
    assert lineage.changes() == ()
    assert lineage.share_from("GM9003", {"GM9003"}) == 1.0


def test_region_resolves_forward_with_partial_member_reported(synthetic_atlas: Atlas) -> None:
    oost = synthetic_atlas.region(RegionKind.CLUSTER, "WEST", 2018)
    # Ceedorp 2018 = 30 % of Beedorp + old Ceedorp: all of it from the cluster's members.
    assert [(m.code, m.share) for m in oost.members] == [("GM9003", 1.0)]
    # Nieuwdorp got 70 km² of its 170 km² from the cluster: 41 %, so it is assigned elsewhere.
    assert len(oost.notes) == 1
    assert "70 % van Beedorp (GM9002, 2017)" in oost.notes[0]
    assert "70,0 km²" in oost.notes[0]
    assert "Nieuwdorp (GM9004)" in oost.notes[0]


def test_region_resolves_backward(synthetic_atlas: Atlas) -> None:
    alles = synthetic_atlas.region(RegionKind.SAMENWERKINGSVERBAND, "ALL", 2017)
    assert [m.code for m in alles.members] == ["GM9001", "GM9002", "GM9003"]
    werkregio = synthetic_atlas.region(RegionKind.WERKREGIO, "WR", 2018)
    # Ceedorp 2018 has 100 of its 130 km² from the old Ceedorp: share 100/130.
    assert [m.code for m in werkregio.members] == ["GM9003"]
    assert werkregio.members[0].share == pytest.approx(100 / 130, abs=1e-4)
    assert "kreeg ook 30 % van Beedorp" in werkregio.notes[0]


def test_profile_area_water_boards_and_population(synthetic_atlas: Atlas) -> None:
    oost_2017 = synthetic_atlas.profile(synthetic_atlas.region(RegionKind.CLUSTER, "WEST", 2017))
    assert oost_2017.area_km2 == pytest.approx(200.0)  # x 10-30 km
    shares = {w.code: w.share for w in oost_2017.waterschappen}
    assert shares == {"WS16": pytest.approx(0.75), "WS17": pytest.approx(0.25)}
    # The table has only 2018 and Beedorp no longer exists then: no population, and it says so.
    assert oost_2017.population.inhabitants is None
    assert "2017" in oost_2017.population.note

    oost_2018 = synthetic_atlas.profile(synthetic_atlas.region(RegionKind.CLUSTER, "WEST", 2018))
    assert oost_2018.area_km2 == pytest.approx(130.0)
    assert {w.code: w.share for w in oost_2018.waterschappen} == {"WS16": 1.0}
    assert (oost_2018.population.inhabitants, oost_2018.population.year) == (500, 2018)
    assert oost_2018.population.note == ""


def test_population_taken_from_another_year_only_when_unchanged(synthetic_atlas: Atlas) -> None:
    # 2019 has no table; Nieuwdorp and Ceedorp are unchanged 2018 -> 2019 (within noise).
    alles = synthetic_atlas.profile(
        synthetic_atlas.region(RegionKind.SAMENWERKINGSVERBAND, "ALL", 2019)
    )
    assert (alles.population.inhabitants, alles.population.year) == (1500, 2018)
    assert "geen cijfers voor grensjaar 2019" in alles.population.note


def test_water_board_region_lists_partial_municipalities(synthetic_atlas: Atlas) -> None:
    west = synthetic_atlas.region(RegionKind.WATERSCHAP, "WS17", 2018)
    # WS17 (x 0-15) holds 15 of Nieuwdorp's 17 km width.
    assert [(m.code, m.share) for m in west.members] == [
        ("GM9004", pytest.approx(15 / 17, abs=1e-4))
    ]
    profile = synthetic_atlas.profile(west)
    assert profile.area_km2 == pytest.approx(150.0)
    assert profile.population.inhabitants is None


def test_find_by_name_alias_and_code(synthetic_atlas: Atlas) -> None:
    assert synthetic_atlas.find("de Bee's", 2017).id == "GM9002"
    assert synthetic_atlas.find("cluster oost", 2018).id == "WEST"
    assert synthetic_atlas.find("gm9004", 2018).name == "Nieuwdorp"


def test_find_ambiguous_and_unknown(synthetic_atlas: Atlas) -> None:
    with pytest.raises(AmbiguousRegionError, match="Ceedorp") as info:
        synthetic_atlas.find("Ceedorp", 2018)
    assert set(info.value.candidates) == {
        "Ceedorp (gemeente, GM9003)",
        "Ceedorp (werkregio, WR)",
    }
    assert synthetic_atlas.find("Ceedorp", 2018, RegionKind.WERKREGIO).id == "WR"
    with pytest.raises(UnknownRegionError, match="Bedoelde u: Nieuwdorp"):
        synthetic_atlas.find("Nieuwdrop", 2018)
