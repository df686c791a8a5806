"""After every save, import or delete on the Cofinanciering page, every view and download shows
what is stored (issue 14, item 4), and gemeente/kassier are resolved against the CBS names
(item 2). Amounts by hand: Rijk € 100.000 on € 300.000 eligible is exactly a third."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from adaptatie.accounts.roles import Role
from adaptatie.finance.ledger import Ledger
from adaptatie.finance.records import ClimateTheme, Measure, Status
from tests.cofinanciering import fill, finance_page
from tests.finance.factories import HEADER, csv_bytes
from tests.logins import add_account, login
from tests.pagetext import shown


@pytest.fixture(autouse=True)
def home(app_home: Callable[..., Path]) -> Path:
    return app_home()  # the real boundaries, an empty home folder


def url(home: Path) -> str:
    return f"sqlite:///{home / 'adaptatie.sqlite'}"


def editor(home: Path) -> AppTest:
    add_account(home, "tester", Role.REDACTEUR)
    return login(finance_page(), "tester")


def overview_row(at: AppTest, werkregio: str) -> dict[str, object]:
    table = at.dataframe[0].value
    return table[table["Werkregio"] == werkregio].iloc[0].to_dict()


def fill_meppel(at: AppTest, **changes: str) -> None:
    values = {
        "id": "FLU-001",
        "name": "Wadi Meppel-Noord",
        "gemeente": "Meppel",
        "kassier": "Meppel",
        "total": "450.000",
        "eligible": "300.000",
        "rijk": "100.000",
    }
    fill(at, **{**values, **changes})
    at.selectbox(key="fin_werkregio___nieuw__").set_value("WR-FLU")
    at.multiselect(key="fin_themes___nieuw__").set_value([ClimateTheme.WATEROVERLAST])


def save(at: AppTest) -> AppTest:
    return next(b for b in at.button if b.label == "Opslaan").click().run()


def texts(elements: object) -> list[str]:
    return [shown(e.value) for e in elements]  # type: ignore[attr-defined]


def test_save_updates_every_view_in_the_same_run_and_empties_the_form(home: Path) -> None:
    at = editor(home)
    assert overview_row(at, "Fluvius")["Maatregelen"] == 0
    fill_meppel(at)
    at = save(at)
    assert not at.exception
    assert any("Maatregel FLU-001 opgeslagen (versie 1)" in t for t in texts(at.success))
    assert "Kassier 'Meppel' opgeslagen als 'Gemeente Meppel'." in texts(at.info)
    fluvius = overview_row(at, "Fluvius")
    assert (fluvius["Maatregelen"], fluvius["Totale kosten"]) == (1, "€ 450.000")
    assert "1 maatregel(en); samen € 100.000 rijksbijdrage." in texts(at.caption)
    assert at.text_input(key="fin_id___nieuw__").value == ""
    assert at.text_input(key="fin_rijk___nieuw__").value == ""

    # A second click on the emptied form adds nothing.
    at = save(at)
    assert at.error, "an empty form must be refused"
    with Ledger.open(url(home)) as ledger:
        assert [m.id for m in ledger.measures()] == ["FLU-001"]
        assert ledger.get("FLU-001").kassier == "Gemeente Meppel"
    assert overview_row(at, "Fluvius")["Maatregelen"] == 1


def test_a_refused_save_keeps_the_form_and_asks_back_about_groningen(home: Path) -> None:
    at = editor(home)
    fill_meppel(at, kassier="Groningen")
    at = save(at)
    errors = "\n".join(texts(at.error))
    assert "KASSIER_ONDUIDELIJK" in errors
    assert "schrijf 'Gemeente Groningen' of 'Provincie Groningen'" in errors
    assert at.text_input(key="fin_id___nieuw__").value == "FLU-001"  # kept, to correct it
    assert at.text_input(key="fin_kassier___nieuw__").value == "Groningen"
    with Ledger.open(url(home)) as ledger:
        assert ledger.measures() == []
    at.text_input(key="fin_kassier___nieuw__").set_value("Provincie Drenthe")
    at = save(at)
    assert any("Maatregel FLU-001 opgeslagen" in t for t in texts(at.success))


def test_save_stores_hengelo_as_cbs_writes_it(home: Path) -> None:
    at = editor(home)
    fill_meppel(at, id="TWN-001", gemeente="Hengelo", kassier="Emmen")
    at.selectbox(key="fin_werkregio___nieuw__").set_value("WR-TWN")
    at = save(at)
    assert "Gemeente 'Hengelo' opgeslagen als 'Hengelo (O.)'." in texts(at.info)
    with Ledger.open(url(home)) as ledger:
        stored = ledger.get("TWN-001")
    assert (stored.gemeente, stored.kassier) == ("Hengelo (O.)", "Gemeente Emmen")


FOUR = [
    "FLU-011;Wadi A;Fluvius;Meppel;wateroverlast;idee;;40.000;30.000;10.000;;",
    "FLU-012;Wadi B;Fluvius;Meppel;wateroverlast;idee;;40.000;30.000;10.000;;",
    "TWN-011;Wadi C;Twents Waternet;Hengelo;wateroverlast;idee;;40.000;30.000;10.000;;",
    "TWN-012;Wadi D;Twents Waternet;Enschede;wateroverlast;idee;;40.000;30.000;10.000;;",
]


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], object]]:
    """The callables of deferred download buttons, by file name (AppTest cannot click them)."""
    found: dict[str, Callable[[], object]] = {}
    original = MediaFileManager.add_deferred

    def record(self: MediaFileManager, data_callable, mimetype, coordinates, file_name=None, **kw):
        found[str(file_name).split("_")[0] + Path(str(file_name)).suffix] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return found


def test_import_updates_the_views_and_the_csv_download(
    home: Path, deferred: dict[str, Callable[[], object]]
) -> None:
    at = editor(home)
    at.file_uploader(key="finance_import").upload("vier.csv", csv_bytes(HEADER, *FOUR), "text/csv")
    at = at.run()
    at = next(b for b in at.button if b.label == "Inlezen").click().run()
    assert not at.exception
    assert any("4 maatregel(en) ingelezen uit vier.csv" in t for t in texts(at.success))
    assert "Rij 4, maatregel TWN-011: Gemeente 'Hengelo' opgeslagen als 'Hengelo (O.)'." in (
        texts(at.info)
    )
    assert overview_row(at, "Fluvius")["Maatregelen"] == 2
    assert overview_row(at, "Twents Waternet")["Maatregelen"] == 2
    assert "4 maatregel(en); samen € 40.000 rijksbijdrage." in texts(at.caption)
    data = deferred["maatregelen.csv"]()
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else str(data)
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=";") if r and r[0] != "id"]
    assert sorted(r[0] for r in rows) == ["FLU-011", "FLU-012", "TWN-011", "TWN-012"]


def test_delete_updates_the_views_and_says_so(home: Path) -> None:
    at = editor(home)
    fill_meppel(at)
    at = save(at)
    at.selectbox(key="finance_edit_choice").set_value("FLU-001").run()
    at.checkbox(key="finance_delete_sure").check().run()
    at = next(b for b in at.button if b.label == "Maatregel FLU-001 verwijderen").click().run()
    assert not at.exception
    assert any("Maatregel FLU-001 verwijderd" in t for t in texts(at.success))
    assert overview_row(at, "Fluvius")["Maatregelen"] == 0
    assert at.selectbox(key="finance_edit_choice").value == "__nieuw__"
    with Ledger.open(url(home)) as ledger:
        assert ledger.measures() == []


def test_a_stored_measure_without_a_known_gemeente_is_named_on_the_page(
    home: Path,
) -> None:
    with Ledger.open(url(home)) as old:  # stored before names were resolved
        old.add(
            Measure(
                id="TWN-009",
                name="Oud",
                werkregio="WR-TWN",
                status=Status.IDEE,
                themes=frozenset({ClimateTheme.WATEROVERLAST}),
                gemeente="Onbekendorp",
            ),
            user="Oud",
        )
    at = finance_page()
    warnings = "\n".join(texts(at.warning))
    assert (
        "1 maatregel(en) kon(den) niet aan een gemeente worden gekoppeld en tellen niet mee in "
        "de overzichten per gemeente (raadsrapportage): TWN-009 (gemeente 'Onbekendorp': "
        "'Onbekendorp' is geen gemeente in de CBS-indeling 2017–2024.)." in warnings
    ), warnings
