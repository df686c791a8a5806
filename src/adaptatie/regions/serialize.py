"""Plain (JSON-ready) forms of domain results, shared by the CLI and downloads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adaptatie.regions.models import Region, RegionProfile

if TYPE_CHECKING:
    from adaptatie.regions.lineage import Lineage


def region_summary(region: Region) -> dict[str, Any]:
    """One line of ``regions list``."""
    return {
        "id": region.id,
        "name": region.name,
        "kind": region.kind.value,
        "year": region.year,
        "n_members": len(region.members),
        "parent": region.parent,
    }


def profile_dict(profile: RegionProfile) -> dict[str, Any]:
    """Everything ``regions show --json`` prints about one region."""
    region = profile.region
    return {
        "name": region.name,
        "id": region.id,
        "kind": region.kind.value,
        "year": region.year,
        "definition_year": region.definition_year,
        "parent": region.parent,
        "members": [{"code": m.code, "name": m.name, "share": m.share} for m in region.members],
        "area_km2": round(profile.area_km2, 3),
        "population": profile.population.inhabitants,
        "population_year": profile.population.year,
        "population_source": profile.population.source or None,
        "population_note": profile.population.note or None,
        "waterschappen": [
            {"code": w.code, "name": w.name, "share": w.share} for w in profile.waterschappen
        ],
        "notes": list(region.notes),
        "sources": {
            "definition": region.source or None,
            "boundaries": profile.boundary_source,
        },
    }


def lineage_dict(lineage: Lineage) -> dict[str, Any]:
    """Changes between two boundary years."""
    return {
        "from_year": lineage.from_year,
        "to_year": lineage.to_year,
        "changes": [
            {
                "kind": c.kind,
                "to_code": c.to_code,
                "to_name": c.to_name,
                "from": [
                    {"code": code, "name": name}
                    for code, name in zip(c.from_codes, c.from_names, strict=True)
                ],
                "partial": [
                    {
                        "from_code": t.from_code,
                        "from_name": t.from_name,
                        "share": round(t.share, 4),
                        "area_km2": round(t.area_km2, 2),
                    }
                    for t in c.partial
                ],
            }
            for c in lineage.changes()
        ],
    }
