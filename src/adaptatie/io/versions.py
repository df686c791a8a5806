"""The ``format_version`` of our TOML files: a version this program does not know is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adaptatie.errors import DataFileError


def check_format_version(
    data: dict[str, Any], path: Path, supported: int = 1, error: type[DataFileError] = DataFileError
) -> None:
    """Raise ``error`` when ``format_version`` is present and not ``supported`` (missing = 1)."""
    version = data.get("format_version", supported)
    if isinstance(version, bool) or version != supported:
        raise error(
            path,
            f"format_version = {version!r} is onbekend; deze versie van adaptatie leest "
            f"format_version = {supported}.",
            f"zet format_version = {supported} en gebruik de opmaak uit geodata/README.md, of "
            "werk adaptatie bij naar de versie die dit bestand heeft gemaakt.",
        )
