"""Population of a region from the CBS table, honest about the year used."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from adaptatie.regions.models import Population

if TYPE_CHECKING:
    from adaptatie.io.population import PopulationTable
    from adaptatie.regions.lineage import Lineage


def population_for(
    codes: list[str],
    boundary_year: int,
    table: PopulationTable,
    lineage: Callable[[int, int], Lineage],
) -> Population:
    """Sum the inhabitants of whole member municipalities of ``boundary_year``.

    The table year equal to the boundary year is used when it has every member. Otherwise the
    nearest table year in which every member exists unchanged (same code, same territory
    according to the lineage) is used, and the note says so. When no table year fits, the
    inhabitants are ``None`` and the note explains why.
    """
    if not table.years:
        return Population(None, None, "", "Er is geen CBS-bevolkingstabel in de brongegevens.")
    if not codes:
        return Population(None, None, "", "De regio heeft in dit grensjaar geen gemeenten.")
    ordered = sorted(table.years, key=lambda y: (abs(y - boundary_year), -y))
    for year in ordered:
        counts = table.for_year(year)
        if all(code in counts for code in codes) and (
            year == boundary_year or _unchanged(codes, lineage(boundary_year, year))
        ):
            note = ""
            if year != boundary_year:
                note = (
                    f"De CBS-tabel heeft geen cijfers voor grensjaar {boundary_year}; gebruikt "
                    f"zijn de cijfers van {year} (deze gemeenten waren toen niet anders ingedeeld)."
                )
            return Population(sum(counts[c] for c in codes), year, table.sources[year], note)
    for year in ordered:
        counts = table.for_year(year)
        if year == boundary_year:
            continue
        links = lineage(boundary_year, year)
        same = _same_territory(codes, links)
        if same is None or not all(c in counts for c in same):
            continue
        names = ", ".join(links.to_names[c] for c in same)
        note = (
            f"De CBS-tabel heeft geen cijfers voor deze gemeenten van {boundary_year}; gebruikt "
            f"zijn de cijfers van {year} van {names}: hetzelfde gebied in de indeling van {year}."
        )
        return Population(sum(counts[c] for c in same), year, table.sources[year], note)
    available = ", ".join(map(str, table.years))
    return Population(
        None,
        None,
        "",
        f"Geen CBS-bevolkingscijfers voor de gemeenten van {boundary_year}: de tabel heeft "
        f"{available}, en de indeling van deze gemeenten was toen anders.",
    )


def _same_territory(codes: list[str], lineage: Lineage) -> list[str] | None:
    """The municipalities of the lineage's other year that together cover exactly the area of
    ``codes`` (e.g. Appingedam, Delfzijl and Loppersum 2020 -> Eemsdelta 2021), or None when
    some of them also hold area from outside ``codes``."""
    members = set(codes)
    if not members <= set(lineage.from_names):
        return None
    pairs = lineage.pairs
    targets = sorted(set(pairs.loc[pairs["left"].isin(members), "right"]))
    if not targets:
        return None
    if any(lineage.share_from(t, members) < 1.0 - 1e-9 for t in targets):
        return None
    return targets


def _unchanged(codes: list[str], lineage: Lineage) -> bool:
    transfers = lineage.transfers()
    touched = {t.from_code for t in transfers} | {t.to_code for t in transfers}
    for code in codes:
        if code in touched or code not in lineage.from_names:
            return False
        if lineage.successor(code) != code or lineage.main_sources(code) != (code,):
            return False
    return True
