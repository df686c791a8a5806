"""The Hotspots page, the coverage section of Cofinanciering and the workshop's hotspot picker
through AppTest, on the real boundaries with SYNTHETIC demo layers (2 km), objects, measures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from adaptatie.accounts.roles import Role
from adaptatie.dialogue.workshops import WorkshopBook
from adaptatie.exposure.demo import install_demo_measures, install_demo_objects
from adaptatie.exposure.store import ObjectStore
from adaptatie.finance.auth import PASSWORD_HASH_ENV, hash_password
from adaptatie.finance.ledger import Ledger
from adaptatie.regions.models import RegionKind
from tests.logins import add_account, login
from tests.pagetext import shown

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "lange-testzin-voor-redacteur"


@pytest.fixture(autouse=True)
def home(app_home: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(PASSWORD_HASH_ENV, hash_password(PASSWORD))
    home = app_home(demo_m=2000.0)  # SYNTHETIC demo layers at 2 km
    install_demo_objects(ObjectStore(home))
    with Ledger.open(f"sqlite:///{home / 'adaptatie.sqlite'}") as ledger:
        assert install_demo_measures(ledger) == [f"DEMO-00{i}" for i in range(1, 6)]
    return home


def test_hotspot_page_shows_hotspots_objects_and_coverage() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.switch_page("pages/10_Hotspots.py")
    at = at.run()
    assert not at.exception, at.exception
    assert any("synthetisch" in shown(w.value).lower() for w in at.warning)
    assert any("Hotspots:" in shown(h.value) for h in at.subheader)
    texts = " ".join(shown(m.value) for m in at.markdown)
    assert "hotspots; per regio gerangschikt" in texts
    assert "maatregel(en) tellen mee" in texts
    subheaders = [shown(h.value) for h in at.subheader]
    assert "Gebouwen (synthetisch) (SYNTHETISCH)" in subheaders
    assert any("SYNTHETISCHE objecten" in shown(w.value) for w in at.warning)
    assert len(at.dataframe) >= 5  # hotspots, three object layers, coverage (+ object list)


def test_cofinanciering_coverage_section() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.switch_page("pages/6_Cofinanciering.py")
    at = at.run()
    at.toggle(key="fin_coverage").set_value(True).run()
    assert not at.exception, at.exception
    assert any("Bereiken de maatregelen" in shown(h.value) for h in at.subheader)
    assert any("SYNTHETISCH" in shown(w.value) for w in at.warning)


def test_workshop_picks_a_computed_hotspot(home: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.switch_page("pages/3_Risicodialoog.py")
    at = at.run()
    add_account(home, "facilitator", Role.FACILITATOR)
    at = login(at, "facilitator")
    at.selectbox(key="workshop_region_kind").set_value(RegionKind.GEMEENTE).run()
    at.selectbox(key="workshop_region_region").set_value("GM0114").run()
    at.text_input(key="workshop_place").set_value("Raadzaal Emmen")
    at.multiselect(key="workshop_themes").set_value(["hitte"])
    at = next(b for b in at.button if b.label == "Aanmaken").click().run()
    with Ledger.open(f"sqlite:///{home / 'adaptatie.sqlite'}") as ledger:
        (workshop,) = WorkshopBook(ledger.engine).all()
    at.toggle(key=f"wr_pick_{workshop.id}_hitte").set_value(True).run()
    assert not at.exception, at.exception
    picker = at.selectbox(key=f"wr_choice_{workshop.id}_hitte")
    first = picker.options[1]
    picker.set_value(first).run()
    assert not at.exception, at.exception
    with Ledger.open(f"sqlite:///{home / 'adaptatie.sqlite'}") as ledger:
        (outcome,) = WorkshopBook(ledger.engine).outcomes(workshop.id)
    assert outcome.hotspot == first and outcome.hotspot_ref.startswith("demo-hitte|")
    assert outcome.hotspot_wkt and outcome.hotspot_wkt.startswith("POLYGON")


@pytest.mark.parametrize(
    ("role", "may_add"),
    [(None, False), (Role.LEZER, False), (Role.REDACTEUR, False), (Role.BEHEERDER, True)],
)
def test_only_a_beheerder_may_add_object_layers(
    home: Path, role: Role | None, may_add: bool
) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.switch_page("pages/10_Hotspots.py")
    at = at.run()
    if role is not None:
        add_account(home, "gebruiker", role)
        at = login(at, "gebruiker")
    assert not at.exception, at.exception
    labels = {b.label for b in at.button}
    assert ("Controleren en toevoegen" in labels) is may_add
    assert ("Synthetische demo-objecten toevoegen" in labels) is may_add
    locked = any("Objectlagen toevoegen kan na inloggen" in shown(i.value) for i in at.info)
    assert locked is not may_add
