"""The council report on the SYNTHETIC world of tests/synthetic.py: numbers worked out by hand.

The synthetic heat ramp (tests/test_risk.py) has value 10 + x °C (x in km), so Beedorp (x 10-20)
has mean 25,0 °C and the cluster WEST (Beedorp + Ceedorp, x 10-30) 30,0 °C, of which 25 % lies
above 35 °C (x 25-30 of x 10-30).
"""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest
import shapely

from adaptatie.finance.ledger import Ledger
from adaptatie.finance.records import ClimateTheme, Measure, Status
from adaptatie.regions.atlas import Atlas
from adaptatie.regions.models import RegionKind
from adaptatie.report import build_report, report_filename
from adaptatie.stresstest.results import ResultsStore
from adaptatie.workspace import Workspace
from tests.pdftext import pages

GENERATED = dt.date(2026, 11, 27)
LAYER_SOURCE = "ramp.tif"  # the layer's source: the file name when none was given

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
    space.__dict__["atlas"] = store.atlas  # share the synthetic atlas of the store
    return space


@pytest.fixture
def empty_workspace(synthetic_atlas: Atlas, synthetic_dir: Path, tmp_path: Path) -> Workspace:
    space = Workspace(synthetic_dir, tmp_path / "regions.toml", tmp_path / "empty-home")
    space.__dict__["atlas"] = synthetic_atlas
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
            name="Wadi Ceedorp-Zuid",
            werkregio="WR",
            status=Status.TOEGEKEND,
            themes=frozenset({ClimateTheme.WATEROVERLAST}),
            gemeente="Ceedorp",
            round=2022,
            total_cost_cents=450_000_00,
            eligible_cost_cents=300_000_00,
            rijk_contribution_cents=100_000_00,
            kassier="Gemeente Ceedorp",
            completion_date=dt.date(2027, 12, 31),
        ),
        user="test",
    )
    yield opened
    opened.close()


def region(workspace: Workspace, kind: RegionKind, region_id: str):
    return workspace.atlas.region(kind, region_id, 2017)


def test_municipality_report(workspace: Workspace, tmp_path: Path) -> None:
    beedorp = region(workspace, RegionKind.GEMEENTE, "GM9002")
    out = build_report(workspace, beedorp, tmp_path / "b.pdf", generated=GENERATED)
    texts = pages(out)
    everything = "\n".join(texts)
    assert "Gemeente Beedorp" in texts[0]
    assert "GM9002" in texts[0]
    assert "100,0 km²" in texts[0]  # 10 km x 10 km
    assert "Waterschap West" in texts[0] and "50,0 %" in texts[0]
    assert "25,0 °C" in everything  # mean of x 10-20 km
    assert "Maximum 30,0 °C" in everything  # last pixel centre at x 19.95 km, 29.95 rounds up
    assert LAYER_SOURCE in texts[-1]
    assert "27-11-2026" in texts[-1]
    assert "Nog niet vastgelegd in het dashboard." in everything
    assert "geen maatregelenregister gekoppeld" in everything
    for text in texts:
        if "°C" in text or LAYER_SOURCE in text:
            assert "SYNTHETISCHE GEGEVENS" in text
    assert "SYNTHETISCHE GEGEVENS" not in texts[0]  # the profile shows no layer numbers


def test_cluster_report(workspace: Workspace, tmp_path: Path, ledger: Ledger) -> None:
    west = region(workspace, RegionKind.CLUSTER, "WEST")
    out = build_report(workspace, west, tmp_path / "w.pdf", ledger=ledger, generated=GENERATED)
    texts = pages(out)
    everything = "\n".join(texts)
    assert "Cluster Oostcluster" in texts[0]
    assert "GM9002" in texts[0] and "GM9003" in texts[0]
    assert "30,0 °C" in everything
    assert "heeft 25,0 % van de oppervlakte een gevoelstemperatuur boven 35 °C" in everything
    # Co-financing of a cluster: the measures in its municipalities.
    assert "Wadi Ceedorp-Zuid" in everything
    assert "€ 100.000" in everything
    assert "SYNTHETISCH" in texts[1]  # the map page shows the synthetic layer
    assert "SYNTHETISCHE GEGEVENS" in texts[-1]


def test_werkregio_report_with_allocation(
    workspace: Workspace, tmp_path: Path, ledger: Ledger
) -> None:
    werkregio = region(workspace, RegionKind.WERKREGIO, "WR")
    out = build_report(workspace, werkregio, tmp_path / "wr.pdf", ledger=ledger)
    everything = "\n".join(pages(out))
    assert "€ 1.000.000" in everything  # allocation
    assert "SYNTHETISCH toewijzingsbericht" in everything
    assert "Toegekend" in everything and "€ 100.000" in everything


