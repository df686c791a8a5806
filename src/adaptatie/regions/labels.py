"""How a region is named in a list of choices: its name with its code, or with its municipalities
when the name is only a code (the clusters DAL, BMWE and GHT of the Groningen cooperation)."""

from __future__ import annotations

from adaptatie.regions.atlas import Atlas
from adaptatie.regions.lookup import normalise
from adaptatie.regions.models import Region


def choice_label(atlas: Atlas, region: Region) -> str:
    """``Meppel (GM0119)``; for a region named by its code, what it is made of instead of the code
    twice: ``DAL (Delfzijl, Appingedam, Loppersum → Eemsdelta)``."""
    if normalise(region.name) != normalise(region.id):
        return f"{region.name} ({region.id})"
    return f"{region.name} ({composition(atlas, region)})"


def composition(atlas: Atlas, region: Region) -> str:
    """The municipalities of the definition, and (``→``) those of the region's year when those
    differ: ``Bedum, De Marne, Winsum, Eemsmond → Het Hogeland``."""
    now = [m.name for m in region.members]
    year = region.definition_year
    if not region.kind.is_defined or year is None or year == region.year:
        return ", ".join(now) or region.id
    frame = atlas.gemeenten(year)
    names = dict(zip(frame["code"], frame["name"], strict=True))
    then = [names.get(code, code) for code in atlas.definitions.by_id(region.id).members]
    if not now or set(now) == set(then):
        return ", ".join(then)
    return f"{', '.join(then)} → {', '.join(now)}"
