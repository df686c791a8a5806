"""The regions of the dashboard for any boundary year.

:class:`Atlas` ties the source folder and the region definitions together: it resolves every
cooperation, cluster and werkregio to the municipalities of a chosen year (through the lineage
derived from the boundary files), and profiles a region (area, population, water boards).
The UI and the CLI both call this class; neither computes regions themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from adaptatie.config import regions_file
from adaptatie.diskmemo import DiskMemo, content_digest, fingerprint
from adaptatie.errors import (
    RegionDefinitionError,
    UnknownRegionError,
)
from adaptatie.io.regions_file import read_region_definitions
from adaptatie.io.store import SourceFolder
from adaptatie.memo import Memo
from adaptatie.regions.lineage import DEFAULT_THRESHOLD, Lineage
from adaptatie.regions.lookup import find_region
from adaptatie.regions.models import (
    Member,
    Region,
    RegionDefinitions,
    RegionKind,
    RegionProfile,
)
from adaptatie.regions.names import NameTable, build_name_table
from adaptatie.regions.resolve import layer_regions, resolve_definition

if TYPE_CHECKING:  # imported where used: regions are often read from the cache without them
    import geopandas as gpd
    import shapely

T = TypeVar("T")

# A water board belongs to the map area when this share of the map area lies in it.
MIN_WATERSCHAP_IN_AREA = 0.01


class Atlas:
    """Regions of every kind, for every boundary year in the source folder."""

    def __init__(
        self,
        source: SourceFolder,
        definitions: RegionDefinitions,
        threshold: float = DEFAULT_THRESHOLD,
        cache: DiskMemo | None = None,
    ) -> None:
        self.source = source
        self.definitions = definitions
        self.threshold = threshold
        self._memo = Memo()
        self._cache = cache
        source.cache = cache

    @classmethod
    def open(
        cls,
        data_dir: str | Path | None = None,
        definitions_file: str | Path | None = None,
        home: Path | None = None,
    ) -> Atlas:
        """Open the source folder and the definitions; check the definitions against the data.

        ``data_dir`` and ``home`` choose the source data as :func:`adaptatie.config.resolve_data`.
        """
        source = SourceFolder(data_dir, home)
        definitions_path = regions_file(definitions_file)
        definitions = read_region_definitions(definitions_path)
        cache = None
        if home is not None:
            key = fingerprint(
                (*source.files(), definitions_path),
                (content_digest(definitions_path), DEFAULT_THRESHOLD),
            )
            cache = DiskMemo(Path(home) / "cache" / "atlas", key)
        atlas = cls(source, definitions, cache=cache)
        atlas.check_definitions()
        return atlas

    def stored(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()`` once per Atlas, and once per set of inputs when it has a disk cache.

        For results that are costly to compute and cheap to store (regions, profiles, lineage,
        overlays, map layers); the value must be picklable and is shared read-only.
        """
        if self._cache is None:
            return self._memo.get(key, compute)
        name = "|".join(str(getattr(part, "value", part)) for part in key)
        cache = self._cache
        return self._memo.get(key, lambda: cache.get(f"atlas|{name}", compute))

    # --- base layers -------------------------------------------------------------------------

    @property
    def years(self) -> tuple[int, ...]:
        return self.source.years

    def study_area(self) -> shapely.Geometry:
        """Union of the study-area provinces."""

        def compute() -> shapely.Geometry:
            import shapely

            frame = self.provincies()
            return shapely.union_all(frame.geometry.to_numpy())

        return self.stored(("study_area",), compute)

    def provincies(self) -> gpd.GeoDataFrame:
        """The study-area provinces (code, name, geometry)."""

        def compute() -> gpd.GeoDataFrame:
            frame = self.source.provincies().frame
            wanted = self.definitions.study_area_provinces
            missing = sorted(set(wanted) - set(frame["code"]))
            if missing:
                raise RegionDefinitionError(
                    self.definitions.source_path,
                    f"studiegebied noemt provincie(s) {', '.join(missing)}, die niet in "
                    f"{self.source.provincies().path.name} staan.",
                    "gebruik provinciecodes uit het provinciebestand (PV20 t/m PV31).",
                )
            return frame[frame["code"].isin(wanted)].reset_index(drop=True)

        return self._memo.get("provincies", compute)

    def gemeenten(self, year: int) -> gpd.GeoDataFrame:
        """Municipalities of ``year`` whose interior point lies in the study area."""

        def compute() -> gpd.GeoDataFrame:
            import shapely

            frame = self.source.gemeenten(year).frame
            inside = shapely.within(
                shapely.point_on_surface(frame.geometry.to_numpy()), self.study_area()
            )
            return frame[inside].reset_index(drop=True)

        return self._memo.get(("gemeenten", year), compute)

    def waterschappen(self) -> gpd.GeoDataFrame:
        """Water boards that cover a noticeable part of the study area (full extent)."""

        def compute() -> gpd.GeoDataFrame:
            import shapely

            frame = self.source.waterschappen().frame
            area = self.study_area()
            inside = shapely.area(shapely.intersection(frame.geometry.to_numpy(), area))
            keep = inside >= MIN_WATERSCHAP_IN_AREA * area.area
            return frame[keep].reset_index(drop=True)

        return self.stored(("waterschappen",), compute)

    def boundary_provenance(self, year: int) -> str:
        """Where the municipal boundaries of ``year`` come from and which data are in use."""
        return f"{self.source.gemeenten(year).source}; {self.source.origin}"

    def lineage(self, from_year: int, to_year: int) -> Lineage:
        """Lineage between the study-area municipalities of two years."""
        from adaptatie.regions.lineage import derive_lineage

        return self.stored(
            ("lineage", from_year, to_year),
            lambda: derive_lineage(
                self.gemeenten(from_year),
                self.gemeenten(to_year),
                from_year,
                to_year,
                self.threshold,
            ),
        )

    # --- definitions ---------------------------------------------------------------------------

    def check_definitions(self) -> None:
        """Every member of every definition exists, in the study area, in its boundary year."""
        self.stored(("definitions-checked",), lambda: self._check_definitions() or True)

    def _check_definitions(self) -> None:
        for definition in self.definitions.regions:
            if definition.boundary_year not in self.years:
                raise RegionDefinitionError(
                    self.definitions.source_path,
                    f"regio '{definition.id}' verwijst naar grensjaar {definition.boundary_year}, "
                    f"maar daarvoor zijn geen gemeentegrenzen in {self.source.folder}.",
                    "voeg dat jaar toe aan de brongegevens of zet de leden om naar een "
                    f"beschikbaar jaar ({', '.join(map(str, self.years))}).",
                )
            codes = set(self.gemeenten(definition.boundary_year)["code"])
            unknown = [m for m in definition.members if m not in codes]
            if unknown:
                raise RegionDefinitionError(
                    self.definitions.source_path,
                    f"regio '{definition.id}' ({definition.name}) heeft leden die in "
                    f"{definition.boundary_year} niet (in het kaartgebied) bestaan: "
                    f"{', '.join(unknown)}.",
                    "controleer de CBS-codes voor dat grensjaar of pas boundary_year aan.",
                )

    # --- regions -------------------------------------------------------------------------------

    def regions(self, year: int, kind: RegionKind | None = None) -> tuple[Region, ...]:
        """All regions of ``kind`` (all kinds when None) for boundary year ``year``."""
        self.source.check_year(year)
        kinds = [kind] if kind is not None else list(RegionKind)
        out: list[Region] = []
        for k in kinds:
            out.extend(self.stored(("regions", year, k), lambda k=k: self._regions(year, k)))
        return tuple(out)

    def region(self, kind: RegionKind, region_id: str, year: int) -> Region:
        """One region by kind and id (definition id, CBS code or water-board code)."""
        for region in self.regions(year, kind):
            if region.id == region_id:
                return region
        raise UnknownRegionError(
            f"Er is geen {kind.label.lower()} met code '{region_id}' in grensjaar {year}."
        )

    def _regions(self, year: int, kind: RegionKind) -> tuple[Region, ...]:
        if kind is RegionKind.GEMEENTE:
            frame = self.gemeenten(year)
            aliases: dict[str, list[str]] = {}
            for alias, code in self.definitions.aliases.items():
                aliases.setdefault(code, []).append(alias)
            return tuple(
                Region(
                    code,
                    kind,
                    name,
                    year,
                    (Member(code, name, 1.0),),
                    year,
                    aliases=tuple(aliases.get(code, ())),
                )
                for code, name in sorted(zip(frame["code"], frame["name"], strict=True))
            )
        if kind is RegionKind.PROVINCIE:
            return layer_regions(self, year, kind, self.provincies(), nested=True)
        if kind is RegionKind.WATERSCHAP:
            return layer_regions(self, year, kind, self.waterschappen(), nested=False)
        return tuple(
            resolve_definition(self, definition, year)
            for definition in self.definitions.regions
            if definition.kind is kind
        )

    # --- lookup ----------------------------------------------------------------------------------

    def find(self, name: str, year: int, kind: RegionKind | None = None) -> Region:
        """Find a region by name, alias, code or id; raises with the candidates when unclear."""
        return find_region(self.regions(year, kind), name, year, kind, self.definitions.aliases)

    def names(self) -> NameTable:
        """What a written municipality or province name means (:mod:`adaptatie.regions.names`)."""
        return self.stored(("names",), lambda: build_name_table(self))

    # --- geometry and profile -------------------------------------------------------------------

    def geometry(self, region: Region) -> shapely.Geometry:
        """Full-detail geometry of the region in EPSG:28992."""
        if region.kind is RegionKind.PROVINCIE:
            frame = self.provincies()
        elif region.kind is RegionKind.WATERSCHAP:
            frame = self.waterschappen()
        else:
            frame = self.gemeenten(region.year)
            return dissolve(region, dict(zip(frame["code"], frame.geometry, strict=True)))
        return frame.geometry[frame["code"] == region.id].iloc[0]

    def region_frame(self, year: int, kind: RegionKind) -> gpd.GeoDataFrame:
        """All regions of a kind as polygons (full detail, EPSG:28992)."""

        def compute() -> gpd.GeoDataFrame:
            import geopandas as gpd

            from adaptatie.io.boundaries import RD_NEW

            regions = self.regions(year, kind)
            return gpd.GeoDataFrame(
                {
                    "id": [r.id for r in regions],
                    "name": [r.name for r in regions],
                    "kind": [kind.value for r in regions],
                    "year": [year for r in regions],
                },
                geometry=[self.geometry(r) for r in regions],
                crs=RD_NEW,
            )

        return self._memo.get(("region_frame", year, kind), compute)

    def profile(self, region: Region) -> RegionProfile:
        """Area, population and water boards of a region."""
        return self.stored(
            ("profile", region.kind, region.id, region.year), lambda: self._profile(region)
        )

    def atoms(self, year: int) -> gpd.GeoDataFrame:
        """The atoms of ``year`` (:func:`adaptatie.regions.atoms.build_atoms`), kept on disk."""

        def compute() -> gpd.GeoDataFrame:
            from adaptatie.regions.atoms import build_atoms

            return build_atoms(self.gemeenten(year), self.source.waterschappen().frame)

        return self.stored(("atoms", year), compute)

    def _profile(self, region: Region) -> RegionProfile:
        from adaptatie.regions.profiles import profile_of

        return profile_of(self, region)


def dissolve(region: Region, by_code: Mapping[str, shapely.Geometry]) -> shapely.Geometry:
    """The union of the member municipalities' polygons (full detail or simplified for the map:
    ``by_code`` decides)."""
    import shapely

    return shapely.union_all([by_code[m.code] for m in region.members])
