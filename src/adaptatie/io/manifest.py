"""The manifest of a source-data folder: what each file is, where it came from, its checksum.

Shared by the embedded snapshot and the releases written by ``adaptatie data update``. The file
is ``manifest.json`` in the folder itself::

    {"format_version": 1, "created": "2025-01-31T12:00:00+00:00", "origin": "...",
     "layers": [{"file": "cbs_gemeenten_2024.gpkg", "kind": "gemeenten", "year": 2024,
                 "source": "...", "url": "...", "downloaded": "2025-01-31",
                 "licence": "CC-BY 4.0 (CBS, Kadaster)", "features": 342, "sha256": "..."}]}
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from adaptatie.errors import DataFileError
from adaptatie.io.atomic import write_atomic

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
KINDS = ("gemeenten", "provincies", "waterschappen", "bevolking")

_FIX_REFETCH = (
    "haal de gegevens opnieuw op met 'adaptatie data update', of zet het oorspronkelijke "
    "bestand terug."
)


@dataclass(frozen=True)
class ManifestEntry:
    """One file of a source-data folder."""

    file: str
    kind: str
    year: int | None
    source: str
    url: str
    downloaded: str
    licence: str
    features: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """The manifest of a source-data folder."""

    format_version: int
    created: str
    origin: str
    layers: tuple[ManifestEntry, ...]

    def entry(self, file: str) -> ManifestEntry | None:
        return next((e for e in self.layers if e.file == file), None)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, as lowercase hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def entry_for(
    path: Path,
    kind: str,
    year: int | None,
    source: str,
    url: str,
    downloaded: str | dt.date,
    licence: str,
    features: int,
) -> ManifestEntry:
    """The manifest entry for ``path`` (its checksum is computed here)."""
    if kind not in KINDS:
        raise ValueError(f"unknown layer kind {kind!r}")
    day = downloaded.isoformat() if isinstance(downloaded, dt.date) else downloaded
    return ManifestEntry(
        file=path.name,
        kind=kind,
        year=year,
        source=source,
        url=url,
        downloaded=day,
        licence=licence,
        features=int(features),
        sha256=file_sha256(path),
    )


def write_manifest(folder: Path, manifest: Manifest) -> Path:
    """Write ``manifest.json`` into ``folder`` atomically (temp file, then ``os.replace``)."""
    data = asdict(manifest)
    data["layers"] = [asdict(e) for e in manifest.layers]
    target = folder / MANIFEST_NAME
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomic(target, text.encode("utf-8"))
    return target


def read_manifest(folder: Path) -> Manifest:
    """Read and check the structure of ``folder/manifest.json`` (not the checksums)."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        raise DataFileError(path, f"het manifest ontbreekt in {folder}.", _FIX_REFETCH)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(
            path, f"het manifest is geen geldige JSON ({exc}).", _FIX_REFETCH
        ) from exc
    if not isinstance(data, dict):
        raise DataFileError(path, "het manifest is geen JSON-object.", _FIX_REFETCH)
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise DataFileError(
            path,
            f"onbekende manifestversie {version!r} (deze versie van adaptatie kent "
            f"versie {FORMAT_VERSION}).",
            "werk adaptatie bij, of haal de gegevens opnieuw op met 'adaptatie data update'.",
        )
    try:
        layers = tuple(_entry(raw) for raw in data["layers"])
        return Manifest(
            format_version=version,
            created=str(data["created"]),
            origin=str(data["origin"]),
            layers=layers,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(
            path, f"het manifest mist een verplicht veld of is onvolledig ({exc}).", _FIX_REFETCH
        ) from exc


def _entry(raw: Any) -> ManifestEntry:
    if not isinstance(raw, dict):
        raise TypeError("laag is geen object")
    name = str(raw["file"])
    if Path(name).name != name or name in ("", ".", ".."):
        raise ValueError(f"bestandsnaam {name!r} verwijst buiten de map")
    kind = str(raw["kind"])
    if kind not in KINDS:
        raise ValueError(f"onbekende soort {kind!r}")
    year = raw["year"]
    return ManifestEntry(
        file=name,
        kind=kind,
        year=None if year is None else int(year),
        source=str(raw["source"]),
        url=str(raw["url"]),
        downloaded=str(raw["downloaded"]),
        licence=str(raw["licence"]),
        features=int(raw["features"]),
        sha256=str(raw["sha256"]).lower(),
    )


def verify_manifest(folder: Path) -> Manifest:
    """Read the manifest and check that every file it lists exists with the listed checksum."""
    manifest = read_manifest(folder)
    for entry in manifest.layers:
        path = folder / entry.file
        if not path.is_file():
            raise DataFileError(
                path,
                f"het bestand staat in het manifest maar ontbreekt in {folder} "
                f"(verwachte controlesom {entry.sha256[:12]}…).",
                _FIX_REFETCH,
            )
        found = file_sha256(path)
        if found != entry.sha256:
            raise DataFileError(
                path,
                f"de controlesom klopt niet met het manifest: verwacht {entry.sha256[:12]}…, "
                f"gevonden {found[:12]}…; het bestand is na het ophalen gewijzigd of beschadigd.",
                _FIX_REFETCH,
            )
    return manifest
