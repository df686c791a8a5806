"""The council report's hotspot section on the SYNTHETIC ramp (value 10 + x °C, x in km, 100 m
pixels): above 35 °C lie the columns 250-299 (centres 25,05 .. 29,95 km), one hotspot of
50 x 100 pixels = 5.000 ha in Ceedorp (x 20-30), maximum 39,95 °C. A granted measure inside it
(wateroverlast and hitte, as heat alone is not eligible) reaches it with EUR 100.000."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from adaptatie.finance.ledger import Ledger
from adaptatie.finance.records import ClimateTheme, Measure, Status
from adaptatie.regions.models import RegionKind
from adaptatie.report import build_report
from adaptatie.report.exposure_section import exposure_section, plain_row
from adaptatie.stresstest.results import ResultsStore
from adaptatie.workspace import Workspace
from tests.synthetic import KM, X0, Y0

ALLOCATIONS = """
format_version = 1
[[allocation]]
werkregio = "WR"
basis = "maximum"
max_rijk_eur = 1_000_000
source = "SYNTHETISCH toewijzingsbericht"
date = "2024-04-24"
"""


@pytest.fixture
def workspace(store: ResultsStore, synthetic_dir: Path, tmp_path: Path) -> Workspace:
    space = Workspace(synthetic_dir, tmp_path / "regions.toml", tmp_path / "home")
    space.__dict__["atlas"] = store.atlas
    return space


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    allocations = tmp_path / "allocations.toml"
    allocations.write_text(ALLOCATIONS, encoding="utf-8")
    opened = Ledger.open(
        f"sqlite:///{tmp_path / 'x.sqlite'}",
        regions_file=tmp_path / "regions.toml",
        allocations_path=allocations,
    )
    opened.add(
        Measure(
            id="WR-001",
            name="Groen schoolplein Ceedorp",
            werkregio="WR",
            status=Status.TOEGEKEND,
            themes=frozenset({ClimateTheme.HITTE, ClimateTheme.WATEROVERLAST}),
            gemeente="Ceedorp",
            round=2022,
            total_cost_cents=450_000_00,
            eligible_cost_cents=300_000_00,
            rijk_contribution_cents=100_000_00,
            kassier="Gemeente Ceedorp",
            completion_date=dt.date(2027, 12, 31),
            location_wkt=f"POINT ({X0 + 27.5 * KM} {Y0 + 5 * KM})",
        ),
        user="test",
    )
    yield opened
    opened.close()


def test_section_numbers_by_hand(workspace: Workspace, ledger: Ledger) -> None:
    layer = workspace.catalogue.get("hitte-ramp")
    ceedorp = workspace.atlas.region(RegionKind.GEMEENTE, "GM9003", 2017)
    section = exposure_section(workspace, ceedorp, ledger, layer)
    assert section is not None and section.synthetic
    assert section.hotspots[0][0] == "Hotspot"
    assert section.hotspots[1][:4] == ("H1", "5.000,00 ha", "39,95", "ja")
    assert section.hotspots[1][4] == "€ 100.000"
    assert "1 hotspot(s)" in section.sentences[0] and "5.000,0 ha" in section.sentences[0]
    assert "1 daarvan bereikt" in section.sentences[0]
    assert "€ 100.000" in section.sentences[1]
    beedorp = workspace.atlas.region(RegionKind.GEMEENTE, "GM9002", 2017)
    none = exposure_section(workspace, beedorp, ledger, layer)
    assert none is not None and "geen hotspots" in none.sentences[0] and not none.hotspots


def test_the_pdf_shows_the_section(workspace: Workspace, ledger: Ledger, tmp_path: Path) -> None:
    ceedorp = workspace.atlas.region(RegionKind.GEMEENTE, "GM9003", 2017)
    path = build_report(workspace, ceedorp, tmp_path / "r.pdf", ledger=ledger)
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(path.read_bytes())).pages
    )
    assert "Hotspots, blootstelling en maatregelen" in text
    assert "5.000,00 ha" in text


@pytest.mark.parametrize(
    ("column", "value", "unit", "expected"),
    [
        ("panden boven 0,15 m", 12, "m", ("panden met meer dan 0,15 m water tegen de gevel", "12")),
        (
            "woningen boven 0,3 m",
            1234,
            "m",
            ("woningen met meer dan 0,3 m water tegen de gevel", "1.234"),
        ),
        (
            "objecten:school boven 0,3 m",
            2,
            "m",
            ("objecten 'school' met meer dan 0,3 m water", "2"),
        ),
        (
            "weglengte onbegaanbaar >15 cm (m)",
            2052,
            "m",
            ("weglengte onbegaanbaar (15-30 cm water)", "2.052 m"),
        ),
        ("panden boven 35 °C", 3, "°C", ("panden met een waarde boven 35 °C", "3")),
        (
            "panden geen gegevens",
            4,
            "m",
            ("panden zonder gegevens (buiten de stresstestlaag)", "4"),
        ),
        # Left out: counts per class, totals, and "no data" when there is none.
        ("panden > 50 cm", 7, "m", None),
        ("panden", 100, "m", None),
        ("panden geen gegevens", 0, "m", None),
        ("weglengte begaanbaar (m)", 10, "m", None),
    ],
)
def test_object_rows_in_plain_dutch(
    column: str, value: float, unit: str, expected: tuple[str, str] | None
) -> None:
    assert plain_row(column, value, unit) == expected
