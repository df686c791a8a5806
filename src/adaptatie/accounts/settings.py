"""Settings of the accounts (environment variables, read on every use).

================================  =========================================  =======
setting                           what                                       default
================================  =========================================  =======
ADAPTATIE_PUBLIC_READ             reading without login (``0`` = login first)    ``1``
ADAPTATIE_SESSION_HOURS           a login lasts at most this long                    8
ADAPTATIE_SESSION_IDLE_MINUTES    ... and ends after this long without use          60
================================  =========================================  =======
"""

from __future__ import annotations

import datetime as dt
import os

from adaptatie.db.errors import ConfigurationError

PUBLIC_READ_ENV = "ADAPTATIE_PUBLIC_READ"
SESSION_HOURS_ENV = "ADAPTATIE_SESSION_HOURS"
SESSION_IDLE_ENV = "ADAPTATIE_SESSION_IDLE_MINUTES"
_TRUE, _FALSE = {"1", "ja", "yes", "true", "aan"}, {"0", "nee", "no", "false", "uit"}


def public_read() -> bool:
    """True when visitors may read every page without logging in."""
    raw = os.environ.get(PUBLIC_READ_ENV, "1").strip().casefold()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ConfigurationError(
        f"{PUBLIC_READ_ENV}='{raw}' is geen geldige waarde. Oplossing: zet 1 (lezen zonder "
        "inloggen) of 0 (eerst inloggen)."
    )


def session_lifetime() -> dt.timedelta:
    """The longest a login lasts (absolute)."""
    return dt.timedelta(hours=_positive(SESSION_HOURS_ENV, 8))


def session_idle() -> dt.timedelta:
    """A login ends after this long without a page being used."""
    return dt.timedelta(minutes=_positive(SESSION_IDLE_ENV, 60))


def _positive(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ConfigurationError(
            f"{name}='{raw}' is geen positief geheel getal. Oplossing: zet bijv. {name}={default}."
        )
    return value
