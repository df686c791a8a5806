"""The region definitions file: mistakes are reported with the region and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from adaptatie.config import regions_file
from adaptatie.errors import RegionDefinitionError
from adaptatie.io.regions_file import read_region_definitions
from adaptatie.regions.atlas import Atlas
from adaptatie.regions.models import RegionKind
from tests.synthetic import REGIONS_TOML, write_regions_file


def _write(tmp_path: Path, text: str) -> Path:
    return write_regions_file(tmp_path / "regions.toml", text)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('kind = "cluster"', 'kind = "buurt"', "soort 'buurt' is onbekend"),
        (
            'members = ["GM9002", "GM9003"]',
            'members = ["Beedorp"]',
            "ongeldige gemeentecode\\(s\\) in members: Beedorp",
        ),
        (
            'members = ["GM9002", "GM9003"]',
            'members = ["GM9002", "GM9002"]',
            "dubbele leden: GM9002",
        ),
        ('members = ["GM9002", "GM9003"]', "members = []", "de ledenlijst is leeg"),
        ('id = "ALL"', 'id = "WEST"', "de id 'WEST' komt meer dan eens voor"),
        (
            "boundary_year = 2018",
            'boundary_year = "vorig jaar"',
            "boundary_year 'vorig jaar' is geen jaartal",
        ),
        ('provinces = ["PV20"]', "provinces = []", "\\[study_area\\] provinces ontbreekt"),
        (
            '"de Bee\'s" = "GM9002"',
            '"de Bee\'s" = "Beedorp"',
            "alias 'de Bee's' verwijst naar 'Beedorp'",
        ),
    ],
)
def test_bad_definitions(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in REGIONS_TOML
    path = _write(tmp_path, REGIONS_TOML.replace(old, new, 1))
    with pytest.raises(RegionDefinitionError, match=message) as info:
        read_region_definitions(path)
    assert "regions.toml" in str(info.value)
    assert "Oplossing:" in str(info.value)


def test_missing_field_names_the_region(tmp_path: Path) -> None:
    path = _write(tmp_path, REGIONS_TOML.replace('name = "Alles"\n', ""))
    with pytest.raises(
        RegionDefinitionError, match=r"regio nr\. 2 \(ALL\): het veld 'name' ontbreekt"
    ):
        read_region_definitions(path)


def test_unknown_parent(tmp_path: Path) -> None:
    path = _write(
        tmp_path, REGIONS_TOML.replace('kind = "cluster"', 'kind = "cluster"\nparent = "XYZ"')
    )
    with pytest.raises(RegionDefinitionError, match="parent 'XYZ'"):
        read_region_definitions(path)


def test_not_toml(tmp_path: Path) -> None:
    path = _write(tmp_path, "[[region]\nid = ")
    with pytest.raises(RegionDefinitionError, match="geen geldige TOML"):
        read_region_definitions(path)


def test_member_that_does_not_exist_in_its_year(synthetic_dir: Path, tmp_path: Path) -> None:
    # Nieuwdorp (GM9004) only exists from 2018; the cluster says its list is of 2017.
    path = _write(tmp_path, REGIONS_TOML.replace('["GM9002", "GM9003"]', '["GM9004", "GM9003"]', 1))
    with pytest.raises(
        RegionDefinitionError, match="'WEST' \\(Oostcluster\\) heeft leden die in 2017 niet"
    ):
        Atlas.open(synthetic_dir, path)


def test_definition_year_without_boundaries(synthetic_dir: Path, tmp_path: Path) -> None:
    path = _write(tmp_path, REGIONS_TOML.replace("boundary_year = 2018", "boundary_year = 2015"))
    with pytest.raises(
        RegionDefinitionError, match="grensjaar 2015, maar daarvoor zijn geen gemeentegrenzen"
    ):
        Atlas.open(synthetic_dir, path)


def test_project_definitions_cover_the_facts() -> None:
    definitions = read_region_definitions(regions_file())
    by_kind = {k: [r for r in definitions.regions if r.kind is k] for k in RegionKind}
    assert len(by_kind[RegionKind.CLUSTER]) == 7  # the seven 2019 clusters (FACTS.md)
    assert {r.name for r in by_kind[RegionKind.WERKREGIO]} == {
        "Groningen/Noord-Drenthe",
        "Noordelijke Vechtstromen",
        "Fluvius",
        "Twents Waternet",
    }
    gnd = definitions.by_id("GND")
    assert len(gnd.members) == 27  # 23 Groningen municipalities of 2017 + 4 in northern Drenthe
    clusters = [m for r in by_kind[RegionKind.CLUSTER] for m in r.members]
    assert sorted(clusters) == sorted(gnd.members)  # the clusters partition the cooperation
    assert len(definitions.by_id("VDG").members) == 12
    assert len(definitions.by_id("TWN").members) == 14
    assert definitions.aliases["de Pekala's"] == "GM0765"


def test_project_sources_cite_documents_by_title_and_date() -> None:
    definitions = read_region_definitions(regions_file())
    sources = {r.id: r.source for r in definitions.regions}
    assert not any("klantdocument" in s or "document 0" in s for s in sources.values())
    twn = 'Pagina "Regio Twents Waternet" van de waterketen-wiki, bijgewerkt 23-09-2019'
    assert sources["TWN"] == twn
    vdg = '"Samenwerkingsagenda 2023-2027" van de Vereniging van Drentse Gemeenten'
    assert sources["VDG"] == vdg