def test_report_without_layers(
    empty_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the report must not use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    west = region(empty_workspace, RegionKind.CLUSTER, "WEST")
    out = build_report(empty_workspace, west, tmp_path / "leeg.pdf", generated=GENERATED)
    texts = pages(out)
    everything = "\n".join(texts)
    assert "Geen stresstestlagen beschikbaar" in texts[1]
    assert "geen stresstestlagen beschikbaar" in everything
    assert "SYNTHETISCHE GEGEVENS" not in everything


def test_report_is_offline(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the report must not use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    beedorp = region(workspace, RegionKind.GEMEENTE, "GM9002")
    assert build_report(workspace, beedorp, tmp_path / "o.pdf").is_file()


def test_report_filename(workspace: Workspace) -> None:
    west = region(workspace, RegionKind.CLUSTER, "WEST")
    assert report_filename(west) == "raadsrapportage-cluster-oostcluster-2017.pdf"


def test_dpra_progress_appears_when_recorded(
    workspace: Workspace, tmp_path: Path, ledger: Ledger
) -> None:
    import datetime as dt

    from adaptatie.progress.book import Progress, ProgressBook

    west = region(workspace, RegionKind.CLUSTER, "WEST")
    before = "\n".join(pages(build_report(workspace, west, tmp_path / "a.pdf", ledger=ledger)))
    assert "Voortgang DPRA Nog niet vastgelegd in het dashboard." in before
    ProgressBook(ledger.engine, today=lambda: dt.date(2026, 11, 27)).save(
        Progress("gemeente", "GM9003", 1, 2019, risk_dialogue_date=dt.date(2020, 3, 12)),
        user="Facilitator",
    )
    after = "\n".join(pages(build_report(workspace, west, tmp_path / "b.pdf", ledger=ledger)))
    assert "ronde 1, 2019" in after
    assert "12-03-2020" in after


def test_workshop_outcomes_appear_in_the_report(
    workspace: Workspace, tmp_path: Path, ledger: Ledger
) -> None:
    import datetime as dt

    from adaptatie.dialogue.workshops import WorkshopBook

    book = WorkshopBook(ledger.engine)
    workshop = book.create(
        region_kind="cluster",
        region_code="WEST",
        region_name="Oostcluster",
        boundary_year=2017,
        held_on=dt.date(2026, 10, 1),
        place="Dorpshuis Beedorp",
        participants="raad",
        themes=("hitte",),
        user="F",
    )
    book.save_field(workshop.id, "hitte", "Marktplein", "acceptable", "onacceptabel", user="F")
    book.save_field(workshop.id, "hitte", "Marktplein", "actions", "Bomen planten", user="F")
    book.save_field(
        workshop.id, "hitte", "Marktplein", "meekoppelkansen", "Herinrichting 2027", user="F"
    )
    west = region(workspace, RegionKind.CLUSTER, "WEST")
    text = "\n".join(pages(build_report(workspace, west, tmp_path / "r.pdf", ledger=ledger)))
    assert "Dorpshuis Beedorp" in text
    assert "Marktplein" in text and "Bomen planten" in text and "onacceptabel" in text
    assert "Meekoppelkansen" in text and "Herinrichting 2027" in text


def test_cooperation_report_on_real_boundaries(shared_geodata: Path, tmp_path: Path) -> None:
    real = Workspace(shared_geodata, home=tmp_path / "home")
    twente = real.atlas.region(RegionKind.SAMENWERKINGSVERBAND, "TWN", 2024)
    text = "\n".join(pages(build_report(real, twente, tmp_path / "twn.pdf")))
    assert "Samenwerkingsverband Twents Waternet" in text
    assert "GM0153" in text  # Enschede among the members
    assert "Geen stresstestlagen beschikbaar" in text or "geen stresstestlagen" in text


def test_the_map_names_each_member_municipality_inside_it(shared_geodata: Path) -> None:
    from adaptatie.report.figures import member_labels

    real = Workspace(shared_geodata)
    nvs = real.atlas.region(RegionKind.SAMENWERKINGSVERBAND, "NVS", 2024)
    gemeenten = real.atlas.gemeenten(2024)
    labels = member_labels(gemeenten, nvs)
    # Noordelijke Vechtstromen: Borger-Odoorn, Coevorden, Emmen, Hardenberg, Ommen (FACTS.md).
    assert sorted(name for name, _, _ in labels) == [
        "Borger-Odoorn", "Coevorden", "Emmen", "Hardenberg", "Ommen"
    ]  # fmt: skip
    by_name = gemeenten.set_index("name").geometry
    for name, x, y in labels:
        assert by_name[name].contains(shapely.Point(x, y)), name


def test_legend_title_never_puts_metres_over_classes_in_cm() -> None:
    from adaptatie.config import themes_file
    from adaptatie.io.themes_file import read_themes
    from adaptatie.stresstest.themes import legend_title

    themes = read_themes(themes_file())
    assert legend_title(themes["wateroverlast"]) == "waterdiepte"
    assert legend_title(themes["hitte"]) == "gevoelstemperatuur (PET)"
    assert legend_title(themes["droogte"]) == "risicoklasse droogte"
