"""The bad-file corpus (tests/bad_files.py): each import is refused in Dutch with the fix, and the
stored data are the same before and after."""

from __future__ import annotations

import re

import pytest

from adaptatie.finance.errors import ImportRejectedError, RuleViolationError
from adaptatie.finance.imports import import_bytes
from adaptatie.finance.ledger import Ledger
from tests.bad_files import IMPORT_CASES, Case
from tests.finance.factories import measure

ENGLISH = re.compile(
    r"Traceback|Error\b|[Ff]ailed|No such|exception|is not|[Ii]nvalid|malformed|BadZip"
)


@pytest.mark.parametrize("case", IMPORT_CASES, ids=[c.name for c in IMPORT_CASES])
def test_bad_import_file_is_refused_in_dutch(
    case: Case, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    ledger.add(measure(), user="Bestaand")
    before = (ledger.measures(), ledger.audit())
    with pytest.raises(ImportRejectedError) as caught:
        import_bytes(ledger, case.make(), case.file_name, user="Anna")
    message = str(caught.value)
    assert case.expect in message
    assert "Oplossing" in message
    assert not ENGLISH.search(message), message
    assert (ledger.measures(), ledger.audit()) == before


def test_corpus_is_large_enough() -> None:
    assert len({c.name for c in IMPORT_CASES}) == len(IMPORT_CASES) >= 45


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"name": "n" * 5000}, "de naam is 5.000 tekens lang; ten hoogste 300 tekens passen."),
        ({"total_cost_cents": 10**22}, "meer dan € 10.000.000.000 is voor één maatregel"),
    ],
)
def test_lengths_and_amounts_are_checked_the_same_on_both_backends(
    ledger: Ledger, changes: dict, expected: str
) -> None:
    before = (ledger.measures(), ledger.audit())
    with pytest.raises(RuleViolationError) as caught:
        ledger.add(measure(**changes), user="Anna")
    assert expected in str(caught.value)
    assert (ledger.measures(), ledger.audit()) == before
