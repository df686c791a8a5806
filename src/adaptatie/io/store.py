"""The source-data folder: discovers files and loads each one once per store instance."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from adaptatie.config import DataChoice, resolve_data
from adaptatie.diskmemo import DiskMemo
from adaptatie.errors import BoundaryYearError, DataFileError
from adaptatie.memo import Memo

if TYPE_CHECKING:  # the readers (geopandas, pandas) are imported when a file is first read
    from adaptatie.io.boundaries import LoadedLayer
    from adaptatie.io.population import PopulationTable

T = TypeVar("T")

_VECTOR = r"\.(geojson|json|gpkg)"
_NAMES = (
    ("cbs_gemeenten_", rf"cbs_gemeenten_\d{{4}}{_VECTOR}", "cbs_gemeenten_JJJJ.geojson"),
    ("cbs_provincies_", rf"cbs_provincies_\d{{4}}{_VECTOR}", "cbs_provincies_JJJJ.geojson"),
    (
        "cbs_kerncijfers_gemeenten",
        r"cbs_kerncijfers_gemeenten_[\w-]+\.csv",
        "cbs_kerncijfers_gemeenten_JJJJ.csv",
    ),
)


class SourceFolder:
    """A folder with CBS/PDOK source files.

    Expected names: ``cbs_gemeenten_JJJJ.geojson`` (one per boundary year),
    ``cbs_provincies_JJJJ.geojson`` (the newest is used), ``waterschappen.geojson`` and
    ``cbs_kerncijfers_gemeenten_*.csv``; GeoPackage (``.gpkg``) works as well.

    Loaded layers are cached on the instance; the instance is safe to share between threads.
    Callers must not mutate returned frames.
    """

    def __init__(
        self, folder: str | Path | DataChoice | None = None, home: Path | None = None
    ) -> None:
        self.choice = folder if isinstance(folder, DataChoice) else resolve_data(folder, home)
        self.folder = self.choice.folder
        self.cache: DiskMemo | None = None  # set by the Atlas that owns this folder
        self._memo = Memo()
        self._check_names()
        self.gemeenten_files = self._find_yearly(rf"cbs_gemeenten_(\d{{4}}){_VECTOR}")
        if not self.gemeenten_files:
            raise DataFileError(
                self.folder / "cbs_gemeenten_JJJJ.geojson",
                f"er staan geen gemeentegrenzen in {self.folder}.",
                "zet de CBS-gemeentegrenzen als cbs_gemeenten_JJJJ.geojson in deze map "
                "(PDOK: CBS gebiedsindelingen).",
            )

    @property
    def origin(self) -> str:
        """Which data are in use, in Dutch (e.g. 'momentopname meegeleverd met adaptatie')."""
        return self.choice.label

    def _check_names(self) -> None:
        """A file that looks like a source file but whose name does not fit is an error."""
        for path in sorted(self.folder.iterdir()):
            name = path.name
            if name.endswith(("-wal", "-shm", "-journal")):  # SQLite side files of a GeoPackage
                continue
            for prefix, pattern, example in _NAMES:
                if name.startswith(prefix) and not re.fullmatch(pattern, name):
                    raise DataFileError(
                        path,
                        f"de bestandsnaam past niet in het patroon {example}, dus het bestand "
                        "zou worden overgeslagen.",
                        f"hernoem het bestand naar de vorm {example} (met een jaartal van vier "
                        "cijfers), of haal het uit de map.",
                    )

    def _find_yearly(self, pattern: str) -> dict[int, Path]:
        found: dict[int, Path] = {}
        for path in sorted(self.folder.iterdir()):
            match = re.fullmatch(pattern, path.name)
            if match:
                found[int(match.group(1))] = path
        return found

    @property
    def years(self) -> tuple[int, ...]:
        """Boundary years with a municipal boundary file."""
        return tuple(sorted(self.gemeenten_files))

    def check_year(self, year: int) -> int:
        if year not in self.gemeenten_files:
            available = ", ".join(str(y) for y in self.years)
            raise BoundaryYearError(
                f"Er zijn geen gemeentegrenzen voor {year} in {self.folder}. "
                f"Beschikbare grensjaren: {available}. Oplossing: kies een van deze jaren of zet "
                f"cbs_gemeenten_{year}.geojson in de map."
            )
        return year

    def gemeenten(self, year: int) -> LoadedLayer:
        path = self.gemeenten_files[self.check_year(year)]
        return self._layer(("gemeenten", year), path, "GEMEENTEN")

    def provincies(self) -> LoadedLayer:
        files = self._find_yearly(rf"cbs_provincies_(\d{{4}}){_VECTOR}")
        path = files[max(files)] if files else self.folder / "cbs_provincies_JJJJ.geojson"
        return self._layer(("provincies", None), path, "PROVINCIES")

    def waterschappen(self) -> LoadedLayer:
        candidates = [
            p
            for p in sorted(self.folder.glob("waterschappen.*"))
            if re.fullmatch(_VECTOR, p.suffix)
        ]
        path = candidates[0] if candidates else self.folder / "waterschappen.geojson"
        return self._layer(("waterschappen", None), path, "WATERSCHAPPEN")

    def population(self) -> PopulationTable:
        paths = sorted(self.folder.glob("cbs_kerncijfers_gemeenten_*.csv"))

        def read() -> PopulationTable:
            from adaptatie.io.population import read_population

            return read_population(paths)

        return self._memo.get(("population", None), lambda: self._stored("population", read))

    def files(self) -> tuple[Path, ...]:
        """Every file in the folder (what a cache of its contents depends on)."""
        return tuple(sorted(p for p in self.folder.iterdir() if p.is_file()))

    def _layer(self, key: tuple[str, int | None], path: Path, spec: str) -> LoadedLayer:
        def read() -> LoadedLayer:
            from adaptatie.io import boundaries

            return boundaries.read_boundaries(path, getattr(boundaries, spec))

        return self._memo.get(key, lambda: self._stored(f"{key[0]}|{key[1]}", read))

    def _stored(self, key: str, compute: Callable[[], T]) -> T:
        if self.cache is None:
            return compute()
        return self.cache.get(f"source|{key}", compute)

    def notes(self) -> tuple[str, ...]:
        """Repairs and conversions made while loading the files loaded so far."""
        from adaptatie.io.boundaries import LoadedLayer

        layers = [v for v in self._memo.values() if isinstance(v, LoadedLayer)]
        return tuple(note for layer in layers for note in layer.notes)
