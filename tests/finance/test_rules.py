"""The Impulsregeling rules, with hand-computed cases at and around every boundary."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from adaptatie.finance.allocation_rules import (
    check_all,
    check_werkregio,
    duplicate_violations,
    evaluate_change,
)
from adaptatie.finance.records import Allocation, AllocationBasis, ClimateTheme, Status
from adaptatie.finance.rules import RULES, check_measure, kassier_problem, max_rijk_cents
from tests.finance.factories import measure

ALLOCATIONS = {
    "WR-FLU": Allocation(
        "WR-FLU", "Fluvius", 500_000_000, AllocationBasis.MAXIMUM, "Provincie Drenthe", "2024-04-24"
    ),
    "WR-NVS": Allocation(
        "WR-NVS", "Noordelijke Vechtstromen", 540_000_000, AllocationBasis.GECLAIMD, "doc 000"
    ),
    "WR-GND": Allocation(
        "WR-GND", "Groningen/Noord-Drenthe", None, AllocationBasis.ONBEKEND, "nieuws", "2023-04"
    ),
}


def codes(violations, hard: bool | None = None) -> list[str]:
    return sorted(v.code for v in violations if hard is None or v.hard == hard)


def test_the_valid_base_measure_breaks_no_rule() -> None:
    assert check_measure(measure(), ALLOCATIONS) == []


# -- 1/3 rule: 3 * rijk <= eligible, exact in cents ------------------------------------------


@pytest.mark.parametrize(
    ("eligible", "rijk", "ok"),
    [
        (300_000_00, 100_000_00, True),  # exactly 1/3
        (300_000_00, 100_000_01, False),  # one cent over
        (300_000_00, 99_999_99, True),  # one cent under
        (100, 33, True),  # EUR 1.00: floor(100/3) = 33 cents
        (100, 34, False),  # 3 * 34 = 102 > 100
        (101, 33, True),
        (102, 34, True),  # exactly 1/3 again
        (0, 0, True),
        (0, 1, False),
    ],
)
def test_rijk_at_most_one_third_of_eligible(eligible: int, rijk: int, ok: bool) -> None:
    m = measure(
        eligible_cost_cents=eligible, total_cost_cents=eligible, rijk_contribution_cents=rijk
    )
    found = check_measure(m, ALLOCATIONS)
    assert ("EENDERDE" in codes(found, hard=True)) is not ok


def test_one_third_message_names_measure_rule_numbers_and_fix() -> None:
    m = measure(rijk_contribution_cents=100_000_01)
    (v,) = check_measure(m, ALLOCATIONS)
    assert v.code == "EENDERDE" and v.hard and v.field == "rijksbijdrage"
    assert "FLU-001" in v.message and "Wadi Meppel-Noord" in v.message
    assert "€ 100.000,01" in v.message and "€ 300.000,00" in v.message
    assert "maximum is € 100.000,00" in v.message and "€ 0,01 te veel" in v.message
    assert "Oplossing: verlaag de rijksbijdrage tot hoogstens € 100.000,00" in v.message


def test_max_rijk_is_floor_of_a_third() -> None:
    assert max_rijk_cents(300_000_00) == 100_000_00
    assert max_rijk_cents(100) == 33
    assert max_rijk_cents(2) == 0


# -- eligible <= total -----------------------------------------------------------------------


def test_eligible_above_total_is_hard_even_for_ideas() -> None:
    at = measure(total_cost_cents=300_000_00, eligible_cost_cents=300_000_00)
    over = measure(status=Status.IDEE, total_cost_cents=299_999_99, eligible_cost_cents=300_000_00)
    assert check_measure(at, ALLOCATIONS) == []
    assert codes(check_measure(over, ALLOCATIONS), hard=True) == ["SUBSIDIABEL_GT_TOTAAL"]


def test_negative_amounts_are_hard() -> None:
    m = measure(total_cost_cents=-1)
    assert "BEDRAG_NEGATIEF" in codes(check_measure(m, ALLOCATIONS), hard=True)


# -- missing costs: hard for applications, soft for ideas ------------------------------------


def test_missing_costs_soft_for_idea_hard_for_application() -> None:
    idea = measure(
        status=Status.IDEE,
        total_cost_cents=None,
        eligible_cost_cents=None,
        rijk_contribution_cents=None,
        round=None,
    )
    applied = dataclasses.replace(idea, status=Status.AANGEVRAAGD, round=2022)
    assert codes(check_measure(idea, ALLOCATIONS)) == ["KOSTEN_ONTBREKEN"]
    assert codes(check_measure(idea, ALLOCATIONS), hard=True) == []
    assert codes(check_measure(applied, ALLOCATIONS), hard=True) == ["KOSTEN_ONTBREKEN"]


# -- heat only -------------------------------------------------------------------------------


def test_heat_only_is_hard_when_claiming_money() -> None:
    heat = measure(themes=frozenset({ClimateTheme.HITTE}))
    (v,) = check_measure(heat, ALLOCATIONS)
    assert v.code == "ALLEEN_HITTE" and v.hard and "hitte" in v.message


def test_heat_with_another_theme_is_fine() -> None:
    both = measure(themes=frozenset({ClimateTheme.HITTE, ClimateTheme.WATEROVERLAST}))
    assert check_measure(both, ALLOCATIONS) == []


def test_heat_only_idea_without_money_is_only_a_warning() -> None:
    idea = measure(
        themes=frozenset({ClimateTheme.HITTE}), status=Status.IDEE, rijk_contribution_cents=0
    )
    assert codes(check_measure(idea, ALLOCATIONS)) == ["ALLEEN_HITTE"]
    assert codes(check_measure(idea, ALLOCATIONS), hard=True) == []


def test_heat_only_idea_claiming_money_is_hard() -> None:
    idea = measure(themes=frozenset({ClimateTheme.HITTE}), status=Status.IDEE)
    assert codes(check_measure(idea, ALLOCATIONS), hard=True) == ["ALLEEN_HITTE"]


# -- completion before 2028-01-01 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "ok"),
    [(dt.date(2027, 12, 31), True), (dt.date(2028, 1, 1), False), (dt.date(2021, 1, 1), True)],
)
def test_completion_before_2028(day: dt.date, ok: bool) -> None:
    found = check_measure(measure(completion_date=day), ALLOCATIONS)
    assert ("GEREED_TE_LAAT" in codes(found, hard=True)) is not ok


def test_late_completion_message() -> None:
    (v,) = check_measure(measure(completion_date=dt.date(2028, 1, 1)), ALLOCATIONS)
    assert "01-01-2028" in v.message and "31-12-2027" in v.message


def test_missing_completion_date_of_an_application_is_a_warning() -> None:
    assert codes(check_measure(measure(completion_date=None), ALLOCATIONS)) == ["GEREED_ONTBREEKT"]
    assert codes(check_measure(measure(completion_date=None), ALLOCATIONS), hard=True) == []


# -- rounds ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("year", "ok"), [(2020, False), (2021, True), (2023, True), (2024, False)])
def test_round_is_2021_to_2023(year: int, ok: bool) -> None:
    found = check_measure(measure(round=year), ALLOCATIONS)
    assert ("RONDE_ONGELDIG" in codes(found, hard=True)) is not ok


def test_unknown_round_is_hard_even_when_vervallen() -> None:
    gone = measure(round=2019, status=Status.VERVALLEN)
    assert codes(check_measure(gone, ALLOCATIONS), hard=True) == ["RONDE_ONGELDIG"]


def test_applied_without_round_is_a_warning_idea_without_round_is_fine() -> None:
    assert codes(check_measure(measure(round=None), ALLOCATIONS)) == ["RONDE_ONTBREEKT"]
    idea = measure(round=None, status=Status.IDEE)
    assert check_measure(idea, ALLOCATIONS) == []


def test_one_application_per_year_means_one_kassier_per_round() -> None:
    a = measure(id="FLU-001", kassier="Gemeente Meppel", rijk_contribution_cents=1)
    b = measure(id="FLU-002", kassier="gemeente  meppel", rijk_contribution_cents=1)
    c = measure(id="FLU-003", kassier="Provincie Drenthe", rijk_contribution_cents=1)
    d = measure(id="FLU-004", kassier="Provincie Drenthe", round=2023, rijk_contribution_cents=1)
    assert check_werkregio("WR-FLU", [a, b, d], ALLOCATIONS["WR-FLU"]) == []
    (v,) = check_werkregio("WR-FLU", [a, b, c, d], ALLOCATIONS["WR-FLU"])
    assert v.code == "RONDE_KASSIERS" and not v.hard
    assert "ronde 2022" in v.message and "FLU-001, FLU-002" in v.message and "FLU-003" in v.message


# -- kassier ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Gemeente Meppel", "gemeente De Wolden", "Provincie Drenthe", "GM0119", "PV22"]
)
def test_municipalities_and_provinces_may_be_kassier(name: str) -> None:
    assert kassier_problem(name) is None
    assert check_measure(measure(kassier=name), ALLOCATIONS) == []


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("Waterschap Drents Overijsselse Delta", "waterschap"),
        ("WS30", "waterschap"),
        ("Vitens", "drinkwaterbedrijf"),
        ("Waterleidingmaatschappij Drenthe (WMD)", "drinkwaterbedrijf"),
        ("Meppel", "niet herkend als gemeente of provincie"),
        ("Twents Waternet", "niet herkend"),
        ("Gemeente", "niet herkend"),
    ],
)
def test_others_may_not_be_kassier(name: str, says: str) -> None:
    (v,) = check_measure(measure(kassier=name), ALLOCATIONS)
    assert v.code == "KASSIER_ONGELDIG" and v.hard and says in v.message
    assert "'Gemeente Emmen'" in v.message  # the fix shows how to write it


def test_missing_kassier_of_an_application_is_a_warning() -> None:
    assert codes(check_measure(measure(kassier=""), ALLOCATIONS)) == ["KASSIER_ONTBREEKT"]


# -- well-formed data ------------------------------------------------------------------------


def test_field_rules() -> None:
    bad = measure(id="FLU 001", name="  ", werkregio="WR-XXX", themes=frozenset())
    assert codes(check_measure(bad, ALLOCATIONS), hard=True) == [
        "ID_ONGELDIG",
        "NAAM_ONTBREEKT",
        "THEMA_ONTBREEKT",
        "WERKREGIO_ONBEKEND",
    ]


@pytest.mark.parametrize(
    ("wkt", "ok"),
    [
        ("POINT (233000 562000)", True),
        ("POLYGON ((233000 562000, 233100 562000, 233100 562100, 233000 562000))", True),
        ("POINT (6.5 52.8)", False),  # degrees, not RD New
        ("LINESTRING (233000 562000, 233100 562000)", False),
        ("POLYGON ((0 300000, 10 300010, 10 300000, 0 300010, 0 300000))", False),  # bow tie
        ("POINT (233000", False),
        ("POINT EMPTY", False),
    ],
)
def test_location_is_a_valid_rd_point_or_polygon(wkt: str, ok: bool) -> None:
    found = check_measure(measure(location_wkt=wkt), ALLOCATIONS)
    assert ("LOCATIE_ONGELDIG" in codes(found, hard=True)) is not ok


def test_degrees_are_recognised_in_the_message() -> None:
    (v,) = check_measure(measure(location_wkt="POINT (6.5 52.8)"), ALLOCATIONS)
    assert "graden" in v.message and "EPSG:28992" in v.message


def test_vervallen_measures_skip_the_money_rules() -> None:
    gone = measure(
        status=Status.VERVALLEN,
        rijk_contribution_cents=999_999_99,
        themes=frozenset({ClimateTheme.HITTE}),
        completion_date=dt.date(2030, 1, 1),
    )
    assert check_measure(gone, ALLOCATIONS) == []


# -- allocation per werkregio ----------------------------------------------------------------


def _fill(total_rijk: int, *, extra_status: Status = Status.IDEE) -> list:
    """Two measures whose Rijk contributions add up to ``total_rijk`` (1/3 rule kept)."""
    first = 300_000_000
    second = total_rijk - first
    return [
        measure(
            id="FLU-001",
            rijk_contribution_cents=first,
            eligible_cost_cents=3 * first,
            total_cost_cents=3 * first,
        ),
        measure(
            id="FLU-002",
            status=extra_status,
            rijk_contribution_cents=second,
            eligible_cost_cents=3 * second,
            total_cost_cents=3 * second,
        ),
    ]


def test_allocation_exactly_used_passes_one_cent_over_fails() -> None:
    assert check_werkregio("WR-FLU", _fill(500_000_000), ALLOCATIONS["WR-FLU"]) == []
    (v,) = check_werkregio("WR-FLU", _fill(500_000_001), ALLOCATIONS["WR-FLU"])
    assert v.code == "TOEWIJZING_OVERSCHREDEN" and v.hard
    assert "€ 5.000.000,01" in v.message and "€ 5.000.000,00" in v.message
    assert "€ 0,01 te veel" in v.message and "Fluvius (WR-FLU)" in v.message
    assert "24-04-2024" in v.message  # the allocation's source date


def test_vervallen_measures_do_not_count_towards_the_allocation() -> None:
    measures = _fill(500_000_001, extra_status=Status.VERVALLEN)
    assert check_werkregio("WR-FLU", measures, ALLOCATIONS["WR-FLU"]) == []


def test_ideas_count_towards_the_allocation() -> None:
    assert codes(check_werkregio("WR-FLU", _fill(500_000_001), ALLOCATIONS["WR-FLU"])) == [
        "TOEWIJZING_OVERSCHREDEN"
    ]


def test_claimed_amount_is_a_cap_and_is_called_claimed() -> None:
    ms = [dataclasses.replace(m, werkregio="WR-NVS") for m in _fill(540_000_001)]
    (v,) = check_werkregio("WR-NVS", ms, ALLOCATIONS["WR-NVS"])
    assert v.hard and "geclaimde bedrag is € 5.400.000,00" in v.message


def test_unknown_allocation_is_a_warning_only_when_money_is_claimed() -> None:
    ms = [dataclasses.replace(m, werkregio="WR-GND") for m in _fill(900_000_000)]
    (v,) = check_werkregio("WR-GND", ms, ALLOCATIONS["WR-GND"])
    assert v.code == "TOEWIJZING_ONBEKEND" and not v.hard and "€ 9.000.000,00" in v.message
    assert check_werkregio("WR-GND", [], ALLOCATIONS["WR-GND"]) == []


# -- what blocks a change --------------------------------------------------------------------


def test_change_that_raises_an_overused_werkregio_blocks_lowering_it_does_not() -> None:
    before = _fill(500_000_001)  # already one cent over (e.g. the allocation was lowered)
    higher = [
        before[0],
        dataclasses.replace(
            before[1],
            rijk_contribution_cents=before[1].rijk_contribution_cents + 1,
            eligible_cost_cents=before[1].eligible_cost_cents + 3,
            total_cost_cents=before[1].total_cost_cents + 3,
        ),
    ]
    lower = [before[0], dataclasses.replace(before[1], rijk_contribution_cents=1)]
    blocked = evaluate_change(before, higher, {"FLU-002"}, ALLOCATIONS)
    assert codes(blocked.blocking) == ["TOEWIJZING_OVERSCHREDEN"]
    allowed = evaluate_change(before, lower, {"FLU-002"}, ALLOCATIONS)
    assert allowed.ok


def test_old_problems_of_other_measures_do_not_block() -> None:
    broken = measure(id="FLU-009", kassier="Vitens")
    new = measure(id="FLU-010", rijk_contribution_cents=1)
    verdict = evaluate_change([broken], [broken, new], {"FLU-010"}, ALLOCATIONS)
    assert verdict.ok


def test_soft_violations_come_back_as_warnings() -> None:
    new = measure(kassier="")
    verdict = evaluate_change([], [new], {new.id}, ALLOCATIONS)
    assert verdict.ok and codes(verdict.warnings) == ["KASSIER_ONTBREEKT"]


def test_duplicates() -> None:
    a, b = measure(id="FLU-001"), measure(id="FLU-002")
    found = duplicate_violations([a, b, b], {"FLU-001": a})
    assert codes(found) == ["ID_BESTAAT_AL", "ID_DUBBEL"]


def test_check_all_covers_measures_and_werkregios() -> None:
    found = check_all([*_fill(500_000_001), measure(id="X-1", kassier="Vitens")], ALLOCATIONS)
    assert codes(found, hard=True) == ["KASSIER_ONGELDIG", "TOEWIJZING_OVERSCHREDEN"]


def test_every_code_used_has_a_description() -> None:
    # The codes the checks raise (the first argument of add(...), measure_violation(...) or
    # Violation(...)) are exactly the codes with a description; the RULES table itself is not
    # counted.
    import inspect
    import re

    from adaptatie.finance import allocation_rules, places, rules

    source = inspect.getsource(rules).split("RULES: dict[str, str] = {")[0] + "".join(
        inspect.getsource(f) for f in (rules.check_measure,)
    )
    source += inspect.getsource(allocation_rules) + inspect.getsource(places.place_measure)
    used = set(re.findall(r'(?:add|measure_violation|Violation)\(\s*"([A-Z_]+)"', source))
    assert used == set(RULES)
