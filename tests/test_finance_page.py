"""The Cofinanciering page through AppTest: read-only by default, login, a saved and a refused
measure (amounts worked out by hand: the Rijk pays at most 1/3 of the eligible cost)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from adaptatie.accounts.roles import Role
from adaptatie.finance.ledger import Ledger
from adaptatie.finance.records import ClimateTheme, Measure, Status
from tests.cofinanciering import fill, finance_page
from tests.logins import add_account, login
from tests.pagetext import shown

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def home(app_home: Callable[..., Path]) -> Path:
    return app_home()


def test_read_only_without_login() -> None:
    at = finance_page()
    assert not at.exception
    overview = at.dataframe[0].value
    assert set(overview["Werkregio"]) == {
        "Groningen/Noord-Drenthe",
        "Noordelijke Vechtstromen",
        "Fluvius",
        "Twents Waternet",
    }
    twente = overview[overview["Werkregio"] == "Twents Waternet"].iloc[0]
    assert twente["Maximum Rijk"] == "€ 7.900.000 (maximum)"
    assert any("niets wijzigen" in shown(c.value) for c in at.sidebar.caption)
    assert "Maatregel toevoegen of wijzigen" not in [shown(s.value) for s in at.subheader]


def test_login_save_and_refused_save(home: Path) -> None:
    add_account(home, "tester", Role.REDACTEUR)
    at = login(finance_page(), "tester", "fout-wachtwoord-123")
    assert any("wachtwoord klopt niet" in shown(e.value) for e in at.sidebar.error)
    at = login(at, "tester")
    assert "Maatregel toevoegen of wijzigen" in [shown(s.value) for s in at.subheader]

    # Rijk EUR 100.000,01 on EUR 300.000 eligible: one cent more than a third. Refused.
    fill(
        at,
        id="FLU-001",
        name="Wadi Meppel-Noord",
        gemeente="Meppel",
        kassier="Gemeente Meppel",
        total="€ 450.000",
        eligible="300.000",
        rijk="100.000,01",
    )
    at.selectbox(key="fin_werkregio___nieuw__").set_value("WR-FLU")
    at.multiselect(key="fin_themes___nieuw__").set_value([ClimateTheme.WATEROVERLAST])
    at = next(b for b in at.button if b.label == "Opslaan").click().run()
    assert not at.exception
    assert any("FLU-001" in shown(e.value) and "1/3" in shown(e.value) for e in at.error), [
        shown(e.value) for e in at.error
    ]
    with Ledger.open(f"sqlite:///{home / 'adaptatie.sqlite'}") as ledger:
        assert ledger.measures() == []

    # Exactly a third is allowed.
    fill(at, rijk="100.000")
    at = next(b for b in at.button if b.label == "Opslaan").click().run()
    assert any("Maatregel FLU-001 opgeslagen" in shown(s.value) for s in at.success)
    with Ledger.open(f"sqlite:///{home / 'adaptatie.sqlite'}") as ledger:
        (stored,) = ledger.measures()
        assert stored.rijk_contribution_cents == 10_000_000
        assert stored.updated_by == "tester"  # the account, not a typed name
        assert any(e.field == "rijksbijdrage" for e in ledger.audit("FLU-001"))


def test_second_editor_sees_the_conflict_instead_of_overwriting(home: Path) -> None:
    url = f"sqlite:///{home / 'adaptatie.sqlite'}"
    add_account(home, "tester", Role.REDACTEUR)
    with Ledger.open(url) as ledger:
        ledger.add(
            Measure(
                id="TWN-007",
                name="Afkoppelen Oldenzaal",
                werkregio="WR-TWN",
                status=Status.IDEE,
                themes=frozenset({ClimateTheme.WATEROVERLAST}),
                total_cost_cents=30_000_000,
                eligible_cost_cents=30_000_000,
                rijk_contribution_cents=6_000_000,
                kassier="Gemeente Oldenzaal",
            ),
            user="Eerste",
        )
    at = login(finance_page(), "tester")
    at.selectbox(key="finance_edit_choice").set_value("TWN-007").run()
    # Meanwhile someone else raises the contribution (version 1 -> 2).
    with Ledger.open(url) as ledger:
        stored = ledger.get("TWN-007")
        ledger.update(
            replace(stored, rijk_contribution_cents=9_000_000), stored.version, user="Ander"
        )
    at.text_input(key="fin_rijk_TWN-007").set_value("70.000")
    at = next(b for b in at.button if b.label == "Opslaan").click().run()
    assert any("Niet opgeslagen" in shown(e.value) for e in at.error), [e.value for e in at.error]
    assert any(b.label.startswith("Opnieuw laden") for b in at.button)
    with Ledger.open(url) as ledger:
        assert ledger.get("TWN-007").rijk_contribution_cents == 9_000_000  # not overwritten


def progress_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/7_DPRA-voortgang.py")
    return at.run()


def test_dpra_progress_page_records_steps(home: Path) -> None:
    add_account(home, "tester", Role.REDACTEUR)
    at = progress_page()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert {"Fluvius", "Emmen", "Twents Waternet"} <= set(table["Naam"])
    assert set(table["Stappen gezet"]) == {"0 van 4"}
    at = login(at, "tester")
    at.selectbox(key="progress_choice").set_value("gemeente:GM0114").run()
    at.selectbox(key="pr_round_gemeente:GM0114").set_value(1)
    at.number_input(key="pr_year_gemeente:GM0114").set_value(2019)
    at.date_input(key="pr_dialogue_gemeente:GM0114").set_value(dt.date(2020, 3, 12))
    at = next(b for b in at.button if b.label == "Opslaan").click().run()
    assert any("opgeslagen" in shown(s.value) for s in at.success), [e.value for e in at.error]
    row = at.dataframe[0].value.set_index("Code").loc["GM0114"]
    assert (row["Stresstest"], row["Risicodialoog"], row["Stappen gezet"]) == (
        "ronde 1, 2019",
        "12-03-2020",
        "2 van 4",
    )
    # A dialogue "held" in the future is refused.
    at.date_input(key="pr_dialogue_gemeente:GM0114").set_value(
        dt.date.today() + dt.timedelta(days=3)
    )
    at = next(b for b in at.button if b.label == "Opslaan").click().run()
    assert any("ligt in de toekomst" in shown(e.value) for e in at.error)


@pytest.mark.parametrize("role", [Role.LEZER, Role.FACILITATOR])
def test_lezer_and_facilitator_cannot_touch_the_ledger(home: Path, role: Role) -> None:
    add_account(home, "iemand", role)
    at = login(finance_page(), "iemand")
    assert not at.exception
    assert any(f"met de rol {role.value}" in shown(c.value) for c in at.sidebar.caption)
    assert any("redacteur of beheerder nodig" in shown(c.value) for c in at.sidebar.caption)
    assert "Maatregel toevoegen of wijzigen" not in [shown(s.value) for s in at.subheader]
    assert not [b for b in at.button if b.label in ("Opslaan", "Inlezen")]


def test_a_role_taken_away_before_saving_saves_nothing(home: Path) -> None:
    from adaptatie.accounts.store import AccountStore
    from adaptatie.db.engine import make_engine

    add_account(home, "beheer", Role.BEHEERDER)
    add_account(home, "tester", Role.REDACTEUR)
    at = login(finance_page(), "tester")
    fill(at, id="FLU-009", name="Regenton", kassier="Gemeente Meppel", rijk="1.000")
    at.selectbox(key="fin_werkregio___nieuw__").set_value("WR-FLU")
    at.multiselect(key="fin_themes___nieuw__").set_value([ClimateTheme.WATEROVERLAST])
    url = f"sqlite:///{home / 'adaptatie.sqlite'}"
    AccountStore(make_engine(url)).set_role("tester", Role.LEZER)  # meanwhile, by the beheerder
    at = next(b for b in at.button if b.label == "Opslaan").click().run()
    assert not at.exception
    assert any("sessie is beëindigd" in shown(i.value) for i in at.sidebar.info)
    assert "Maatregel toevoegen of wijzigen" not in [shown(s.value) for s in at.subheader]
    with Ledger.open(url) as ledger:
        assert ledger.measures() == []
