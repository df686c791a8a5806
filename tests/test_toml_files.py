"""Our three TOML data files (regions, allocations, stress-test themes) are read the same way:
a missing, broken, non-UTF-8 or future-version file is one Dutch message naming the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from adaptatie.config import regions_file
from adaptatie.errors import DataFileError
from adaptatie.finance.allocations_file import read_allocations
from adaptatie.finance.werkregios import WerkregioIndex
from adaptatie.io.regions_file import read_region_definitions
from adaptatie.io.themes_file import read_themes
from adaptatie.io.versions import read_toml_file

READERS: dict[str, Callable[[Path], Any]] = {
    "regions.toml": read_region_definitions,
    "allocations.toml": lambda path: read_allocations(path, WerkregioIndex.load()),
    "stresstest.toml": read_themes,
}


@pytest.fixture(params=sorted(READERS))
def reader(request: pytest.FixtureRequest) -> tuple[str, Callable[[Path], Any]]:
    return request.param, READERS[request.param]


def test_missing_file_names_the_file_and_how_to_restore_it(
    tmp_path: Path, reader: tuple[str, Callable[[Path], Any]]
) -> None:
    name, read = reader
    with pytest.raises(DataFileError, match=rf"{name}: het bestand met .* ontbreekt") as caught:
        read(tmp_path / name)
    assert f"geodata/{name}" in caught.value.fix


def test_broken_toml_names_line_and_column(
    tmp_path: Path, reader: tuple[str, Callable[[Path], Any]]
) -> None:
    name, read = reader
    path = tmp_path / name
    path.write_text('format_version = 1\n\n[[broken\n', encoding="utf-8")
    with pytest.raises(DataFileError, match="geen geldige TOML \\(fout in regel 3, kolom "):
        read(path)


def test_non_utf8_file_is_a_dutch_message_not_a_traceback(
    tmp_path: Path, reader: tuple[str, Callable[[Path], Any]]
) -> None:
    name, read = reader
    path = tmp_path / name
    # "Één" in Windows-1252: byte 22 (counting from 1) is 0xC9, not valid UTF-8 here.
    path.write_bytes(b"format_version = 1\n# \xc9\xe9n\n")
    with pytest.raises(DataFileError, match="geen UTF-8-tekst \\(onleesbaar teken bij byte 22\\)"):
        read(path)


def test_unknown_format_version_is_refused(
    tmp_path: Path, reader: tuple[str, Callable[[Path], Any]]
) -> None:
    name, read = reader
    path = tmp_path / name
    path.write_text("format_version = 2\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="format_version = 2 is onbekend"):
        read(path)


def test_read_toml_file_returns_the_data() -> None:
    data = read_toml_file(regions_file(), "het bestand met regiodefinities", "-")
    assert data["study_area"]["provinces"]
