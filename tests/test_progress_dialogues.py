"""A risk dialogue held on the Risicodialoog page counts in DPRA-voortgang (derived, not typed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from adaptatie.dialogue.records import Workshop
from adaptatie.dialogue.workshops import WorkshopBook
from adaptatie.finance.ledger import Ledger
from adaptatie.progress.book import Progress
from adaptatie.progress.dialogues import by_row, counts_for, held_dialogues, steps_done
from adaptatie.regions.atlas import Atlas
from tests.pagetext import shown

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 12, 1)


def workshop(
    kind: str, code: str, name: str, year: int, held_on: dt.date, workshop_id: int = 1
) -> Workshop:
    return Workshop(
        workshop_id, kind, code, name, year, held_on, "Raadzaal", "", ("hitte",), 0, "F", 1
    )


@pytest.mark.parametrize(
    ("kind", "code", "year", "expected"),
    [
        ("gemeente", "GM0119", 2024, {"Meppel"}),
        # Cluster DAL as defined in 2017: Delfzijl, Appingedam and Loppersum are Eemsdelta now.
        ("cluster", "DAL", 2017, {"Eemsdelta"}),
        # Groningen of 2018 is most of Groningen of 2024 (with Haren and Ten Boer added).
        ("gemeente", "GM0014", 2018, {"Groningen"}),
        # Haren alone is only about a quarter of today's Groningen: no 2024 row is mostly Haren.
        ("gemeente", "GM0017", 2018, set()),
        ("waterschap", "WS99", 2024, set()),  # a region the data does not have
    ],
)
def test_a_held_workshop_counts_for_the_municipalities_mostly_in_its_region(
    atlas: Atlas, kind: str, code: str, year: int, expected: set[str]
) -> None:
    names = dict(zip(atlas.gemeenten(2024)["code"], atlas.gemeenten(2024)["name"], strict=True))
    keys = counts_for(atlas, workshop(kind, code, code, year, dt.date(2020, 3, 12)), 2024)
    assert all(k == "gemeente" for k, _ in keys)
    assert {names[c] for _, c in keys} == expected


def test_a_werkregio_dialogue_counts_for_the_werkregio_and_its_municipalities(
    atlas: Atlas,
) -> None:
    keys = counts_for(atlas, workshop("werkregio", "WR-FLU", "Fluvius", 2024, TODAY), 2024)
    assert keys[0] == ("werkregio", "WR-FLU")
    # FACTS.md: Meppel, Westerveld, Midden-Drenthe, Hoogeveen, De Wolden (+ Steenwijkerland).
    assert {c for _, c in keys[1:]} == {
        "GM0119", "GM1701", "GM1731", "GM0118", "GM1690", "GM1708",
    }  # fmt: skip


def test_only_workshops_held_by_today_count_oldest_first(atlas: Atlas) -> None:
    later = workshop("gemeente", "GM0119", "Meppel", 2024, dt.date(2026, 5, 4), 1)
    earlier = workshop("gemeente", "GM0119", "Meppel", 2024, dt.date(2020, 3, 12), 2)
    planned = workshop("gemeente", "GM0119", "Meppel", 2024, TODAY + dt.timedelta(days=1), 3)
    dialogues = held_dialogues(atlas, [later, planned, earlier], 2024, TODAY)
    assert [d.workshop.id for d in dialogues] == [2, 1]
    assert [d.text for d in by_row(dialogues)[("gemeente", "GM0119")]] == [
        "12-03-2020, Meppel",
        "04-05-2026, Meppel",
    ]


def test_a_held_dialogue_is_one_step_recorded_or_not(atlas: Atlas) -> None:
    (held,) = held_dialogues(
        atlas, [workshop("gemeente", "GM0119", "Meppel", 2024, dt.date(2026, 5, 4))], 2024, TODAY
    )
    assert steps_done(None, []) == 0
    assert steps_done(None, [held]) == 1
    stress = Progress("gemeente", "GM0119", stress_test_round=1, stress_test_year=2019)
    assert steps_done(stress, [held]) == 2
    both = Progress("gemeente", "GM0119", risk_dialogue_date=dt.date(2026, 5, 4))
    assert steps_done(both, [held]) == 1  # typed in as well: still one step


def test_the_progress_page_shows_held_workshops(app_home: Callable[..., Path]) -> None:
    home = app_home()
    with Ledger.open(f"sqlite:///{home / 'adaptatie.sqlite'}") as ledger:
        book = WorkshopBook(ledger.engine)
        for kind, code, name, year, held_on, place in (
            ("cluster", "DAL", "DAL", 2017, dt.date(2019, 10, 1), "Delfzijl"),
            ("gemeente", "GM0119", "Meppel", 2024, dt.date.today() + dt.timedelta(3), "Meppel"),
        ):
            book.create(
                region_kind=kind,
                region_code=code,
                region_name=name,
                boundary_year=year,
                held_on=held_on,
                place=place,
                participants="",
                themes=("hitte",),
                user="F",
            )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/7_DPRA-voortgang.py")
    at.run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value.set_index("Code")
    assert (table.loc["GM1979", "Risicodialoog"], table.loc["GM1979", "Stappen gezet"]) == (
        "01-10-2019, DAL",
        "1 van 4",
    )
    # Planned (three days from now), not held yet.
    assert (table.loc["GM0119", "Risicodialoog"], table.loc["GM0119", "Stappen gezet"]) == (
        "",
        "0 van 4",
    )
    held = at.dataframe[1].value
    assert held.to_dict("records") == [
        {
            "Datum": "01-10-2019",
            "Regio": "DAL (cluster, grensjaar 2017)",
            "Plaats": "Delfzijl",
            "Ronde": "eerste ronde (2019-2021)",
            "Telt voor": "Eemsdelta",
        }
    ]
    assert any("1 met 1 van 4" in shown(m.value) for m in at.markdown)  # the text alternative
