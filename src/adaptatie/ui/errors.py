"""The one UI error boundary: every error family to a Dutch heading and whether the page goes on.

Every page section runs inside :func:`guard`. An error of adaptatie is shown with the heading of
its family (:data:`BOUNDARY`, most specific first) and its own message, which says what was wrong
and what to do ("Oplossing: ..."). Errors of other libraries (database, raster, file system) and
programming errors get a Dutch heading and a generic way out; their details go to the server log
(standard :mod:`logging`, never the database URL or a password) and not to the screen.
Streamlit's own control flow (``st.stop``, ``st.rerun``) derives from ``BaseException`` and
passes through.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st

from adaptatie.accounts.errors import AccessDeniedError, AccountError, LoginError
from adaptatie.assets import AssetsError
from adaptatie.db.errors import (
    BackupError,
    ConfigurationError,
    ConflictError,
    DatabaseError,
    StorageError,
)
from adaptatie.dialogue.workshops import WorkshopError
from adaptatie.errors import (
    AdaptatieError,
    AmbiguousRegionError,
    BoundaryYearError,
    DataFileError,
    DataSourceError,
    HomeFolderError,
    InputError,
    RegionDefinitionError,
    RegionLookupError,
)
from adaptatie.exposure.errors import HotspotError, ObjectLayerNotFoundError
from adaptatie.finance.errors import (
    ImportRejectedError,
    LedgerError,
    MeasureNotFoundError,
    ReadOnlyError,
    RuleViolationError,
)
from adaptatie.io.catalogue import LayerNotFoundError
from adaptatie.io.ingest import RasterInputError
from adaptatie.limits import LimitExceededError
from adaptatie.progress.book import ProgressError
from adaptatie.regions.sets import RegionSetError
from adaptatie.ui.safe import md_text
from adaptatie.zonal import ZonalInputError

log = logging.getLogger(__name__)

WARNING = ":material/warning:"
BLOCK = ":material/block:"
SYNC = ":material/sync_problem:"
ERROR = ":material/error:"


@dataclass(frozen=True)
class Entry:
    """How the page shows one error family: heading, whether the page can go on, icon."""

    heading: str
    goes_on: bool
    icon: str = WARNING


#: Error family -> how it is shown; the first matching class wins (most specific first).
BOUNDARY: tuple[tuple[type[BaseException], Entry], ...] = (
    (InputError, Entry("Nog niet compleet", True)),
    (AssetsError, Entry("De kaart kan niet worden getoond", False)),
    (RegionDefinitionError, Entry("De regiodefinities kloppen niet", False)),
    (RasterInputError, Entry("Deze rasterkaart is niet bruikbaar", True)),
    (DataFileError, Entry("Een bronbestand is niet bruikbaar", False)),
    (DataSourceError, Entry("De brongegevens zijn niet gevonden", False)),
    (HomeFolderError, Entry("De thuismap is niet bruikbaar", False)),
    (BoundaryYearError, Entry("Dit grensjaar is niet beschikbaar", False)),
    (AmbiguousRegionError, Entry("De naam is niet eenduidig", True)),
    (RegionLookupError, Entry("Regio niet gevonden", True)),
    (RegionSetError, Entry("Deze regioset bestaat niet", True)),
    (LayerNotFoundError, Entry("Stresstestlaag niet gevonden", True)),
    (ObjectLayerNotFoundError, Entry("Objectlaag niet gevonden", True)),
    (HotspotError, Entry("De hotspots kunnen zo niet worden berekend", True)),
    (ZonalInputError, Entry("De stresstest kan voor deze regio's niet worden berekend", True)),
    (LimitExceededError, Entry("Het bestand of de vraag is te groot", True, BLOCK)),
    (ConflictError, Entry("Niet opgeslagen", True, SYNC)),
    (DatabaseError, Entry("De database is niet bereikbaar", True, ERROR)),
    (ConfigurationError, Entry("De instellingen kloppen niet", False, ERROR)),
    (BackupError, Entry("De back-up is niet gemaakt", True)),
    (StorageError, Entry("De database kan dit niet verwerken", True, ERROR)),
    (RuleViolationError, Entry("Niet opgeslagen", True, BLOCK)),
    (ImportRejectedError, Entry("Het bestand is niet ingelezen", True, BLOCK)),
    (ReadOnlyError, Entry("Alleen lezen", True, BLOCK)),
    (MeasureNotFoundError, Entry("Maatregel niet gevonden", True)),
    (LedgerError, Entry("De cofinanciering kan dit niet verwerken", True)),
    (WorkshopError, Entry("De risicodialoog kan dit niet opslaan", True)),
    (ProgressError, Entry("De DPRA-voortgang is niet opgeslagen", True)),
    (LoginError, Entry("Niet ingelogd", True, BLOCK)),
    (AccessDeniedError, Entry("Geen toegang", True, BLOCK)),
    (AccountError, Entry("De gebruiker is niet gewijzigd", True, BLOCK)),
    (AdaptatieError, Entry("Er ging iets mis", True)),
)
#: Errors of other libraries, recognised by their package (imported there lazily, not here).
THIRD_PARTY: dict[str, Entry] = {
    "sqlalchemy": Entry("De database gaf een fout", True, ERROR),
    "psycopg": Entry("De database gaf een fout", True, ERROR),
    "rasterio": Entry("Een rasterkaart kon niet worden gelezen", True, ERROR),
    "pyogrio": Entry("Een kaartbestand kon niet worden gelezen", True, ERROR),
    "shapely": Entry("Een geometrie kon niet worden berekend", True, ERROR),
}
OS_ERROR = Entry("Een bestand kon niet worden gelezen of geschreven", True, ERROR)
UNEXPECTED = Entry("Er ging iets mis", False, ERROR)
FALLBACK_FIX = (
    "Er is niets gewijzigd. Oplossing: probeer het opnieuw of laad de pagina opnieuw; blijft het "
    "misgaan, meld dan de tijd aan de beheerder (de details staan in het serverlogboek)."
)


def entry_for(error: BaseException) -> Entry:
    """How ``error`` is shown (see :data:`BOUNDARY`)."""
    for cls, entry in BOUNDARY:
        if isinstance(error, cls):
            return entry
    package = type(error).__module__.split(".")[0]
    if package in THIRD_PARTY:
        return THIRD_PARTY[package]
    if isinstance(error, OSError):
        return OS_ERROR
    return UNEXPECTED


def title_for(error: BaseException) -> str:
    """The Dutch heading for an error."""
    return entry_for(error).heading


def message_for(error: BaseException) -> str:
    """The text shown under the heading: our own message, or the generic way out."""
    return str(error) if isinstance(error, AdaptatieError) else FALLBACK_FIX


def show_error(error: BaseException, stop: bool | None = None) -> None:
    """Show ``error`` under its heading, literally (it may quote user text); log what is not ours.

    The page stops when the error's family cannot go on, unless ``stop`` says otherwise.
    """
    entry = entry_for(error)
    if not isinstance(error, AdaptatieError):
        log.error("%s on a page", type(error).__name__, exc_info=error)
    elif isinstance(error, (DatabaseError, ConfigurationError, BackupError)):
        log.warning("%s: %s", type(error).__name__, error)
    st.error(f"**{md_text(entry.heading)}.** {md_text(message_for(error))}", icon=entry.icon)
    if (not entry.goes_on) if stop is None else stop:
        st.stop()


@contextmanager
def guard(stop: bool | None = None) -> Iterator[None]:
    """Run a page section; any error is shown by :func:`show_error` (``stop`` as there)."""
    try:
        yield
    except Exception as exc:  # the boundary: st.stop and st.rerun are BaseExceptions
        show_error(exc, stop)


@contextmanager
def deferred(key: str) -> Iterator[None]:
    """For widget callbacks, which run before the page is drawn: keep any error under ``key`` in
    the session; :func:`show_deferred` shows it where the widget is."""
    try:
        yield
    except Exception as exc:
        st.session_state[key] = exc


def show_deferred(key: str) -> None:
    """Show (once) the error a callback kept under ``key``."""
    error = st.session_state.pop(key, None)
    if isinstance(error, BaseException):
        show_error(error, stop=False)
