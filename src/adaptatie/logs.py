"""Server-side log of adaptatie: ``<home>/logs/adaptatie.log`` (rotated, at most 4 x 1 MB).

Technical details of errors (a driver's English message, a traceback) are written here, never
shown to the user; the screen and the command line show the Dutch message with the fix. Passwords
and database URLs with credentials are never logged (see ``adaptatie.db.diagnosis.safe_url``).
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

_MARK = "_adaptatie_handler"


def configure_logging(home: Path) -> Path | None:
    """Send the ``adaptatie`` loggers to the home folder's log file (once per process)."""
    logger = logging.getLogger("adaptatie")
    for handler in logger.handlers:
        if getattr(handler, _MARK, False):
            return getattr(handler, "baseFilename", None) and Path(handler.baseFilename)
    path: Path | None = Path(home) / "logs" / "adaptatie.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8", delay=True
        )
    except OSError:  # a read-only home: no log file, and nothing on the user's screen
        handler, path = logging.NullHandler(), None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    setattr(handler, _MARK, True)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return path
