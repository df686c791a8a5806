"""The manifest shared by releases and the snapshot, and the release pointer."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from adaptatie.errors import DataFileError
from adaptatie.io.manifest import (
    Manifest,
    entry_for,
    read_manifest,
    verify_manifest,
    write_manifest,
)
from adaptatie.io.update import current_release
from adaptatie.io.update.cbs import cbs_number
from adaptatie.io.update.pdok import normalise_ws_code

ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # FIPS 180-2


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "cbs_gemeenten_2024.gpkg").write_bytes(b"abc")
    entry = entry_for(
        folder / "cbs_gemeenten_2024.gpkg",
        "gemeenten",
        2024,
        "CBS/Kadaster 2024",
        "https://api.pdok.nl/x",
        "2025-01-31",
        "CC-BY 4.0 (CBS, Kadaster)",
        342,
    )
    write_manifest(folder, Manifest(1, "2025-01-31T12:00:00+00:00", "test", (entry,)))
    return folder


def test_entry_checksum_and_round_trip(tmp_path):
    folder = _folder(tmp_path)
    raw = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert raw["format_version"] == 1
    assert raw["layers"][0] == {
        "file": "cbs_gemeenten_2024.gpkg",
        "kind": "gemeenten",
        "year": 2024,
        "source": "CBS/Kadaster 2024",
        "url": "https://api.pdok.nl/x",
        "downloaded": "2025-01-31",
        "licence": "CC-BY 4.0 (CBS, Kadaster)",
        "features": 342,
        "sha256": ABC_SHA256,
    }
    assert verify_manifest(folder) == read_manifest(folder)
    assert read_manifest(folder).layers[0].year == 2024


def test_checksum_mismatch_is_named(tmp_path):
    folder = _folder(tmp_path)
    (folder / "cbs_gemeenten_2024.gpkg").write_bytes(b"abd")
    found = hashlib.sha256(b"abd").hexdigest()
    with pytest.raises(DataFileError) as err:
        verify_manifest(folder)
    assert str(err.value) == (
        "Bestand cbs_gemeenten_2024.gpkg: de controlesom klopt niet met het manifest: verwacht "
        f"ba7816bf8f01…, gevonden {found[:12]}…; het bestand is na het ophalen gewijzigd of "
        "beschadigd. Oplossing: haal de gegevens opnieuw op met 'adaptatie data update', of "
        "zet het oorspronkelijke bestand terug."
    )


def test_missing_file_is_named(tmp_path):
    folder = _folder(tmp_path)
    (folder / "cbs_gemeenten_2024.gpkg").unlink()
    with pytest.raises(DataFileError) as err:
        verify_manifest(folder)
    assert str(err.value) == (
        f"Bestand cbs_gemeenten_2024.gpkg: het bestand staat in het manifest maar ontbreekt in "
        f"{folder} (verwachte controlesom ba7816bf8f01…). Oplossing: haal de gegevens opnieuw "
        "op met 'adaptatie data update', of zet het oorspronkelijke bestand terug."
    )


def test_unknown_format_version(tmp_path):
    folder = _folder(tmp_path)
    raw = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    raw["format_version"] = 2
    (folder / "manifest.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        verify_manifest(folder)
    assert str(err.value) == (
        "Bestand manifest.json: onbekende manifestversie 2 (deze versie van adaptatie kent "
        "versie 1). Oplossing: werk adaptatie bij, of haal de gegevens opnieuw op met "
        "'adaptatie data update'."
    )


def test_manifest_may_not_point_outside_its_folder(tmp_path):
    folder = _folder(tmp_path)
    raw = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    raw["layers"][0]["file"] = "../elders.gpkg"
    (folder / "manifest.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(DataFileError, match="verwijst buiten de map"):
        read_manifest(folder)


def test_current_release_follows_pointer_and_verifies(tmp_path):
    home = tmp_path / "home"
    assert current_release(home) is None
    releases = home / "data" / "releases"
    releases.mkdir(parents=True)
    folder = _folder(releases)
    (home / "data" / "current").write_text("release\n", encoding="utf-8")
    assert current_release(home) == folder
    (folder / "cbs_gemeenten_2024.gpkg").write_bytes(b"x")
    with pytest.raises(DataFileError, match="controlesom klopt niet"):
        current_release(home)
    (home / "data" / "current").write_text("weg\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        current_release(home)
    assert "noemt 'weg', maar die map staat niet in" in str(err.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12345, 12345),
        ("   61234", 61234),
        ("61234.0", 61234),
        (None, None),
        ("     .", None),
        (2.0, 2),
    ],
)
def test_cbs_numbers(raw, expected):
    assert cbs_number(raw) == expected


def test_cbs_number_rejects_fractions():
    with pytest.raises(ValueError, match="geen geheel aantal"):
        cbs_number("12,5")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("WS17", "WS17"), (" ws0017 ", "WS17"), ("7", "WS07"), ("WBL", "WBL"), ("WS155", "WS155")],
)
def test_water_board_codes(raw, expected):
    assert normalise_ws_code(raw) == expected
