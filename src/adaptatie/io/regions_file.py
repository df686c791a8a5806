"""Read the region definitions file (``geodata/regions.toml``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from adaptatie.errors import RegionDefinitionError
from adaptatie.io.versions import read_toml_file
from adaptatie.regions.models import RegionDefinition, RegionDefinitions, RegionKind

DEFINED_KINDS = tuple(k.value for k in RegionKind if k.is_defined)


def read_region_definitions(path: Path) -> RegionDefinitions:
    """Parse and check the definitions file; errors name the region and the field."""
    data = read_toml_file(
        path,
        "het bestand met regiodefinities",
        "zet geodata/regions.toml terug uit git of wijs ADAPTATIE_REGIONS_FILE naar een kopie.",
        error=RegionDefinitionError,
    )
    study = data.get("study_area", {}).get("provinces")
    if not study or not all(isinstance(p, str) and re.fullmatch(r"PV\d{2}", p) for p in study):
        raise RegionDefinitionError(
            path,
            "[study_area] provinces ontbreekt of bevat geen provinciecodes.",
            'schrijf bijvoorbeeld: provinces = ["PV20", "PV22", "PV23"].',
        )
    aliases = data.get("aliases", {})
    for alias, code in aliases.items():
        if not isinstance(code, str) or not re.fullmatch(r"GM\d{4}", code):
            raise RegionDefinitionError(
                path,
                f"alias '{alias}' verwijst naar '{code}', dat geen gemeentecode is.",
                "gebruik een CBS-code zoals GM0765.",
            )
    regions = tuple(_region(entry, i, path) for i, entry in enumerate(data.get("region", [])))
    seen: set[str] = set()
    for region in regions:
        if region.id in seen:
            raise RegionDefinitionError(
                path,
                f"de id '{region.id}' komt meer dan eens voor.",
                "geef elke regio een eigen id.",
            )
        seen.add(region.id)
    for region in regions:
        if region.parent is not None and region.parent not in seen:
            raise RegionDefinitionError(
                path,
                f"regio '{region.id}' noemt parent '{region.parent}', maar die regio bestaat niet.",
                "gebruik de id van een samenwerkingsverband uit dit bestand.",
            )
    _check_cycles(regions, path)
    return RegionDefinitions(regions, tuple(study), dict(aliases), str(path))


def _check_cycles(regions: tuple[RegionDefinition, ...], path: Path) -> None:
    """Refuse a chain of parents that returns to where it started (DAL -> BMWE -> DAL)."""
    parents = {r.id: r.parent for r in regions}
    for region in regions:
        chain = [region.id]
        parent = region.parent
        while parent is not None:
            if parent in chain:
                loop = " -> ".join([*chain[chain.index(parent) :], parent])
                raise RegionDefinitionError(
                    path,
                    f"de parents vormen een kring: {loop}.",
                    "een regio kan niet (via andere regio's) zijn eigen parent zijn; haal bij "
                    "een van deze regio's de regel parent = ... weg.",
                )
            chain.append(parent)
            parent = parents.get(parent)


def _region(entry: dict[str, Any], index: int, path: Path) -> RegionDefinition:
    where = f"regio nr. {index + 1} ({entry.get('id', 'zonder id')})"

    def fail(problem: str, fix: str) -> RegionDefinitionError:
        return RegionDefinitionError(path, f"{where}: {problem}", fix)

    for key in ("id", "kind", "name", "boundary_year", "members"):
        if key not in entry:
            raise fail(f"het veld '{key}' ontbreekt.", "vul het veld in; zie geodata/README.md.")
    if entry["kind"] not in DEFINED_KINDS:
        raise fail(
            f"soort '{entry['kind']}' is onbekend.", f"kies uit: {', '.join(DEFINED_KINDS)}."
        )
    year = entry["boundary_year"]
    if not isinstance(year, int) or not 1900 < year < 2100:
        raise fail(f"boundary_year '{year}' is geen jaartal.", "schrijf bijvoorbeeld 2017.")
    members = entry["members"]
    if not isinstance(members, list) or not members:
        raise fail("de ledenlijst is leeg.", "noem de CBS-codes van de gemeenten.")
    bad = [m for m in members if not isinstance(m, str) or not re.fullmatch(r"GM\d{4}", m)]
    if bad:
        raise fail(
            f"ongeldige gemeentecode(s) in members: {', '.join(map(str, bad))}.",
            "leden zijn CBS-codes zoals GM0014, geen namen.",
        )
    duplicates = sorted({m for m in members if members.count(m) > 1})
    if duplicates:
        raise fail(f"dubbele leden: {', '.join(duplicates)}.", "noem elke gemeente één keer.")
    boards = entry.get("waterschappen", [])
    if not all(isinstance(b, str) and re.fullmatch(r"WS\d{2}|WBL", b) for b in boards):
        raise fail(
            "waterschappen bevat iets anders dan waterschapscodes.", "gebruik codes zoals WS17."
        )
    return RegionDefinition(
        id=str(entry["id"]),
        kind=RegionKind(entry["kind"]),
        name=str(entry["name"]),
        boundary_year=year,
        members=tuple(members),
        aliases=tuple(str(a) for a in entry.get("aliases", [])),
        parent=entry.get("parent"),
        waterschappen=tuple(boards),
        partners=tuple(str(p) for p in entry.get("partners", [])),
        source=str(entry.get("source", "")),
    )
