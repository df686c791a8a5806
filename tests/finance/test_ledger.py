"""The ledger on SQLite and PostgreSQL: saves, rules, conflicts, audit log, summary, seeding."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

import adaptatie.accounts.models  # noqa: F401 - its tables join Base.metadata on import
from adaptatie.db.engine import current_revision, head_revision
from adaptatie.db.errors import ConflictError
from adaptatie.db.orm import full_metadata
from adaptatie.finance.errors import LedgerError, MeasureNotFoundError, RuleViolationError
from adaptatie.finance.ledger import Ledger
from adaptatie.finance.records import AllocationBasis, ClimateTheme, Status
from tests.finance.factories import measure


def test_schema_is_at_head_and_matches_the_models(ledger: Ledger) -> None:
    assert current_revision(ledger.engine) == head_revision() == "0007_allocation_citations"
    with ledger.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), full_metadata())
    assert diff == []


def test_allocations_are_seeded_from_the_toml_file_with_sources(ledger: Ledger) -> None:
    allocations = ledger.allocations()
    assert list(allocations) == ["WR-GND", "WR-NVS", "WR-FLU", "WR-TWN"]
    assert allocations["WR-TWN"].max_rijk_cents == 7_900_000_00
    assert allocations["WR-TWN"].date == "2021-09"
    assert allocations["WR-FLU"].max_rijk_cents == 5_000_000_00
    assert allocations["WR-FLU"].date == "2024-04-24"
    nvs = allocations["WR-NVS"]
    assert nvs.max_rijk_cents == 5_400_000_00 and nvs.basis is AllocationBasis.GECLAIMD
    gnd = allocations["WR-GND"]
    assert gnd.max_rijk_cents is None and gnd.basis is AllocationBasis.ONBEKEND
    assert "€ 6.802.000" in gnd.note and "geen maximum" in gnd.note
    seeded = ledger.audit(werkregio="WR-FLU")
    assert {e.field for e in seeded} >= {"max_rijk", "basis", "bron", "datum"}
    assert all(e.action == "allocation" and e.user == "systeem" for e in seeded)


def test_reopening_does_not_seed_again(db_url: str, ledger: Ledger) -> None:
    before = len(ledger.audit())
    with Ledger.open(db_url) as again:
        assert len(again.audit()) == before
        assert again.allocations() == ledger.allocations()


def test_add_get_list(ledger: Ledger) -> None:
    result = ledger.add(measure(location_wkt="POINT (214000 524000)"), user="Anna")
    assert result.warnings == []
    stored = ledger.get("FLU-001")
    assert stored.version == 1 and stored.updated_by == "Anna"
    assert stored.updated_at is not None and stored.updated_at.tzinfo is not None
    assert stored.total_cost_cents == 450_000_00 and stored.themes == {ClimateTheme.WATEROVERLAST}
    assert stored.completion_date == dt.date(2027, 12, 31)
    assert stored.location_wkt == "POINT (214000 524000)"
    assert [m.id for m in ledger.measures()] == ["FLU-001"]
    assert ledger.measures("WR-TWN") == []


def test_get_unknown_measure(ledger: Ledger) -> None:
    with pytest.raises(MeasureNotFoundError, match="Maatregel XYZ bestaat niet"):
        ledger.get("XYZ")


def test_soft_violations_are_returned_as_warnings_and_stored(ledger: Ledger) -> None:
    result = ledger.add(measure(kassier=""), user="Anna")
    assert [w.code for w in result.warnings] == ["KASSIER_ONTBREEKT"]
    assert ledger.get("FLU-001").kassier == ""


def test_hard_violation_writes_nothing(ledger: Ledger) -> None:
    audit_before = ledger.audit()
    with pytest.raises(RuleViolationError) as caught:
        ledger.add(measure(rijk_contribution_cents=100_000_01, kassier="Waterschap DOD"), user="A")
    assert sorted(v.code for v in caught.value.violations) == ["EENDERDE", "KASSIER_ONGELDIG"]
    assert "FLU-001" in str(caught.value) and "€ 100.000,01" in str(caught.value)
    assert ledger.measures() == []
    assert ledger.audit() == audit_before


def test_duplicate_id_on_add(ledger: Ledger) -> None:
    ledger.add(measure(), user="Anna")
    with pytest.raises(RuleViolationError, match="ID_BESTAAT_AL"):
        ledger.add(measure(name="Andere wadi"), user="Bob")
    assert ledger.get("FLU-001").name == "Wadi Meppel-Noord"


def test_allocation_exactly_used_passes_one_cent_over_is_refused(ledger: Ledger) -> None:
    third = 5_000_000_00 // 2
    ledger.add(
        measure(
            id="FLU-001",
            rijk_contribution_cents=third,
            eligible_cost_cents=3 * third,
            total_cost_cents=3 * third,
        ),
        user="Anna",
    )
    ledger.add(
        measure(
            id="FLU-002",
            rijk_contribution_cents=third,
            eligible_cost_cents=3 * third,
            total_cost_cents=3 * third,
        ),
        user="Anna",
    )
    assert ledger.totals()[2].planned_rijk_cents == 5_000_000_00
    with pytest.raises(RuleViolationError, match="TOEWIJZING_OVERSCHREDEN") as caught:
        ledger.add(
            measure(id="FLU-003", rijk_contribution_cents=1, status=Status.IDEE), user="Anna"
        )
    assert "€ 5.000.000,01" in str(caught.value) and "€ 0,01 te veel" in str(caught.value)
    assert [m.id for m in ledger.measures()] == ["FLU-001", "FLU-002"]
    # vervallen measures do not count
    ledger.add(
        measure(id="FLU-003", rijk_contribution_cents=1, status=Status.VERVALLEN), user="Anna"
    )


def test_update_bumps_version_and_audits_changed_fields(ledger: Ledger) -> None:
    first = ledger.add(measure(), user="Anna").measure
    changed = dataclasses.replace(
        first,
        status=Status.TOEGEKEND,
        rijk_contribution_cents=90_000_00,
        themes=frozenset({ClimateTheme.WATEROVERLAST, ClimateTheme.DROOGTE}),
    )
    result = ledger.update(changed, first.version, user="Bob")
    assert result.measure.version == 2 and result.measure.updated_by == "Bob"
    entries = {e.field: e for e in ledger.audit("FLU-001") if e.action == "update"}
    assert set(entries) == {"status", "rijksbijdrage", "thema"}
    assert (entries["status"].old, entries["status"].new) == ('"aangevraagd"', '"toegekend"')
    assert (entries["rijksbijdrage"].old, entries["rijksbijdrage"].new) == ("10000000", "9000000")
    assert json.loads(entries["thema"].new) == ["droogte", "wateroverlast"]
    assert all(e.user == "Bob" and e.werkregio == "WR-FLU" for e in entries.values())


def test_update_without_changes_writes_nothing(ledger: Ledger) -> None:
    first = ledger.add(measure(), user="Anna").measure
    before = ledger.audit()
    assert ledger.update(first, 1, user="Bob").measure.version == 1
    assert ledger.audit() == before


def test_edit_conflict(ledger: Ledger) -> None:
    loaded = ledger.add(measure(), user="Anna").measure  # both users load version 1
    ledger.update(dataclasses.replace(loaded, name="Wadi Noord (Anna)"), 1, user="Anna")
    with pytest.raises(ConflictError) as caught:
        ledger.update(dataclasses.replace(loaded, gemeente="Meppel"), 1, user="Bob")
    message = str(caught.value)
    assert "Maatregel FLU-001 is intussen gewijzigd door Anna op 14-03-2025 10:30" in message
    assert "versie 2" in message and "laad de maatregel opnieuw" in message
    assert caught.value.stored_version == 2
    stored = ledger.get("FLU-001")
    assert stored.name == "Wadi Noord (Anna)" and stored.gemeente == "GM0119"


def test_conflict_between_two_connections(db_url: str, ledger: Ledger) -> None:
    """Two app processes on the same database: the second save sees the conflict."""
    loaded = ledger.add(measure(), user="Anna").measure
    with Ledger.open(db_url) as other:
        other.update(dataclasses.replace(loaded, name="Door Bob"), 1, user="Bob")
    with pytest.raises(ConflictError, match="gewijzigd door Bob"):
        ledger.update(dataclasses.replace(loaded, name="Door Anna"), 1, user="Anna")
    assert ledger.get("FLU-001").name == "Door Bob"


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_stale_write_detected_by_the_version_column(ledger: Ledger, monkeypatch) -> None:
    """Another save lands between our version check and our UPDATE: still a conflict.

    PostgreSQL only: on SQLite BEGIN IMMEDIATE lets one writer in at a time, so the race cannot
    occur there.
    """
    loaded = ledger.add(measure(), user="Anna").measure
    original = Ledger._measures_in
    raced: list[bool] = []

    def sneaky(self, s, werkregios):
        if not raced:
            raced.append(True)
            with ledger.engine.begin() as other:  # a second connection commits first
                other.execute(
                    text(
                        "UPDATE measures SET name = 'Tussendoor', version = version + 1, "
                        "updated_by = 'Carla' WHERE id = 'FLU-001'"
                    )
                )
        return original(self, s, werkregios)

    monkeypatch.setattr(Ledger, "_measures_in", sneaky)
    with pytest.raises(ConflictError, match="gewijzigd door Carla"):
        ledger.update(dataclasses.replace(loaded, name="Door Anna"), 1, user="Anna")
    assert ledger.get("FLU-001").name == "Tussendoor"


def test_delete_keeps_everything_in_the_audit_log(ledger: Ledger) -> None:
    first = ledger.add(measure(description="Regenwater vasthouden"), user="Anna").measure
    with pytest.raises(ConflictError):
        ledger.delete("FLU-001", 7, user="Bob")
    ledger.delete("FLU-001", first.version, user="Bob")
    assert ledger.measures() == []
    gone = {e.field: e for e in ledger.audit("FLU-001") if e.action == "delete"}
    assert gone["naam"].old == '"Wadi Meppel-Noord"' and gone["naam"].new is None
    assert gone["omschrijving"].old == '"Regenwater vasthouden"'
    assert gone["totale_kosten"].old == "45000000"
    with pytest.raises(ConflictError, match="intussen verwijderd door Bob"):
        ledger.update(first, first.version, user="Anna")


def test_audit_log_content_of_create(ledger: Ledger, clock) -> None:
    (ledger.add(measure(), user="  Anna  de Vries "),)
    entries = ledger.audit("FLU-001")
    assert {e.action for e in entries} == {"create"}
    assert {e.user for e in entries} == {"Anna de Vries"}
    assert len({e.at for e in entries}) == 1  # one change, one moment
    assert entries[0].at.tzinfo is not None and entries[0].at.utcoffset() == dt.timedelta(0)
    values = {e.field: (e.old, e.new) for e in entries}
    assert values["rijksbijdrage"] == (None, "10000000")
    assert values["gereed_datum"] == (None, '"2027-12-31"')
    assert values["werkregio"] == (None, '"WR-FLU"')
    assert "omschrijving" not in values  # empty fields are not logged


def test_user_is_required(ledger: Ledger) -> None:
    with pytest.raises(LedgerError, match="geen gebruikersnaam"):
        ledger.add(measure(), user="  ")


def test_float_money_is_refused(ledger: Ledger) -> None:
    with pytest.raises(LedgerError, match="geheel getal"):
        ledger.add(measure(total_cost_cents=1.5), user="Anna")


def test_crash_halfway_leaves_nothing(ledger: Ledger, monkeypatch) -> None:
    """A failure after some rows were written rolls the whole import back."""
    from adaptatie.finance import ledger_rows

    calls = []
    original = ledger_rows.audit_measure

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("stroomstoring")
        return original(*args, **kwargs)

    monkeypatch.setattr(ledger_rows, "audit_measure", failing)
    before = ledger.audit()
    with pytest.raises(RuntimeError):
        ledger.import_measures([measure(id="A-1"), measure(id="A-2")], user="Anna")
    assert ledger.measures() == [] and ledger.audit() == before


def test_set_allocation_is_audited_and_may_create_an_overrun(ledger: Ledger) -> None:
    ledger.add(measure(), user="Anna")
    found = ledger.set_allocation(
        "WR-FLU",
        max_rijk_cents=99_999_99,
        basis=AllocationBasis.MAXIMUM,
        source="Beschikking",
        date="2025-01-10",
        user="Beheer",
    )
    assert [v.code for v in found] == ["TOEWIJZING_OVERSCHREDEN"]
    assert ledger.allocations()["WR-FLU"].max_rijk_cents == 99_999_99
    latest = {e.field: e for e in ledger.audit(werkregio="WR-FLU") if e.user == "Beheer"}
    assert (latest["max_rijk"].old, latest["max_rijk"].new) == ("500000000", "9999999")
    # lowering the overrun is allowed, raising it is not
    m = ledger.get("FLU-001")
    ledger.update(dataclasses.replace(m, rijk_contribution_cents=100_000_00 - 2), 1, user="Anna")
    with pytest.raises(RuleViolationError):
        ledger.update(
            dataclasses.replace(ledger.get("FLU-001"), rijk_contribution_cents=100_000_00),
            2,
            user="Anna",
        )
    with pytest.raises(LedgerError, match="past niet bij basis"):
        ledger.set_allocation(
            "WR-FLU", max_rijk_cents=None, basis=AllocationBasis.MAXIMUM, source="", user="Beheer"
        )


def test_summary_definitions(ledger: Ledger) -> None:
    def add(mid: str, status: Status, rijk: int, total: int) -> None:
        ledger.add(
            measure(
                id=mid,
                status=status,
                rijk_contribution_cents=rijk,
                eligible_cost_cents=3 * rijk,
                total_cost_cents=total,
            ),
            user="Anna",
        )

    add("F-1", Status.IDEE, 100, 1_000)
    add("F-2", Status.AANGEVRAAGD, 200, 2_000)
    add("F-3", Status.TOEGEKEND, 300, 3_000)
    add("F-4", Status.IN_UITVOERING, 400, 4_000)
    add("F-5", Status.GEREALISEERD, 500, 5_000)
    add("F-6", Status.VERVALLEN, 600, 6_000)
    flu = {s.werkregio: s for s in ledger.totals()}["WR-FLU"]
    assert flu.allocation_cents == 5_000_000_00
    assert flu.planned_rijk_cents == 100 + 200 + 300 + 400 + 500
    assert flu.requested_rijk_cents == 200 + 300 + 400 + 500
    assert flu.granted_rijk_cents == 300 + 400 + 500
    assert flu.realised_rijk_cents == 500
    assert flu.total_cost_cents == 15_000
    assert flu.n_measures == 5 and flu.n_vervallen == 1
    assert flu.remaining_rijk_cents == 5_000_000_00 - 1_500
    data = flu.as_json()
    assert data["allocation"] == 5_000_000.0 and data["requested_rijk"] == 14.0
    assert data["violations"] == [] and data["warnings"] == []


def test_summary_lists_violations_per_werkregio(ledger: Ledger) -> None:
    ledger.add(measure(), user="Anna")
    ledger.set_allocation(
        "WR-FLU", max_rijk_cents=1, basis=AllocationBasis.MAXIMUM, source="test", user="Beheer"
    )
    ledger.add(
        measure(id="GND-001", werkregio="WR-GND", status=Status.IDEE, kassier=""), user="Anna"
    )
    by_id = {s.werkregio: s for s in ledger.totals()}
    assert len(by_id["WR-FLU"].violations) == 1
    assert "TOEWIJZING_OVERSCHREDEN" in by_id["WR-FLU"].violations[0]
    assert any("TOEWIJZING_ONBEKEND" in w for w in by_id["WR-GND"].warnings)
    assert by_id["WR-GND"].allocation_cents is None


def test_concurrent_saves_cannot_together_exceed_the_allocation(db_url: str) -> None:
    """Two users at the same moment, each within the allocation alone, not together."""
    import threading

    from adaptatie.finance.errors import RuleViolationError as Refused

    rijk = 3_000_000_00  # twice this is more than Fluvius' EUR 5 million
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(mid: str) -> None:
        with Ledger.open(db_url) as own:
            barrier.wait()
            try:
                own.add(
                    measure(
                        id=mid,
                        rijk_contribution_cents=rijk,
                        eligible_cost_cents=3 * rijk,
                        total_cost_cents=3 * rijk,
                    ),
                    user=mid,
                )
                outcomes.append("stored")
            except Refused:
                outcomes.append("refused")

    threads = [threading.Thread(target=save, args=(f"FLU-00{i}",)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["refused", "stored"]
    with Ledger.open(db_url) as check:
        assert check.totals()[2].planned_rijk_cents == rijk


def test_audit_values_display_in_dutch(ledger: Ledger) -> None:
    from adaptatie.finance.audit import display_value

    ledger.add(measure(), user="Anna")
    values = {e.field: e.new for e in ledger.audit("FLU-001")}
    assert display_value("rijksbijdrage", values["rijksbijdrage"]) == "€ 100.000,00"
    assert display_value("gereed_datum", values["gereed_datum"]) == "31-12-2027"
    assert display_value("thema", values["thema"]) == "wateroverlast"
    assert display_value("omschrijving", None) == "(leeg)"
    assert display_value("ronde", "null") == "(leeg)"  # not "None"
    assert display_value("datum", '"2021-09"') == "09-2021"
    assert display_value("datum", '"2024-04-24"') == "24-04-2024"


@pytest.mark.parametrize(
    ("url", "error", "says"),
    [
        ("mysql://u@localhost/x", "ConfigurationError", "wordt niet ondersteund"),
        ("dit is geen url", "ConfigurationError", "database-URL is ongeldig"),
        ("postgresql+psycopg://u@/x?host=/bestaat-niet", "DatabaseError", "is niet bereikbaar"),
    ],
)
def test_unusable_database_urls(url: str, error: str, says: str) -> None:
    from adaptatie.db import errors

    with pytest.raises(getattr(errors, error), match=says):
        Ledger.open(url)


def test_postgres_binaries_are_required_in_ci(monkeypatch) -> None:
    from tests.finance.factories import require_postgres_binaries

    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y postgresql"):
        require_postgres_binaries(None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="In CI is dat verplicht"):
        require_postgres_binaries(None)
