"""The layer catalogue: a JSON file plus one folder per layer under the home folder.

Writes are atomic (write a temporary file, then ``os.replace``) and serialised with a lock file,
so a crash or a failed add never leaves a half-written catalogue behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from adaptatie.errors import AdaptatieError, DataFileError
from adaptatie.stresstest.themes import Classes, LayerRecord

FORMAT_VERSION = 1


class LayerNotFoundError(AdaptatieError, LookupError):
    """No layer with that id in the catalogue."""


class Catalogue:
    """Stress-test layers registered in ``<home>/layers``."""

    def __init__(self, home: Path) -> None:
        self.root = home / "layers"
        self.root.mkdir(parents=True, exist_ok=True)
        self.path = self.root / "catalogue.json"

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Exclusive lock for a read-modify-write of the catalogue."""
        with (self.root / ".lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def layers(self) -> tuple[LayerRecord, ...]:
        if not self.path.is_file():
            return ()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return tuple(_record(entry) for entry in data["layers"])
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise DataFileError(
                self.path,
                "de lagencatalogus is beschadigd (geen geldige JSON of een veld ontbreekt).",
                "zet een reservekopie terug of verwijder het bestand en voeg de lagen opnieuw toe.",
            ) from exc

    def get(self, layer_id: str) -> LayerRecord:
        for record in self.layers():
            if record.id == layer_id:
                return record
        known = ", ".join(r.id for r in self.layers()) or "geen"
        raise LayerNotFoundError(
            f"Er is geen stresstestlaag met id '{layer_id}'. Bekende lagen: {known}. "
            "Oplossing: kies een bestaande id ('adaptatie layers list') of voeg de laag toe."
        )

    def folder(self, layer_id: str) -> Path:
        return self.root / layer_id

    def file(self, record: LayerRecord, name: str) -> Path:
        return self.folder(record.id) / name

    def register(self, record: LayerRecord, staged: Path) -> None:
        """Move a staged layer folder into place and add its record, all or nothing."""
        with self.locked():
            existing = self.layers()
            if any(r.id == record.id for r in existing):
                raise DataFileError(
                    self.path,
                    f"er is al een laag met id '{record.id}'.",
                    "kies een andere id of verwijder eerst de bestaande laag.",
                )
            target = self.folder(record.id)
            if target.exists():
                shutil.rmtree(target)  # leftovers of an interrupted add, not in the catalogue
            (staged / _OWNER).unlink(missing_ok=True)
            staged.rename(target)
            try:
                self._write((*existing, record))
            except BaseException:
                shutil.rmtree(target, ignore_errors=True)
                raise

    def remove(self, layer_id: str) -> None:
        with self.locked():
            existing = self.layers()
            if not any(r.id == layer_id for r in existing):
                self.get(layer_id)  # raises with the known ids
            self._write(tuple(r for r in existing if r.id != layer_id))
            shutil.rmtree(self.folder(layer_id), ignore_errors=True)

    def staging(self) -> Path:
        """A fresh folder next to the layers, on the same file system (for atomic renames)."""
        staging = self.root / ".staging"
        staging.mkdir(exist_ok=True)
        _remove_abandoned(staging)
        folder = Path(tempfile.mkdtemp(dir=staging, prefix="add-"))
        (folder / _OWNER).write_text(str(os.getpid()), encoding="ascii")
        return folder

    def _write(self, records: tuple[LayerRecord, ...]) -> None:
        payload = {
            "format_version": FORMAT_VERSION,
            "layers": [asdict(r) for r in records],
        }
        temporary = self.path.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        temporary.replace(self.path)


_OWNER = "owner.pid"
_ABANDONED_AFTER_S = 24 * 3600  # folders without an owner file (older versions)


def _remove_abandoned(staging: Path) -> None:
    """Remove staging folders of adds that were killed (kill -9, power loss) mid-way: the
    process named in ``owner.pid`` no longer runs (or, without that file, a day has passed)."""
    for folder in staging.glob("add-*"):
        try:
            owner = int((folder / _OWNER).read_text(encoding="ascii"))
        except (OSError, ValueError):
            try:
                stale = time.time() - folder.stat().st_mtime > _ABANDONED_AFTER_S
            except OSError:
                continue
            if stale:
                shutil.rmtree(folder, ignore_errors=True)
            continue
        if owner != os.getpid() and not _alive(owner):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # runs, as another user
    return True


def _record(entry: dict) -> LayerRecord:
    classes = Classes(
        tuple(entry["classes"]["edges"]),
        tuple(entry["classes"]["labels"]),
        tuple(entry["classes"]["colours"]),
    )
    values = {k: v for k, v in entry.items() if k != "classes"}
    for key in ("thresholds", "threshold_labels", "display_bounds", "notes"):
        if key in values:
            values[key] = tuple(values[key])
    return LayerRecord(classes=classes, **values)
