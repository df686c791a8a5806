"""A ledger database written by the code before issue 11 (the restructuring) still opens.

``tests/fixtures/ledger-2026-12-01.sqlite`` was created by main at commit 222a9d8 (schema revision
0003): measures FLU-001 (added) and FLU-002 (added, then renamed: version 2), the allocation of
WR-FLU raised to EUR 2.000.000 by "Beheer", one DPRA progress row of GM0114 (three history rows),
one workshop in Emmen (step 1) with two outcomes, and 45 audit entries. The test opens a copy with
today's code, finds every row and saves a change.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

from adaptatie.dialogue.workshops import WorkshopBook
from adaptatie.finance.ledger import Ledger
from adaptatie.progress.book import ProgressBook

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ledger-2026-12-01.sqlite"


def test_database_of_the_previous_layout_opens_shows_every_row_and_saves(tmp_path: Path) -> None:
    copy = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURE, copy)
    url = f"sqlite:///{copy}"
    with Ledger.open(url) as ledger:
        measures = {m.id: m for m in ledger.measures()}
        assert set(measures) == {"FLU-001", "FLU-002"}
        assert measures["FLU-002"].name == "Groen schoolplein Meppel-Oost"
        assert measures["FLU-002"].version == 2
        allocation = ledger.allocations()["WR-FLU"]
        assert (allocation.max_rijk_cents, allocation.note) == (2_000_000_00, "verhoogd")
        # migration 0007: the old internal document number and English quote are gone
        nvs = ledger.allocations()["WR-NVS"]
        assert nvs.source.startswith('"Samenwerking Noordelijke Vechtstromen: prettige')
        assert "klantdocument" not in nvs.source and "lays claim" not in nvs.note
        assert len(ledger.audit()) == 45
        progress = ProgressBook(ledger.engine).get("gemeente", "GM0114")
        assert (progress.stress_test_year, progress.risk_dialogue_date) == (
            2019,
            dt.date(2020, 3, 12),
        )
        assert len(ProgressBook(ledger.engine).history("gemeente", "GM0114")) == 3
        workshops = WorkshopBook(ledger.engine)
        (workshop,) = workshops.all()
        assert (workshop.place, workshop.current_step) == ("Raadzaal Emmen", 1)
        outcomes = {(o.hotspot, o.acceptable, o.actions) for o in workshops.outcomes(workshop.id)}
        # migration 0005: "niet acceptabel" is now the acceptance class "onacceptabel"
        assert outcomes == {("", "onacceptabel", ""), ("Centrum", "", "wadi bij de school")}
        assert workshop.dialogue_round == (2 if workshop.held_on.year >= 2025 else 1)
        # and it can still be written
        saved = ledger.update(replace(measures["FLU-001"], name="Wadi Meppel-Zuid"), 1, user="C")
        assert saved.measure.version == 2
        workshops.save_field(workshop.id, "hitte", "", "priority", "hoog", user="C")
    with Ledger.open(url) as reopened:
        assert reopened.get("FLU-001").name == "Wadi Meppel-Zuid"
        assert len(WorkshopBook(reopened.engine).outcomes(workshop.id)) == 3
        assert len(reopened.audit()) > 45
