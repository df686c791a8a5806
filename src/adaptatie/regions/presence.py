"""Whether a region exists in a boundary year, and if not, what it was or became (Dutch)."""

from __future__ import annotations

from adaptatie.regions.atlas import Atlas
from adaptatie.regions.models import RegionKind


def years_present(atlas: Atlas, code: str) -> tuple[int, ...]:
    """The boundary years in which municipality ``code`` exists in the study area."""
    return tuple(y for y in atlas.years if code in set(atlas.gemeenten(y)["code"]))


def absence_note(atlas: Atlas, kind: RegionKind, code: str, year: int) -> str:
    """Why region ``code`` of ``kind`` is not there in ``year``, and what lies there instead.

    For a municipality that exists in another year: "Eemsdelta bestond in 2017 nog niet:
    Appingedam, Delfzijl, Loppersum." or "Bedum bestond in 2024 niet meer: opgegaan in Het
    Hogeland." (from the lineage between the nearest year it exists and ``year``).
    """
    if kind is RegionKind.GEMEENTE:
        present = years_present(atlas, code)
        if present:
            nearest = min(present, key=lambda y: (abs(y - year), y))
            lineage = atlas.lineage(nearest, year)
            name = lineage.from_names.get(code, code)
            pairs = lineage.pairs[lineage.pairs["left"] == code]
            there = sorted({lineage.to_names[c] for c in pairs["right"]})
            names = ", ".join(there) if there else "geen gemeente in het kaartgebied"
            if year < nearest:
                return (
                    f"{name} bestond in {year} nog niet: {names}. {name} ({code}) bestaat "
                    f"vanaf grensjaar {nearest}."
                )
            return (
                f"{name} bestond in {year} niet meer: opgegaan in {names}. {name} ({code}) "
                f"bestond tot en met grensjaar {nearest}."
            )
    return (
        f"Er is geen {kind.label.lower()} met code '{code}' in grensjaar {year}. Kies een "
        "andere regio of een ander grensjaar."
    )
