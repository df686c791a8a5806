"""The resumable staging area ``<home>/data/.partial/``: completed pages kept with checksums.

Each paged download (one layer) has its own folder with ``page_0001.json`` … and ``index.json``
listing, per page, its checksum and the link to the next page. A re-run after an interruption
reuses every page whose file still matches its checksum and goes on from the last one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adaptatie.io.atomic import write_atomic


@dataclass(frozen=True)
class StoredPage:
    number: int
    data: Any
    next_url: str | None


class PageStore:
    """Pages of one paged download, identified by the URL of its first page."""

    def __init__(self, folder: Path, first_url: str) -> None:
        self.folder = folder
        self.first_url = first_url
        folder.mkdir(parents=True, exist_ok=True)
        index = self._read_index()
        if index.get("first_url") != first_url:
            for old in folder.glob("page_*.json"):
                old.unlink()
            index = {"first_url": first_url, "pages": [], "complete": False}
            self._write_index(index)
        self._index = index
        self.reused = 0

    def _read_index(self) -> dict[str, Any]:
        try:
            index = json.loads((self.folder / "index.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return index if isinstance(index, dict) else {}

    def _write_index(self, index: dict[str, Any]) -> None:
        write_atomic(self.folder / "index.json", json.dumps(index, indent=1).encode())

    def stored(self) -> Iterator[StoredPage]:
        """The pages kept from earlier runs, in order, as long as their checksums hold."""
        kept: list[dict[str, Any]] = []
        for row in self._index.get("pages", []):
            path = self.folder / f"page_{int(row['n']):04d}.json"
            try:
                raw = path.read_bytes()
            except OSError:
                break
            if hashlib.sha256(raw).hexdigest() != row.get("sha256"):
                break
            kept.append(row)
            self.reused += 1
            yield StoredPage(int(row["n"]), json.loads(raw), row.get("next"))
        if len(kept) != len(self._index.get("pages", [])):
            self._index["pages"] = kept
            self._index["complete"] = False
            self._write_index(self._index)

    def add(self, number: int, body: bytes, next_url: str | None) -> None:
        path = self.folder / f"page_{number:04d}.json"
        write_atomic(path, body)
        pages = [p for p in self._index["pages"] if int(p["n"]) < number]
        pages.append({"n": number, "sha256": hashlib.sha256(body).hexdigest(), "next": next_url})
        self._index["pages"] = pages
        self._index["complete"] = next_url is None
        self._write_index(self._index)


def clear(folder: Path) -> None:
    """Remove a staging folder (after a successful switch)."""
    shutil.rmtree(folder, ignore_errors=True)
