"""Files written whole or not at all: a reader sees the old content or the new, never half.

Used for the manifest of a data folder (:mod:`adaptatie.io.manifest`), the pointer to the data
release in use and the pages of a resumable download (:mod:`adaptatie.io.update`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same folder, synced, and ``os.replace``;
    on any failure the temp file is removed and ``path`` is as it was."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
