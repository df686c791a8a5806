"""The council report places every measure by its gemeente, or says which it cannot place.

Issue 14: a measure imported with gemeente 'Hengelo' (CBS 2024: 'Hengelo (O.)', GM0164) was left
out of the Twents Waternet report. Two measures, € 350.000 in Enschede and € 150.000,16 in
Hengelo, make € 500.000,16 together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from adaptatie.finance.imports import import_bytes
from adaptatie.finance.ledger import Ledger
from adaptatie.regions.models import RegionKind
from adaptatie.report import build_report
from adaptatie.report.content import gather
from adaptatie.workspace import Workspace
from tests.finance.factories import HEADER, csv_bytes, measure
from tests.pdftext import pages

GENERATED = dt.date(2026, 11, 27)
ENSCHEDE = (
    "TWN-101;Wadi Enschede-Zuid;Twents Waternet;Enschede;wateroverlast;toegekend;2022;"
    "1.200.000;1.050.000;350.000;Gemeente Enschede;31-12-2027"
)
HENGELO = (
    "TWN-102;Regentuin Hengelo;Twents Waternet;Hengelo;wateroverlast;toegekend;2022;"
    "600.000;450.000,48;150.000,16;Gemeente Enschede;31-12-2027"
)


@pytest.fixture(scope="module")
def real(shared_geodata: Path, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace(shared_geodata, home=tmp_path_factory.mktemp("home"))


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'adaptatie.sqlite'}"


@pytest.fixture
def ledger(real: Workspace, url: str) -> Iterator[Ledger]:
    with Ledger.open(url, names=real.atlas.names()) as opened:
        yield opened


@pytest.mark.parametrize(("year", "hengelo"), [(2024, "Hengelo (O.)"), (2017, "Hengelo")])
def test_imported_hengelo_is_in_the_twents_waternet_report(
    real: Workspace, ledger: Ledger, year: int, hengelo: str
) -> None:
    result = import_bytes(ledger, csv_bytes(HEADER, ENSCHEDE, HENGELO), "twente.csv", user="A")
    assert "Rij 3, maatregel TWN-102: Gemeente 'Hengelo' opgeslagen als 'Hengelo (O.)'." in (
        result.notes
    )
    twente = real.atlas.region(RegionKind.SAMENWERKINGSVERBAND, "TWN", year)
    finance = gather(real, twente, ledger, GENERATED).finance
    assert finance.remarks == (
        "2 maatregel(en) in de gemeenten van deze regio; samen € 500.000,16 rijksbijdrage "
        "(alle statussen, onbekende bedragen als 0).",
    )
    assert finance.measures[1:] == (
        ("TWN-101 Wadi Enschede-Zuid", "Enschede", "WR-TWN", "toegekend", "€ 350.000"),
        ("TWN-102 Regentuin Hengelo", hengelo, "WR-TWN", "toegekend", "€ 150.000,16"),
    )


def test_stored_measures_that_cannot_be_placed_are_named(
    real: Workspace, url: str, tmp_path: Path
) -> None:
    # Stored before names were resolved (a ledger without a name table stores what was typed).
    with Ledger.open(url) as old:
        for mid, gemeente, cents in (
            ("TWN-201", "hengelo", 150_000_16),
            ("TWN-202", "Onbekendorp", 60_000_00),
            ("TWN-203", "", 30_000_00),
        ):
            old.add(
                measure(
                    id=mid,
                    name=f"Maatregel {mid[-1]}",
                    werkregio="WR-TWN",
                    gemeente=gemeente,
                    kassier="Gemeente Enschede",
                    eligible_cost_cents=3 * cents,
                    total_cost_cents=3 * cents,
                    rijk_contribution_cents=cents,
                ),
                user="Oud",
            )
        twente = real.atlas.region(RegionKind.SAMENWERKINGSVERBAND, "TWN", 2024)
        finance = gather(real, twente, old, GENERATED).finance
        out = build_report(real, twente, tmp_path / "twn.pdf", ledger=old, generated=GENERATED)
    assert finance.remarks[0] == (
        "1 maatregel(en) in de gemeenten van deze regio; samen € 150.000,16 rijksbijdrage "
        "(alle statussen, onbekende bedragen als 0)."
    )
    assert finance.measures[1][:2] == ("TWN-201 Maatregel 1", "Hengelo (O.)")
    assert finance.remarks[1].startswith(
        "1 maatregel kon niet aan een gemeente worden gekoppeld en is hier niet meegeteld: "
        "TWN-202 Maatregel 2 (gemeente 'Onbekendorp': 'Onbekendorp' is geen gemeente in de "
        "CBS-indeling 2017–2024."
    )
    assert finance.remarks[1].endswith(
        "Oplossing: corrigeer de gemeente op de pagina Cofinanciering."
    )
    assert finance.remarks[2] == (
        "1 maatregel heeft geen gemeente en telt alleen mee bij de werkregio: TWN-203."
    )
    text = "\n".join(pages(out))
    assert "1 maatregel kon niet aan een gemeente worden gekoppeld" in text
    assert "TWN-202" in text
