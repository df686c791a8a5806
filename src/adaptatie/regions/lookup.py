"""Finding a region by name, alias, code or id, with Dutch candidates when the name is unclear."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence

from adaptatie.errors import AmbiguousRegionError, UnknownRegionError
from adaptatie.regions.models import Region, RegionKind


def find_region(
    regions: Sequence[Region],
    name: str,
    year: int,
    kind: RegionKind | None,
    gemeente_aliases: Mapping[str, str],
) -> Region:
    """The one region of ``regions`` that ``name`` means; raises with the candidates otherwise."""
    wanted = normalise(name)
    hits = [r for r in regions if wanted in _keys(r, gemeente_aliases)]
    exact = [r for r in hits if normalise(r.name) == wanted or normalise(r.id) == wanted]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1 and len(exact) == 1 and kind is not None:
        return exact[0]
    if len(hits) > 1:
        candidates = tuple(_describe(r) for r in hits)
        raise AmbiguousRegionError(
            f"'{name}' kan meerdere regio's zijn in {year}: {'; '.join(candidates)}. "
            "Oplossing: geef de soort op met --kind (of kies de soort in het menu).",
            candidates,
        )
    labels = {key: r for r in regions for key in _keys(r, gemeente_aliases)}
    close = difflib.get_close_matches(wanted, list(labels), n=5, cutoff=0.6)
    candidates = tuple(dict.fromkeys(_describe(labels[c]) for c in close))
    where = f" van soort {kind.value}" if kind else ""
    hint = f" Bedoelde u: {'; '.join(candidates)}?" if candidates else ""
    raise UnknownRegionError(
        f"Geen regio{where} met de naam '{name}' in grensjaar {year}.{hint} "
        "Oplossing: controleer de naam met 'adaptatie regions list'.",
        candidates,
    )


def normalise(text: str) -> str:
    """Casefolded ASCII words: ``'s-Hertogenbosch`` and ``shertogenbosch`` match."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"['’`]", "", text.casefold())
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _keys(region: Region, gemeente_aliases: Mapping[str, str]) -> set[str]:
    keys = {normalise(region.name), normalise(region.id), *map(normalise, region.aliases)}
    if region.kind is RegionKind.GEMEENTE:
        keys.update(normalise(a) for a, c in gemeente_aliases.items() if c == region.id)
    return keys


def _describe(region: Region) -> str:
    return f"{region.name} ({region.kind.value}, {region.id})"
