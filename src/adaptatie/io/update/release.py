"""Releases of source data under ``<home>/data``: build, validate, manifest, atomic switch.

Layout::

    <home>/data/current                 name of the release in use (one line)
    <home>/data/releases/<name>/        a complete source folder plus manifest.json
    <home>/data/.partial/               resumable staging (pages, downloads, release being built)

A new release is built in ``.partial/release``, every file is validated with the same readers
the app uses, the manifest is written and verified, the folder is moved into ``releases/`` and
only then is ``current`` replaced (temp file + ``os.replace``). Anything failing before that
leaves the data in use untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from adaptatie.errors import DataFileError
from adaptatie.io.atomic import write_atomic
from adaptatie.io.boundaries import GEMEENTEN, PROVINCIES, WATERSCHAPPEN, read_boundaries
from adaptatie.io.datahome import POINTER, data_root, partial_dir, releases_dir
from adaptatie.io.manifest import (
    MANIFEST_NAME,
    Manifest,
    ManifestEntry,
    entry_for,
    read_manifest,
    verify_manifest,
    write_manifest,
)
from adaptatie.io.population import read_population
from adaptatie.io.update.http import KEEP, DataUpdateError

KEEP_RELEASES = 3
_VECTOR = r"\.(?:geojson|json|gpkg)"


def check_writable(home: Path) -> None:
    """Fail early, with the fix, when the home folder cannot take a new release."""
    try:
        partial_dir(home).mkdir(parents=True, exist_ok=True)
        releases_dir(home).mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".schrijftest-", dir=data_root(home))
        os.close(fd)
        Path(probe).unlink()
    except OSError as exc:
        raise DataUpdateError(
            f"De werkmap {home} is niet beschrijfbaar ({exc.strerror or exc}). Er is niets "
            f"opgehaald. {KEEP} Oplossing: geef schrijfrechten op {data_root(home)} of kies een "
            "andere werkmap met --home of ADAPTATIE_HOME."
        ) from exc


def boundary_files(folder: Path | None, kind: str) -> dict[int, Path]:
    """``cbs_<kind>_JJJJ.*`` files per year in a source folder."""
    if folder is None or not folder.is_dir():
        return {}
    found: dict[int, Path] = {}
    for path in sorted(folder.iterdir()):
        match = re.fullmatch(rf"cbs_{kind}_(\d{{4}}){_VECTOR}", path.name)
        if match:
            found.setdefault(int(match.group(1)), path)
    return found


def waterschappen_file(folder: Path | None) -> Path | None:
    if folder is None or not folder.is_dir():
        return None
    return next(
        (p for p in sorted(folder.glob("waterschappen.*")) if re.fullmatch(_VECTOR, p.suffix)),
        None,
    )


def population_files(folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(folder.glob("cbs_kerncijfers_gemeenten_*.csv"))


def carried_entry(source: Path, copy: Path, kind: str, year: int | None) -> ManifestEntry:
    """Manifest entry for a file copied from the current source (its own manifest if any)."""
    old: ManifestEntry | None = None
    if (source.parent / MANIFEST_NAME).is_file():
        try:
            old = read_manifest(source.parent).entry(source.name)
        except DataFileError:
            old = None
    if kind == "bevolking":
        table = read_population([copy])
        features, text = len(table.frame), "; ".join(table.sources.values())
    else:
        spec = {"gemeenten": GEMEENTEN, "provincies": PROVINCIES}.get(kind, WATERSCHAPPEN)
        layer = read_boundaries(copy, spec)
        features, text = len(layer.frame), layer.source
    mtime = dt.date.fromtimestamp(source.stat().st_mtime).isoformat()
    return entry_for(
        copy,
        kind,
        year,
        source=old.source if old else text,
        url=old.url if old else "",
        downloaded=old.downloaded if old else mtime,
        licence=old.licence if old else licence(kind),
        features=features,
    )


def licence(kind: str) -> str:
    """The licence text for a kind of layer."""
    if kind == "waterschappen":
        return "open data (Het Waterschapshuis, via PDOK)"
    if kind == "bevolking":
        return "CC-BY 4.0 (CBS)"
    return "CC-BY 4.0 (CBS, Kadaster)"


def validate_folder(folder: Path, entries: list[ManifestEntry]) -> None:
    """Read every file of a built release with the app's own readers."""
    specs = {"gemeenten": GEMEENTEN, "provincies": PROVINCIES, "waterschappen": WATERSCHAPPEN}
    for entry in entries:
        if entry.kind in specs:
            read_boundaries(folder / entry.file, specs[entry.kind])
    read_population([folder / e.file for e in entries if e.kind == "bevolking"])


def publish(home: Path, build: Path, manifest: Manifest, now: dt.datetime) -> Path:
    """Move a validated build into ``releases/`` and switch ``current`` to it atomically."""
    write_manifest(build, manifest)
    verify_manifest(build)
    base = now.strftime("%Y%m%dT%H%M%SZ")
    name, n = base, 1
    while (releases_dir(home) / name).exists():
        n += 1
        name = f"{base}-{n}"
    target = releases_dir(home) / name
    build.rename(target)
    verify_manifest(target)
    write_atomic(data_root(home) / POINTER, (name + "\n").encode("utf-8"))
    return target


def prune(home: Path, keep: int = KEEP_RELEASES) -> tuple[str, ...]:
    """Delete all but the newest ``keep`` releases; never the one in use."""
    pointer = data_root(home) / POINTER
    in_use = pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else ""
    folders = sorted(p for p in releases_dir(home).iterdir() if p.is_dir())
    removed = []
    for folder in folders[: max(0, len(folders) - keep)]:
        if folder.name != in_use:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return tuple(removed)


@dataclass(frozen=True)
class PlannedLayer:
    """One file of the new release: fetched from a service or carried over."""

    kind: str
    year: int | None
    file: str
    action: str  # "ophalen" | "overnemen"
    origin: str  # URL, or the file it is copied from

    def describe(self) -> str:
        what = f"{self.kind} {self.year}" if self.year is not None else self.kind
        verb = "ophalen van" if self.action == "ophalen" else "overnemen uit"
        return f"{what}: {verb} {self.origin}"
