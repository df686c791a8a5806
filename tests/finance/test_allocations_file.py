"""geodata/allocations.toml: the amounts, sources and notes the ledger is seeded with."""

from __future__ import annotations

from pathlib import Path

import pytest

from adaptatie.errors import DataFileError
from adaptatie.finance.allocations_file import allocations_file, read_allocations
from adaptatie.finance.records import AllocationBasis
from adaptatie.finance.werkregios import WerkregioIndex


@pytest.fixture(scope="module")
def werkregios() -> WerkregioIndex:
    return WerkregioIndex.load()


def test_project_file_matches_the_facts(werkregios: WerkregioIndex) -> None:
    found = {a.werkregio: a for a in read_allocations(allocations_file(), werkregios)}
    assert list(found) == ["WR-GND", "WR-NVS", "WR-FLU", "WR-TWN"]
    assert (found["WR-TWN"].max_rijk_cents, found["WR-TWN"].basis) == (
        790_000_000,
        AllocationBasis.MAXIMUM,
    )
    assert (found["WR-FLU"].max_rijk_cents, found["WR-FLU"].date) == (500_000_000, "2024-04-24")
    assert (found["WR-NVS"].max_rijk_cents, found["WR-NVS"].basis) == (
        540_000_000,
        AllocationBasis.GECLAIMD,
    )
    assert "aanspraak maken bij het Rijk" in found["WR-NVS"].note
    gnd = found["WR-GND"]
    assert gnd.max_rijk_cents is None and gnd.basis is AllocationBasis.ONBEKEND
    assert "€ 6.802.000" in gnd.note and "geen maximum" in gnd.note
    assert all(a.source for a in found.values())
    # A source is cited by its title, never by the number of the client's file.
    assert "prettige leefomgeving, krachtig partnerschap" in found["WR-NVS"].source
    assert not any("klantdocument" in a.source + a.note for a in found.values())


def test_werkregio_resolution(werkregios: WerkregioIndex) -> None:
    assert werkregios.resolve("Fluvius") == "WR-FLU"
    assert werkregios.resolve(" werkregio  fluvius ") == "WR-FLU"
    assert werkregios.resolve("wr-twn") == "WR-TWN"
    assert werkregios.resolve("TWN") == "WR-TWN"
    assert werkregios.resolve("Groningen & Noord-Drenthe") == "WR-GND"
    assert werkregios.resolve("Drenthe") is None


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "allocations.toml"
    path.write_text("format_version = 1\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (
            '[[allocation]]\nwerkregio = "WR-XXX"\nbasis = "maximum"\nmax_rijk_eur = 1\n',
            "werkregio is onbekend",
        ),
        ('[[allocation]]\nwerkregio = "WR-FLU"\nbasis = "maximum"\n', "passen niet bij elkaar"),
        (
            '[[allocation]]\nwerkregio = "WR-FLU"\nbasis = "veel"\nmax_rijk_eur = 1\n',
            "basis 'veel' is onbekend",
        ),
        (
            '[[allocation]]\nwerkregio = "WR-FLU"\nbasis = "maximum"\nmax_rijk_eur = 1.5\n',
            "geen bedrag",
        ),
        (
            '[[allocation]]\nwerkregio = "WR-FLU"\nbasis = "maximum"\nmax_rijk_eur = 1\n'
            'date = "24-04-2024"\n',
            "geen datum",
        ),
        ('[[allocation]]\nwerkregio = "WR-FLU"\nbasis = "onbekend"\n' * 2, "meer dan eens"),
        ("[[allocation\n", "geen geldige TOML"),
    ],
)
def test_bad_files(tmp_path: Path, werkregios: WerkregioIndex, body: str, says: str) -> None:
    with pytest.raises(DataFileError, match=says):
        read_allocations(write(tmp_path, body), werkregios)


def test_missing_werkregio_gets_an_unknown_allocation(tmp_path: Path, werkregios) -> None:
    path = write(
        tmp_path,
        '[[allocation]]\nwerkregio = "WR-FLU"\nbasis = "maximum"\nmax_rijk_eur = "5.000.000,50"\n',
    )
    found = {a.werkregio: a for a in read_allocations(path, werkregios)}
    assert found["WR-FLU"].max_rijk_cents == 500_000_050
    assert found["WR-TWN"].basis is AllocationBasis.ONBEKEND
    assert found["WR-TWN"].note == "Niet in allocations.toml."


def test_missing_file(tmp_path: Path, werkregios: WerkregioIndex) -> None:
    with pytest.raises(DataFileError, match="ontbreekt"):
        read_allocations(tmp_path / "weg.toml", werkregios)
