"""Gemeente and kassier stored as CBS writes them, on save and on import (real CBS names).

Facts: Hengelo is GM0164, 'Hengelo (O.)' in the 2024 boundary file; Emmen GM0114 is a
municipality only; Groningen is both a municipality (GM0014) and a province (PV20).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from adaptatie.finance.errors import ImportRejectedError, RuleViolationError
from adaptatie.finance.imports import import_bytes
from adaptatie.finance.ledger import Ledger
from adaptatie.finance.places import measures_in_region, place_measure
from adaptatie.finance.records import Status
from adaptatie.regions.atlas import Atlas
from adaptatie.regions.names import NameTable
from tests.finance.factories import HEADER, csv_bytes, measure


@pytest.fixture(scope="module")
def names(atlas: Atlas) -> NameTable:
    return atlas.names()


@pytest.fixture
def ledger(tmp_path: Path, names: NameTable) -> Iterator[Ledger]:
    with Ledger.open(f"sqlite:///{tmp_path / 'l.sqlite'}", names=names) as opened:
        yield opened


def twente(**changes: object) -> object:
    base = {"id": "TWN-001", "werkregio": "WR-TWN", "gemeente": "Hengelo", "kassier": "Emmen"}
    return measure(**{**base, **changes})


def test_place_measure_canonical_names_and_notes(names: NameTable) -> None:
    placed = place_measure(twente(), names)
    assert (placed.measure.gemeente, placed.measure.kassier) == (
        "Hengelo (O.)",
        "Gemeente Emmen",
    )
    assert placed.notes == (
        "Gemeente 'Hengelo' opgeslagen als 'Hengelo (O.)'.",
        "Kassier 'Emmen' opgeslagen als 'Gemeente Emmen'.",
    )
    assert placed.violations == ()
    again = place_measure(placed.measure, names)  # canonical stays canonical, without notes
    assert (again.measure, again.notes) == (placed.measure, ())


def test_place_measure_merged_municipality_says_so(names: NameTable) -> None:
    placed = place_measure(twente(gemeente="Haren", kassier="Provincie Groningen"), names)
    assert placed.measure.gemeente == "Groningen"
    assert placed.notes[0] == (
        "Gemeente 'Haren' opgeslagen als 'Groningen' (Haren (GM0017) is op 01-01-2019 "
        "opgegaan in Groningen (GM0014))."
    )
    assert placed.measure.kassier == "Provincie Groningen"


def test_without_a_name_table_nothing_changes() -> None:
    m = twente()
    assert place_measure(m, None).measure == m


def test_save_stores_the_cbs_names_and_says_so(ledger: Ledger) -> None:
    result = ledger.add(twente(), user="Anna")
    stored = ledger.get("TWN-001")
    assert (stored.gemeente, stored.kassier) == ("Hengelo (O.)", "Gemeente Emmen")
    assert result.notes == [
        "Gemeente 'Hengelo' opgeslagen als 'Hengelo (O.)'.",
        "Kassier 'Emmen' opgeslagen als 'Gemeente Emmen'.",
    ]
    assert not [w for w in result.warnings if w.code.startswith("KASSIER")]


def test_emmen_as_kassier_is_accepted_for_an_application(ledger: Ledger) -> None:
    # Status aangevraagd: an unrecognised kassier would be a hard KASSIER_ONGELDIG.
    result = ledger.add(twente(kassier="Emmen", status=Status.AANGEVRAAGD), user="Anna")
    assert result.measure.kassier == "Gemeente Emmen"


def test_groningen_as_kassier_is_asked_back_and_nothing_is_stored(ledger: Ledger) -> None:
    audit = ledger.audit()
    with pytest.raises(RuleViolationError) as caught:
        ledger.add(twente(kassier="Groningen"), user="Anna")
    (violation,) = caught.value.violations
    assert violation.code == "KASSIER_ONDUIDELIJK" and violation.field == "kassier"
    assert (
        "'Groningen' kan de gemeente Groningen of de provincie Groningen zijn. Oplossing: "
        "schrijf 'Gemeente Groningen' of 'Provincie Groningen'." in violation.message
    )
    assert ledger.measures() == [] and ledger.audit() == audit


@pytest.mark.parametrize(
    ("gemeente", "code", "text"),
    [
        ("Onbekendorp", "GEMEENTE_ONBEKEND", "'Onbekendorp' is geen gemeente"),
        ("Bergen", "GEMEENTE_ONDUIDELIJK", "'Bergen' kan meerdere gemeenten zijn"),
    ],
)
def test_unknown_or_ambiguous_gemeente_is_refused(
    ledger: Ledger, gemeente: str, code: str, text: str
) -> None:
    with pytest.raises(RuleViolationError) as caught:
        ledger.add(twente(gemeente=gemeente), user="Anna")
    assert [v.code for v in caught.value.violations] == [code]
    assert text in str(caught.value)
    assert ledger.measures() == []


def test_update_makes_an_old_stored_name_canonical(tmp_path: Path, names: NameTable) -> None:
    url = f"sqlite:///{tmp_path / 'oud.sqlite'}"
    with Ledger.open(url) as old:  # stored before names were resolved
        old.add(twente(kassier="Gemeente Enschede"), user="Oud")
        assert old.get("TWN-001").gemeente == "Hengelo"
    with Ledger.open(url, names=names) as ledger:
        stored = ledger.get("TWN-001")
        result = ledger.update(dataclasses.replace(stored, name="Nieuwe naam"), 1, user="Anna")
        assert result.measure.gemeente == "Hengelo (O.)"
        assert result.notes == ["Gemeente 'Hengelo' opgeslagen als 'Hengelo (O.)'."]
        changed = {e.field: (e.old, e.new) for e in ledger.audit("TWN-001") if e.action == "update"}
        assert changed["gemeente"] == ('"Hengelo"', '"Hengelo (O.)"')


ROW_ENSCHEDE = (
    "TWN-101;Wadi Enschede-Zuid;Twents Waternet;Enschede;wateroverlast;toegekend;2022;"
    "1.200.000;1.050.000;350.000;Enschede;31-12-2027"
)
ROW_HENGELO = (
    "TWN-102;Regentuin Hengelo;Twents Waternet;Hengelo;wateroverlast;toegekend;2022;"
    "600.000;450.000,48;150.000,16;Enschede;31-12-2027"
)


def test_import_stores_cbs_names_with_a_note_per_row(ledger: Ledger) -> None:
    result = import_bytes(
        ledger, csv_bytes(HEADER, ROW_ENSCHEDE, ROW_HENGELO), "twente.csv", user="Anna"
    )
    assert [(m.id, m.gemeente, m.kassier) for m in result.measures] == [
        ("TWN-101", "Enschede", "Gemeente Enschede"),
        ("TWN-102", "Hengelo (O.)", "Gemeente Enschede"),
    ]
    assert result.notes == [
        "Rij 2, maatregel TWN-101: Kassier 'Enschede' opgeslagen als 'Gemeente Enschede'.",
        "Rij 3, maatregel TWN-102: Gemeente 'Hengelo' opgeslagen als 'Hengelo (O.)'.",
        "Rij 3, maatregel TWN-102: Kassier 'Enschede' opgeslagen als 'Gemeente Enschede'.",
    ]


def test_import_refuses_the_whole_file_naming_row_and_column(ledger: Ledger) -> None:
    bad_gemeente = ROW_HENGELO.replace(";Hengelo;", ";Onbekendorp;")
    bad_kassier = ROW_ENSCHEDE.replace("TWN-101", "TWN-103").replace(
        ";Enschede;31", ";Groningen;31"
    )
    audit = ledger.audit()
    with pytest.raises(ImportRejectedError) as caught:
        import_bytes(
            ledger,
            csv_bytes(HEADER, ROW_ENSCHEDE, bad_gemeente, bad_kassier),
            "twente.csv",
            user="Anna",
        )
    problems = caught.value.problems
    assert len(problems) == 2, problems
    assert problems[0].startswith("Rij 3, kolom gemeente (D): Maatregel TWN-102")
    assert "[GEMEENTE_ONBEKEND]: 'Onbekendorp' is geen gemeente" in problems[0]
    assert problems[1].startswith("Rij 4, kolom kassier (K): Maatregel TWN-103")
    assert "schrijf 'Gemeente Groningen' of 'Provincie Groningen'" in problems[1]
    assert "er is niets opgeslagen" in str(caught.value)
    assert ledger.measures() == [] and ledger.audit() == audit


def test_measures_in_region_places_old_and_new_names(names: NameTable) -> None:
    stored = [
        twente(id="A", gemeente="Hengelo"),  # stored before names were resolved
        twente(id="B", gemeente="GM0153"),  # Enschede by code
        twente(id="C", gemeente="Hengelo (O.)"),
        twente(id="D", gemeente="Onbekendorp"),
        twente(id="E", gemeente=""),
        twente(id="F", gemeente="Emmen"),  # elsewhere: neither here nor unplaced
    ]
    found = measures_in_region(stored, ["GM0153", "GM0164"], 2017, names)
    assert [(m.id, name) for m, name in found.inside] == [
        ("A", "Hengelo"),
        ("B", "Enschede"),
        ("C", "Hengelo"),
    ]
    assert [m.id for m, _ in found.unplaced] == ["D"]
    assert [m.id for m in found.without_gemeente] == ["E"]
    # Haren (2017) lies in the 2024 municipality Groningen; Midden-Groningen (2018) in 2017 in
    # Hoogezand-Sappemeer, Menterwolde and Slochteren.
    haren = [twente(id="H", gemeente="Haren"), twente(id="M", gemeente="Midden-Groningen")]
    assert [m.id for m in measures_in_region(haren, ["GM0014"], 2024, names).measures] == ["H"]
    in_2017 = measures_in_region(haren, ["GM0018", "GM0040", "GM1987"], 2017, names)
    assert [(m.id, name) for m, name in in_2017.inside] == [
        ("M", "Hoogezand-Sappemeer, Menterwolde, Slochteren")
    ]
    partly = measures_in_region(haren, ["GM0018"], 2017, names)
    assert [m.id for m, _ in partly.partly] == ["M"]


def test_cli_import_resolves_names_and_prints_the_notes(
    shared_geodata: Path, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from adaptatie.cli import main

    path = tmp_path / "twente.csv"
    path.write_bytes(csv_bytes(HEADER, ROW_HENGELO))
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    args = ["--data-dir", str(shared_geodata), "--home", str(tmp_path / "home")]
    result = CliRunner().invoke(main, [*args, "measures", "--db-url", url, "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Rij 2, maatregel TWN-102: Gemeente 'Hengelo' opgeslagen als 'Hengelo (O.)'." in (
        result.stdout
    )
    with Ledger.open(url) as ledger:
        assert ledger.get("TWN-102").gemeente == "Hengelo (O.)"


@pytest.mark.parametrize(("status", "hard"), [(Status.IDEE, False), (Status.AANGEVRAAGD, True)])
def test_gemeente_x_as_kassier_with_an_unknown_x(
    names: NameTable, status: Status, hard: bool
) -> None:
    """As KASSIER_ONGELDIG in the rules: blocking only for a measure that claims Rijk money or is
    part of an application (the idea keeps 'Gemeente Foo' as written, with a warning)."""
    kassier = "Gemeente Foo"
    m = twente(kassier=kassier, status=status, rijk_contribution_cents=0 if not hard else 1)
    placed = place_measure(m, names)
    (violation,) = placed.violations
    assert (violation.code, violation.hard, violation.field) == (
        "KASSIER_ONGELDIG",
        hard,
        "kassier",
    )
    assert "'Gemeente Foo' is geen gemeente" in violation.message
    assert placed.measure.kassier == "Gemeente Foo"
