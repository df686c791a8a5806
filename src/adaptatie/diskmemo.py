"""Results kept on disk between processes, per fingerprint of everything they depend on.

The command line starts a new process for every command and the app a new one after every
restart; without this, each would re-read and re-validate every boundary file and redo the
overlays. A :class:`DiskMemo` stores each computed value as a pickle in
``<home>/cache/<name>/<fingerprint>/``. The fingerprint covers the source files (name, size,
modification time), the region definitions (their bytes), the settings and adaptatie's own code
(version, and size and modification time of every module), so a changed input or an upgrade
never reads an old value. Old fingerprints are pruned.

The cache is an optimisation only: when the home folder is read-only or a cache file is damaged,
the value is computed as if there were no cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

import adaptatie

_LIBRARIES = ("numpy", "pandas", "geopandas", "shapely", "pyproj")

T = TypeVar("T")

KEEP = 4  # fingerprints kept per cache name
_PACKAGE = Path(adaptatie.__file__).resolve().parent


def temporary_beside(path: Path) -> Path:
    """A name beside ``path`` to write to before renaming it into place, unique per process
    and thread: two sessions (a facilitator and a following screen) may compute and save the
    same result at the same moment, and neither may take the other's half-written file."""
    return path.with_name(f".{path.stem}-{os.getpid()}-{threading.get_ident()}.tmp{path.suffix}")


def fingerprint(files: Iterable[Path], extra: Iterable[object] = ()) -> str:
    """A digest of the files' names, sizes and modification times, ``extra`` and the code."""
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in files):
        stat = path.stat()
        digest.update(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    for item in extra:
        digest.update(f"{item!r}\n".encode())
    digest.update(_code_fingerprint().encode())
    return digest.hexdigest()[:24]


def content_digest(path: Path) -> str:
    """SHA-256 of a small file's bytes (for inputs whose content, not date, matters)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


_code: str | None = None


def _code_fingerprint() -> str:
    global _code
    if _code is None:
        digest = hashlib.sha256(str(getattr(adaptatie, "__version__", "")).encode())
        for library in _LIBRARIES:  # pickles of their objects may not load in other versions
            try:
                digest.update(f"{library}={metadata.version(library)}".encode())
            except metadata.PackageNotFoundError:
                digest.update(f"{library}=-".encode())
        for module in sorted(_PACKAGE.rglob("*.py")):
            stat = module.stat()
            name = module.relative_to(_PACKAGE)
            digest.update(f"{name}|{stat.st_size}|{stat.st_mtime_ns}".encode())
        _code = digest.hexdigest()
    return _code


class DiskMemo:
    """Values computed once per fingerprint and kept as pickles under ``folder``."""

    def __init__(self, folder: Path, key: str) -> None:
        self.root = Path(folder)
        self.folder = self.root / key
        self._lock = threading.Lock()
        self._pruned = False

    def get(self, key: str, compute: Callable[[], T]) -> T:
        path = self.folder / f"{_safe(key)}.pickle"
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except FileNotFoundError:
            pass
        except Exception:
            pass  # a damaged cache file never stops the app: compute again and overwrite it
        value = compute()
        self._store(path, value)
        return value

    def _store(self, path: Path, value: object) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=self.folder)
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            Path(tmp).replace(path)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            return  # no cache this time (read-only home, full disk, unpicklable value)
        self._prune()

    def _prune(self) -> None:
        with self._lock:
            if self._pruned:
                return
            self._pruned = True
        try:
            others = [p for p in self.root.iterdir() if p.is_dir() and p != self.folder]
            others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
            for stale in others[KEEP - 1 :]:
                shutil.rmtree(stale, ignore_errors=True)
        except OSError:
            pass


def _safe(key: str) -> str:
    """A file name for ``key``: readable, and unique through a digest of the key itself."""
    readable = re.sub(r"[^A-Za-z0-9_.-]+", "_", key)[:80]
    return f"{readable}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
