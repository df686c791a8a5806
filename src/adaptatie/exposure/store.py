"""Object layers kept under ``<home>/objects/<id>/`` (GeoParquet plus ``record.json``).

An add reads and checks the file first (:func:`adaptatie.exposure.layers.read_objects`), writes
into a staging folder and only then moves it into place, so a failed add leaves the stored layers
exactly as they were. A layer with the same id is only replaced when asked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import geopandas as gpd

from adaptatie.errors import DataFileError, InputError
from adaptatie.exposure.errors import ObjectLayerNotFoundError
from adaptatie.exposure.layers import AREAS, KINDS, ColumnMap, LoadedObjects, read_objects

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


@dataclass(frozen=True)
class ObjectRecord:
    """A stored object layer and everything needed to cite a count made from it."""

    id: str
    kind: str
    title: str
    source: str
    date: str  # ISO date of the data
    licence: str
    synthetic: bool
    count: int
    checksum: str  # sha256 of the stored GeoParquet
    added_at: str
    original_name: str = ""
    notes: tuple[str, ...] = field(default=())
    shape: str = ""  # roads: "lijnen" (NWB) or "vlakken" (BGT wegdelen); "" before it was kept

    @property
    def road_areas(self) -> bool:
        """Roads given as polygons (BGT wegdelen): counted as area (m²), not length (m)."""
        return self.kind == "wegen" and self.shape == AREAS

    @property
    def kind_label(self) -> str:
        """The kind for people, with what roads are measured in."""
        if self.kind == "wegen":
            if self.road_areas:
                return "Wegen (BGT-wegdelen, vlakken: oppervlakte in m²)"
            return "Wegen (NWB-wegvakken, lijnen: lengte in m)"
        return KINDS.get(self.kind, self.kind)

    @property
    def label(self) -> str:
        synthetic = " (SYNTHETISCH)" if self.synthetic else ""
        return f"{self.title}{synthetic}"

    @property
    def citation(self) -> str:
        """``Bron: BAG (PDOK), 01-11-2026`` in Dutch date format."""
        date = dt.date.fromisoformat(self.date).strftime("%d-%m-%Y") if self.date else "?"
        synthetic = "SYNTHETISCH — " if self.synthetic else ""
        return f"{synthetic}{self.source}, {date}"


class ObjectStore:
    def __init__(self, home: Path) -> None:
        self.root = Path(home) / "objects"
        self.root.mkdir(parents=True, exist_ok=True)

    def records(self) -> tuple[ObjectRecord, ...]:
        found = []
        for path in sorted(self.root.glob("*/record.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            data["notes"] = tuple(data.get("notes", ()))
            found.append(ObjectRecord(**data))
        return tuple(found)

    def get(self, layer_id: str) -> ObjectRecord:
        for record in self.records():
            if record.id == layer_id:
                return record
        known = ", ".join(r.id for r in self.records()) or "nog geen"
        raise ObjectLayerNotFoundError(
            f"Objectlaag '{layer_id}' bestaat niet (opgeslagen: {known}). Oplossing: kies een laag "
            "uit de lijst ('adaptatie objects list') of voeg hem toe."
        )

    def frame(self, record: ObjectRecord) -> gpd.GeoDataFrame:
        return gpd.read_parquet(self.root / record.id / "objects.parquet")

    def add(
        self,
        path: Path,
        *,
        layer_id: str,
        columns: ColumnMap,
        title: str,
        source: str,
        date: str,
        licence: str = "",
        synthetic: bool = False,
        replace: bool = False,
        original_name: str = "",
    ) -> ObjectRecord:
        problems = []
        if not ID_PATTERN.match(layer_id):
            problems.append(f"de id '{layer_id}' mag alleen kleine letters, cijfers, - en _ hebben")
        if not source.strip():
            problems.append("de bron ontbreekt (bijv. 'BAG, Kadaster via PDOK')")
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            problems.append(f"de datum '{date}' is geen datum (jjjj-mm-dd)")
        if columns.kind not in KINDS:
            problems.append(f"onbekende soort '{columns.kind}'")
        if not replace and (self.root / layer_id / "record.json").is_file():
            problems.append(f"er is al een objectlaag '{layer_id}'")
        if problems:
            raise InputError(
                "Objectlaag niet toegevoegd: " + "; ".join(problems) + ". Oplossing: vul de "
                "gegevens aan of kies 'vervangen' (op de opdrachtregel: --replace)."
            )
        loaded = read_objects(Path(path), columns)
        return self._store(
            loaded,
            layer_id,
            title,
            source,
            date,
            licence,
            synthetic,
            original_name or Path(path).name,
        )

    def _store(
        self,
        loaded: LoadedObjects,
        layer_id: str,
        title: str,
        source: str,
        date: str,
        licence: str,
        synthetic: bool,
        original_name: str,
    ) -> ObjectRecord:
        staging = Path(tempfile.mkdtemp(prefix=".add-", dir=self.root))
        try:
            target = staging / "objects.parquet"
            loaded.frame.to_parquet(target)
            record = ObjectRecord(
                id=layer_id,
                kind=loaded.kind,
                title=title.strip() or _default_title(loaded),
                source=source.strip(),
                date=date,
                licence=licence.strip(),
                synthetic=synthetic,
                count=len(loaded.frame),
                checksum=hashlib.sha256(target.read_bytes()).hexdigest(),
                added_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                original_name=original_name,
                notes=loaded.notes,
                shape=loaded.shape,
            )
            (staging / "record.json").write_text(
                json.dumps(asdict(record), ensure_ascii=False, indent=1), encoding="utf-8"
            )
            final = self.root / layer_id
            old = self.root / f".old-{layer_id}"
            if final.exists():
                final.replace(old)
            try:
                staging.replace(final)
            except OSError:
                if old.exists():
                    old.replace(final)  # the stored layer stays as it was
                raise
            shutil.rmtree(old, ignore_errors=True)
            return record
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise DataFileError(
                self.root,
                f"de objectlaag kon niet opgeslagen worden ({exc}).",
                "controleer de vrije schijfruimte en de schrijfrechten.",
            ) from exc

    def remove(self, layer_id: str) -> None:
        self.get(layer_id)
        shutil.rmtree(self.root / layer_id)


def _default_title(loaded: LoadedObjects) -> str:
    if loaded.kind == "wegen":
        return "Wegen (BGT-wegdelen)" if loaded.shape == AREAS else "Wegen (NWB-wegvakken)"
    return KINDS[loaded.kind]
