"""Domain objects: region kinds, region definitions and resolved regions (frozen)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class RegionKind(StrEnum):
    """The kinds of region the dashboard knows (values are the CLI's KIND words)."""

    GEMEENTE = "gemeente"
    CLUSTER = "cluster"
    SAMENWERKINGSVERBAND = "samenwerkingsverband"
    WERKREGIO = "werkregio"
    WATERSCHAP = "waterschap"
    PROVINCIE = "provincie"

    @property
    def label(self) -> str:
        """Dutch singular label for display."""
        return _LABELS[self][0]

    @property
    def plural(self) -> str:
        """Dutch plural label for display."""
        return _LABELS[self][1]

    @property
    def is_defined(self) -> bool:
        """True for kinds defined in ``geodata/regions.toml`` (not read from boundary files)."""
        return self in (
            RegionKind.CLUSTER,
            RegionKind.SAMENWERKINGSVERBAND,
            RegionKind.WERKREGIO,
        )


_LABELS = {
    RegionKind.GEMEENTE: ("Gemeente", "Gemeenten"),
    RegionKind.CLUSTER: ("Cluster", "Clusters"),
    RegionKind.SAMENWERKINGSVERBAND: ("Samenwerkingsverband", "Samenwerkingsverbanden"),
    RegionKind.WERKREGIO: ("DPRA-werkregio", "DPRA-werkregio's"),
    RegionKind.WATERSCHAP: ("Waterschap", "Waterschappen"),
    RegionKind.PROVINCIE: ("Provincie", "Provincies"),
}


@dataclass(frozen=True)
class RegionDefinition:
    """A cooperation, cluster or werkregio as written in the definitions file.

    ``members`` are CBS municipality codes of ``boundary_year``.
    """

    id: str
    kind: RegionKind
    name: str
    boundary_year: int
    members: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    waterschappen: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class RegionDefinitions:
    """Everything in the definitions file."""

    regions: tuple[RegionDefinition, ...]
    study_area_provinces: tuple[str, ...]
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> CBS code
    source_path: str = ""

    def by_id(self, region_id: str) -> RegionDefinition:
        for region in self.regions:
            if region.id == region_id:
                return region
        raise KeyError(region_id)


@dataclass(frozen=True)
class Member:
    """A municipality of the region's boundary year, with the fraction of its area in the region."""

    code: str
    name: str
    share: float


@dataclass(frozen=True)
class WaterschapShare:
    """A water board that covers part of a region (share of the region's area)."""

    code: str
    name: str
    share: float


@dataclass(frozen=True)
class Region:
    """A region resolved to one boundary year: its member municipalities of that year."""

    id: str
    kind: RegionKind
    name: str
    year: int
    members: tuple[Member, ...]
    definition_year: int | None = None  # the year the definition's member list refers to
    source: str = ""
    notes: tuple[str, ...] = ()  # Dutch: partial moves and other remarks
    parent: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Population:
    """Inhabitants of a region and where the number comes from."""

    inhabitants: int | None
    year: int | None
    source: str
    note: str = ""


@dataclass(frozen=True)
class RegionProfile:
    """What a region is made of, for the panel and ``regions show``."""

    region: Region
    area_km2: float
    population: Population
    waterschappen: tuple[WaterschapShare, ...]
    boundary_source: str


#: The region sets a stress-test layer is summarised for, with their Dutch plural. All but the
#: last are kinds of region; ``gemeente-waterschap`` are the atoms (municipality x water board).
ATOM_SET = "gemeente-waterschap"
REGION_SETS = {
    "gemeente": "Gemeenten",
    "cluster": "Clusters",
    "samenwerkingsverband": "Samenwerkingsverbanden",
    "werkregio": "DPRA-werkregio's",
    "waterschap": "Waterschappen",
    ATOM_SET: "Gemeente x waterschap",
}
