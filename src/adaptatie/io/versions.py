"""Our TOML data files: read with a Dutch error for a missing or broken file, and their
``format_version`` (a version this program does not know is refused)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from adaptatie.errors import DataFileError
from adaptatie.oserrors import position


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


def read_toml_file(
    path: Path, what: str, restore: str, error: type[DataFileError] = DataFileError
) -> dict[str, Any]:
    """Parse one of our TOML files and check its format version.

    ``what`` names the file in the message ("het bestand met regiodefinities"), ``restore``
    says how to get it back when it is missing.
    """
    if not path.is_file():
        raise error(path, f"{what} ontbreekt.", restore)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise error(
            path,
            f"het bestand is geen UTF-8-tekst (onleesbaar teken bij byte {exc.start + 1}).",
            "sla het bestand op als UTF-8 (in Kladblok: Opslaan als, codering UTF-8).",
        ) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(
            path,
            f"het bestand is geen geldige TOML (fout {position(exc)}).",
            "herstel de opmaak op die plek.",
        ) from exc
    check_format_version(data, path, error=error)
    return data
