"""The one UI error boundary: every error family has a Dutch heading; nothing shows a traceback."""

from __future__ import annotations

import importlib
import logging
import pkgutil

import pytest
from streamlit.testing.v1 import AppTest

import adaptatie
from adaptatie.errors import AdaptatieError
from adaptatie.ui.errors import FALLBACK_FIX, UNEXPECTED, entry_for, message_for

# Errors of the command line only (no page can raise them): the CLI shows them as "Fout: ...".
CLI_ONLY = {"YearsError", "DataUpdateError", "ServiceError", "EmptyYearError", "ClusterError"}


def _all_error_classes() -> set[type[AdaptatieError]]:
    for module in pkgutil.walk_packages(adaptatie.__path__, "adaptatie."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    found: set[type[AdaptatieError]] = set()
    todo = [AdaptatieError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub)
            todo.append(sub)
    return found


def test_every_error_family_has_its_own_dutch_heading() -> None:
    classes = _all_error_classes()
    assert len(classes) > 20  # the walk found the package's errors
    generic = sorted(
        cls.__name__
        for cls in classes
        if cls.__name__ not in CLI_ONLY
        and entry_for(cls.__new__(cls)).heading == "Er ging iets mis"
    )
    assert generic == []


def test_headings_by_family() -> None:
    from sqlalchemy.exc import OperationalError

    from adaptatie.db.errors import ConflictError, DatabaseError
    from adaptatie.dialogue.workshops import WorkshopError
    from adaptatie.progress.book import ProgressError
    from adaptatie.zonal import ZonalInputError

    cases = {
        DatabaseError("x"): ("De database is niet bereikbaar", True),
        ConflictError("x", "GM0114", 2): ("Niet opgeslagen", True),
        WorkshopError("x"): ("De risicodialoog kan dit niet opslaan", True),
        ProgressError("x"): ("De DPRA-voortgang is niet opgeslagen", True),
        ZonalInputError("x"): ("De stresstest kan voor deze regio's niet worden berekend", True),
        OperationalError("SELECT 1", {}, Exception("database is locked")): (
            "De database gaf een fout",
            True,
        ),
        PermissionError("geen toegang"): (
            "Een bestand kon niet worden gelezen of geschreven",
            True,
        ),
        KeyError("bug"): ("Er ging iets mis", False),
    }
    assert {e: (entry_for(e).heading, entry_for(e).goes_on) for e in cases} == cases
    assert entry_for(KeyError("bug")) is UNEXPECTED


def test_third_party_text_never_reaches_the_screen() -> None:
    from sqlalchemy.exc import OperationalError

    error = OperationalError("SELECT 1", {}, Exception("password=geheim"))
    assert message_for(error) == FALLBACK_FIX
    assert "Oplossing" in FALLBACK_FIX


def _page_with_a_database_error() -> None:
    import streamlit as st
    from sqlalchemy.exc import OperationalError

    from adaptatie.ui.errors import guard

    with guard():
        raise OperationalError("UPDATE workshops", {}, Exception("database is locked"))
    st.write("de pagina gaat verder")


def _page_with_a_bug() -> None:
    import streamlit as st

    from adaptatie.ui.errors import guard

    with guard():
        {}["ontbreekt"]
    st.write("de pagina gaat verder")


def test_a_database_error_is_dutch_logged_and_the_page_goes_on(caplog) -> None:
    with caplog.at_level(logging.ERROR, logger="adaptatie.ui.errors"):
        at = AppTest.from_function(_page_with_a_database_error).run(timeout=30)
    assert not at.exception
    (shown,) = at.error
    assert shown.value.startswith("**De database gaf een fout.**")
    assert "Oplossing" in shown.value and "locked" not in shown.value
    assert [m.value for m in at.markdown] == ["de pagina gaat verder"]
    assert any("OperationalError" in r.getMessage() for r in caplog.records)


def test_a_programming_error_stops_the_page_without_a_traceback() -> None:
    at = AppTest.from_function(_page_with_a_bug).run(timeout=30)
    assert not at.exception
    (shown,) = at.error
    assert shown.value.startswith("**Er ging iets mis.**")
    assert [m.value for m in at.markdown] == []


@pytest.mark.parametrize("name", ["guard", "show_error", "deferred", "show_deferred"])
def test_the_boundary_is_importable(name: str) -> None:
    import adaptatie.ui.errors as boundary

    assert callable(getattr(boundary, name))
