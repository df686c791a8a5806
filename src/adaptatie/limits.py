"""Limits on input sizes, checked before any expensive work.

Every limit has a setting (an environment variable) that overrides its default, and one Dutch
message format that names the limit, the value found and how to change it. The values are read
on every check, so a changed setting takes effect without restarting the CLI.

=========================  ===============================  =========
setting                    what                             default
=========================  ===============================  =========
ADAPTATIE_MAX_UPLOAD_MB    size of an import file (CSV/XLSX)      20
ADAPTATIE_MAX_RASTER_MB    size of a stress-test GeoTIFF        4000
ADAPTATIE_MAX_RASTER_MPX   pixels of a stress-test raster       1000
ADAPTATIE_MAX_ROWS         data rows of an import file         10000
ADAPTATIE_MAX_COLUMNS      columns of an import sheet            100
ADAPTATIE_MAX_FIELD_CHARS  characters in one import cell       10000
ADAPTATIE_MAX_UNZIPPED_MB  unpacked size of an .xlsx             200
=========================  ===============================  =========
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from adaptatie import fmt
from adaptatie.errors import AdaptatieError


@dataclass(frozen=True)
class Limit:
    """One limit: its setting, default, unit (Dutch, plural) and what it bounds."""

    setting: str
    default: int
    unit: str
    what: str

    @property
    def value(self) -> int:
        """The current value: the setting when it is a positive whole number, else the default."""
        raw = os.environ.get(self.setting, "").strip()
        try:
            value = int(raw)
        except ValueError:
            return self.default
        return value if value > 0 else self.default

    def message(self, found: float, fix: str) -> str:
        """Dutch: what exceeds the limit, by how much, how to fix it or raise the limit."""
        return (
            f"{self.what} is {_number(found)} {self.unit}; de grens is "
            f"{fmt.number(self.value)} {self.unit}. Oplossing: {fix} Of verhoog de grens met de "
            f"instelling {self.setting} (omgevingsvariabele, bijv. {self.setting}="
            f"{max(self.value * 2, int(found) + 1)})."
        )

    def check(self, found: float, fix: str) -> None:
        """Raise :class:`LimitExceededError` when ``found`` is above the limit."""
        if found > self.value:
            raise LimitExceededError(self, found, self.message(found, fix))

    def exceeded(self, found: float) -> bool:
        return found > self.value


class LimitExceededError(AdaptatieError, ValueError):
    """An input is larger than a limit allows; the message names the limit and its setting."""

    def __init__(self, limit: Limit, found: float, message: str) -> None:
        self.limit = limit
        self.found = found
        super().__init__(message)


MB = 1024 * 1024

UPLOAD_MB = Limit("ADAPTATIE_MAX_UPLOAD_MB", 20, "MB", "de bestandsgrootte")
RASTER_MB = Limit("ADAPTATIE_MAX_RASTER_MB", 4000, "MB", "de bestandsgrootte")
RASTER_MPX = Limit(
    "ADAPTATIE_MAX_RASTER_MPX", 1000, "miljoen pixels", "het aantal pixels (breedte x hoogte)"
)
ROWS = Limit("ADAPTATIE_MAX_ROWS", 10_000, "rijen", "het aantal rijen")
COLUMNS = Limit("ADAPTATIE_MAX_COLUMNS", 100, "kolommen", "het aantal kolommen")
FIELD_CHARS = Limit("ADAPTATIE_MAX_FIELD_CHARS", 10_000, "tekens", "de lengte van een cel")
UNZIPPED_MB = Limit(
    "ADAPTATIE_MAX_UNZIPPED_MB", 200, "MB", "de uitgepakte grootte van de Excel-werkmap"
)

ALL = (UPLOAD_MB, RASTER_MB, RASTER_MPX, ROWS, COLUMNS, FIELD_CHARS, UNZIPPED_MB)


def _number(value: float) -> str:
    return fmt.number(value, 0 if float(value).is_integer() else 1)


def megabytes(size_bytes: int) -> float:
    """Bytes as MB, rounded up to one decimal so a file just over the limit never shows equal."""
    return -(-size_bytes * 10 // MB) / 10
