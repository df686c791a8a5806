"""The real CBS/PDOK data: the derived lineage against the merger list in FACTS.md."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from adaptatie.errors import AmbiguousRegionError, UnknownRegionError
from adaptatie.regions.atlas import Atlas
from adaptatie.regions.labels import choice_label
from adaptatie.regions.models import RegionKind

# FACTS.md, "Municipal mergers in the region" (CBS).
MERGERS = {
    (2017, 2018): {
        "Midden-Groningen": {"Hoogezand-Sappemeer", "Menterwolde", "Slochteren"},
        "Westerwolde": {"Vlagtwedde", "Bellingwedde"},
    },
    (2018, 2019): {
        "Groningen": {"Groningen", "Haren", "Ten Boer"},
        "Het Hogeland": {"Bedum", "De Marne", "Eemsmond", "Winsum"},
        "Westerkwartier": {"Grootegast", "Leek", "Marum", "Zuidhorn"},
    },
    (2019, 2020): {},
    (2020, 2021): {"Eemsdelta": {"Appingedam", "Delfzijl", "Loppersum"}},
    (2021, 2022): {},
    (2022, 2023): {},
    (2023, 2024): {},
}


@pytest.mark.parametrize(("years", "expected"), MERGERS.items(), ids=lambda v: str(v))
def test_lineage_matches_the_cbs_merger_list(
    atlas: Atlas, years: tuple[int, int], expected: dict[str, set[str]]
) -> None:
    changes = atlas.lineage(*years).changes()
    mergers = {c.to_name: set(c.from_names) for c in changes if c.kind == "samenvoeging"}
    assert mergers == expected
    # Nothing else changed, apart from Hengelo's label "Hengelo (O.)" (same code, same land).
    others = [(c.kind, c.to_name) for c in changes if c.kind != "samenvoeging"]
    assert others in ([], [("nieuwe naam", "Hengelo (O.)")])


def test_winsum_partly_to_westerkwartier(atlas: Atlas) -> None:
    lineage = atlas.lineage(2018, 2019)
    winsum = next(c for c in atlas.gemeenten(2018).itertuples() if c.name == "Winsum").code
    assert lineage.to_names[lineage.successor(winsum)] == "Het Hogeland"
    (transfer,) = lineage.transfers()
    assert (transfer.from_name, transfer.to_name) == ("Winsum", "Westerkwartier")
    assert 0.1 < transfer.share < 0.4  # "most of it" went to Het Hogeland


def test_drenthe_and_overijssel_did_not_change(atlas: Atlas) -> None:
    lineage = atlas.lineage(2017, 2024)
    outside = [c for c in atlas.gemeenten(2017)["code"] if c in set(atlas.gemeenten(2024)["code"])]
    outside = [c for c in outside if c not in {"GM0014", "GM0037", "GM0047", "GM0765", "GM1895"}]
    assert len(outside) == 37  # 12 Drenthe + 25 Overijssel municipalities
    for code in outside:
        assert lineage.successor(code) == code
        assert lineage.main_sources(code) == (code,)


@pytest.mark.parametrize(
    ("cluster", "year", "members"),
    [
        ("DAL", 2020, {"Delfzijl", "Appingedam", "Loppersum"}),
        ("DAL", 2021, {"Eemsdelta"}),
        ("DAL", 2024, {"Eemsdelta"}),
        ("GHT", 2018, {"Groningen", "Haren", "Ten Boer"}),
        ("GHT", 2019, {"Groningen"}),
        ("GRC", 2018, {"Midden-Groningen", "Pekela", "Veendam"}),
        ("GRO", 2024, {"Stadskanaal", "Westerwolde", "Oldambt"}),
        ("BMWE", 2019, {"Het Hogeland"}),
        ("WKW", 2019, {"Westerkwartier"}),
        ("KVD", 2024, {"Noordenveld", "Tynaarlo", "Assen", "Aa en Hunze"}),
    ],
)
def test_clusters_in_any_year(atlas: Atlas, cluster: str, year: int, members: set[str]) -> None:
    region = atlas.region(RegionKind.CLUSTER, cluster, year)
    assert {m.name for m in region.members} == members


def test_partial_move_is_reported_with_its_share(atlas: Atlas) -> None:
    wkw = atlas.region(RegionKind.CLUSTER, "WKW", 2019)
    (member,) = wkw.members
    assert 0.85 < member.share < 0.97  # the rest of Westerkwartier came from Winsum
    assert any("Winsum" in note for note in wkw.notes)
    bmwe = atlas.region(RegionKind.CLUSTER, "BMWE", 2019)
    assert [m.share for m in bmwe.members] == [1.0]
    assert any("Winsum" in note and "Westerkwartier" in note for note in bmwe.notes)


def test_werkregio_defined_in_2023_resolves_to_2017(atlas: Atlas) -> None:
    werkregio = atlas.region(RegionKind.WERKREGIO, "WR-GND", 2017)
    gnd = atlas.region(RegionKind.SAMENWERKINGSVERBAND, "GND", 2017)
    assert {m.code for m in werkregio.members} == {m.code for m in gnd.members}
    assert len(werkregio.members) == 27


def test_population_comes_from_the_table_with_its_year(atlas: Atlas, shared_geodata: Path) -> None:
    with (shared_geodata / "cbs_kerncijfers_gemeenten_2022_2023.csv").open(encoding="utf-8") as f:
        table = {
            (r["statcode"], int(r["jaar"])): int(r["aantal_inwoners"]) for r in csv.DictReader(f)
        }
    kvd = atlas.region(RegionKind.CLUSTER, "KVD", 2022)
    profile = atlas.profile(kvd)
    assert profile.population.inhabitants == sum(table[(m.code, 2022)] for m in kvd.members)
    assert profile.population.year == 2022
    assert "CBS Kerncijfers" in profile.population.source
    # 2024 has no table: 2023 is used because the four municipalities did not change.
    later = atlas.profile(atlas.region(RegionKind.CLUSTER, "KVD", 2024))
    assert later.population.year == 2023
    assert later.population.inhabitants == sum(table[(m.code, 2023)] for m in kvd.members)
    assert "geen cijfers voor grensjaar 2024" in later.population.note
    # 2017: Delfzijl, Appingedam and Loppersum no longer exist in 2022-2023, but together they
    # are exactly Eemsdelta (GM1979, since 2021): its 2022 count is the cluster's population.
    dal = atlas.profile(atlas.region(RegionKind.CLUSTER, "DAL", 2017))
    assert dal.population.inhabitants == table[("GM1979", 2022)] == 45_389
    assert dal.population.year == 2022
    assert "van Eemsdelta: hetzelfde gebied" in dal.population.note
    # Haren (2017) alone is only part of Groningen (2019, with Ten Boer): no figure to use.
    haren = atlas.profile(atlas.region(RegionKind.GEMEENTE, "GM0017", 2017))
    assert haren.population.inhabitants is None
    assert "2017" in haren.population.note


def test_water_board_shares(atlas: Atlas) -> None:
    pekela = atlas.profile(atlas.find("de Pekala's", 2024))
    assert [(w.code, w.share) for w in pekela.waterschappen] == [("WS16", 1.0)]
    twente = atlas.profile(atlas.region(RegionKind.WERKREGIO, "WR-TWN", 2024))
    assert twente.waterschappen[0].code == "WS29"  # Vechtstromen
    assert sum(w.share for w in twente.waterschappen) <= 1.0 + 1e-9


def test_ambiguous_names_list_the_candidates(atlas: Atlas) -> None:
    with pytest.raises(AmbiguousRegionError) as info:
        atlas.find("Westerkwartier", 2024)
    assert set(info.value.candidates) == {
        "Westerkwartier (gemeente, GM1969)",
        "Westerkwartier (cluster, WKW)",
    }
    with pytest.raises(AmbiguousRegionError) as info:
        atlas.find("Noordelijke Vechtstromen", 2024)
    assert {c.split(" (")[1].split(",")[0] for c in info.value.candidates} == {
        "samenwerkingsverband",
        "werkregio",
    }
    # In 2017 the municipality Westerkwartier did not exist yet: no ambiguity.
    assert atlas.find("Westerkwartier", 2017).kind is RegionKind.CLUSTER
    with pytest.raises(UnknownRegionError, match="Fluvius"):
        atlas.find("Fluvis", 2024)


def test_municipality_x_water_board_lists_no_generalisation_slivers(atlas: Atlas) -> None:
    from adaptatie.regions.models import ATOM_SET
    from adaptatie.regions.sets import region_groups

    frame = atlas.atoms(2024)
    groups = region_groups(atlas, 2024, ATOM_SET, frame)
    # Kampen's 0.005 km² "in" Zuiderzeeland is a boundary mismatch, not a piece of the map.
    assert "GM0166|WS20" in set(frame["id"])
    assert "GM0166|WS20" not in groups
    # Groningen really lies in two water boards.
    assert {"GM0014|WS16", "GM0014|WS17"} <= set(groups)


@pytest.mark.parametrize(
    ("kind", "code", "year", "label"),
    [
        (RegionKind.CLUSTER, "DAL", 2017, "DAL (Delfzijl, Appingedam, Loppersum)"),
        (RegionKind.CLUSTER, "DAL", 2020, "DAL (Delfzijl, Appingedam, Loppersum)"),
        (RegionKind.CLUSTER, "DAL", 2021, "DAL (Delfzijl, Appingedam, Loppersum → Eemsdelta)"),
        (
            RegionKind.CLUSTER,
            "BMWE",
            2024,
            "BMWE (Bedum, De Marne, Winsum, Eemsmond → Het Hogeland)",
        ),
        (RegionKind.CLUSTER, "GHT", 2018, "GHT (Groningen, Haren, Ten Boer)"),
        (RegionKind.CLUSTER, "KVD", 2024, "Kop van Drenthe (KVD)"),
        (RegionKind.GEMEENTE, "GM0119", 2024, "Meppel (GM0119)"),
    ],
)
def test_a_region_named_by_its_code_is_listed_with_its_municipalities(
    atlas: Atlas, kind: RegionKind, code: str, year: int, label: str
) -> None:
    assert choice_label(atlas, atlas.region(kind, code, year)) == label
