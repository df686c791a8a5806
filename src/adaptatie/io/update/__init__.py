"""``adaptatie data update``: newest boundaries (PDOK) and population (CBS) as a new release.

See :mod:`adaptatie.io.update.run` for the flow and :mod:`adaptatie.io.update.release` for the
folder layout under ``<home>/data``.
"""

from __future__ import annotations

from adaptatie.io.datahome import current_release
from adaptatie.io.update.http import DataUpdateError, HttpClient, ServiceError
from adaptatie.io.update.release import PlannedLayer
from adaptatie.io.update.run import UpdateResult, update_data

__all__ = [
    "DataUpdateError",
    "HttpClient",
    "PlannedLayer",
    "ServiceError",
    "UpdateResult",
    "current_release",
    "update_data",
]
