"""What a failed database operation means for the user, and what to do about it (in Dutch).

The drivers' own messages ("file is not a database", "attempt to write a readonly database",
"connection refused") are English and name no fix. :func:`explain` recognises the common causes
and returns a :class:`DatabaseError` with the cause and the fix; the driver's text goes to the
server log only (without the password of the database URL), never to the screen.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from adaptatie.db.errors import DatabaseError

log = logging.getLogger(__name__)

DB_URL_ENV = "ADAPTATIE_DB_URL"

_CORRUPT = re.compile(r"file is not a database|database disk image is malformed|malformed", re.I)
_READ_ONLY = re.compile(r"readonly database|read-only file system|permission denied", re.I)
_CANNOT_OPEN = re.compile(r"unable to open database file", re.I)
_LOCKED = re.compile(r"database is locked|database table is locked", re.I)
_UNREACHABLE = re.compile(
    r"connection refused|could not connect|could not translate host|timeout expired|"
    r"connection to server .* failed|"
    r"no route to host|server closed the connection|name or service not known",
    re.I,
)
_AUTH = re.compile(r"authentication failed|role .* does not exist", re.I)
_NOTHING_CHANGED = "Er is niets gewijzigd."
_READ_ONLY_MESSAGE = (
    f"kan niet worden beschreven: de map of het bestand is alleen-lezen. {_NOTHING_CHANGED} "
    "Oplossing: geef schrijfrechten op die map, of kies met ADAPTATIE_HOME een werkmap waarin u "
    "mag schrijven."
)
#: Cause in the driver's words -> what it means and what to do (first match wins).
_CAUSES = (
    (
        _CORRUPT,
        "is beschadigd: het is geen leesbare SQLite-database meer. "
        f"{_NOTHING_CHANGED} Oplossing: zet een reservekopie terug met 'adaptatie db restore "
        "BESTAND' (reservekopieën maakt u met 'adaptatie db backup'), of verplaats het "
        "beschadigde bestand om met een lege database te beginnen.",
    ),
    (
        _READ_ONLY,
        _READ_ONLY_MESSAGE,
    ),
    (
        _CANNOT_OPEN,  # only when the folder is read-only (see explain)
        _READ_ONLY_MESSAGE,
    ),
    (
        _LOCKED,
        f"is bezet door een andere bewerking. {_NOTHING_CHANGED} Oplossing: probeer het over "
        "enkele seconden opnieuw.",
    ),
    (
        _AUTH,
        "weigert de aanmelding (gebruiker of wachtwoord onjuist). Oplossing: controleer de "
        f"gebruiker en het wachtwoord in {DB_URL_ENV}.",
    ),
    (
        _UNREACHABLE,
        f"is niet bereikbaar. {_NOTHING_CHANGED} Oplossing: controleer of de databaseserver "
        f"draait en of {DB_URL_ENV} het juiste adres noemt.",
    ),
)


def explain(exc: BaseException, url: str, doing: str = "geopend of gebruikt") -> DatabaseError:
    """The Dutch :class:`DatabaseError` for ``exc`` raised while using the database at ``url``."""
    detail = driver_text(exc)
    log.error("database %s: %s: %s", safe_url(url), type(exc).__name__, detail)
    where = _where(url)
    for pattern, message in _CAUSES:
        if pattern.search(detail) and (pattern is not _CANNOT_OPEN or _parent_read_only(url)):
            return DatabaseError(f"{where} {message}")
    if _CANNOT_OPEN.search(detail):
        return DatabaseError(
            f"{where} kan niet worden geopend (de map bestaat niet of is geen map). Oplossing: "
            f"controleer {DB_URL_ENV} of ADAPTATIE_HOME."
        )
    return DatabaseError(
        f"{where} kon niet worden {doing}. {_NOTHING_CHANGED} Oplossing: probeer het opnieuw; "
        "blijft het misgaan, geef dan het tijdstip door aan de beheerder (de technische melding "
        "staat in het serverlogboek)."
    )


def driver_text(exc: BaseException) -> str:
    """The first line of the driver's own message (for the log)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def safe_url(url: str) -> str:
    """The database URL without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<ongeldige URL>"


def _where(url: str) -> str:
    path = _sqlite_path(url)
    if path is not None:
        return f"Het databasebestand {path}"
    return f"De database {safe_url(url)}"


def _sqlite_path(url: str) -> Path | None:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return Path(parsed.database)


def _parent_read_only(url: str) -> bool:
    import os

    path = _sqlite_path(url)
    return path is not None and path.parent.is_dir() and not os.access(path.parent, os.W_OK)
