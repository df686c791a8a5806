"""Exceptions of adaptatie.

One root, :class:`AdaptatieError`. Every subclass also inherits the matching builtin, so callers may
catch either (``except ValueError`` keeps working). Messages are user-facing and therefore Dutch:
they name what was wrong and how to fix it. The UI and the CLI show ``str(error)`` unchanged.
"""

from __future__ import annotations

from pathlib import Path


class AdaptatieError(Exception):
    """Root of all errors raised by adaptatie on purpose."""


class DataSourceError(AdaptatieError, FileNotFoundError):
    """The source-data folder or a file in it is missing."""


class HomeFolderError(AdaptatieError, OSError):
    """The home folder (ADAPTATIE_HOME) cannot be created or written."""


class DataFileError(AdaptatieError, ValueError):
    """A source file exists but cannot be used as it is.

    ``path`` names the file, ``problem`` says what is wrong, ``fix`` how to repair it.
    """

    def __init__(self, path: Path | str, problem: str, fix: str) -> None:
        self.path = Path(path)
        self.problem = problem
        self.fix = fix
        super().__init__(f"Bestand {self.path.name}: {problem} Oplossing: {fix}")


class RegionDefinitionError(DataFileError):
    """The region definitions file (geodata/regions.toml) is inconsistent."""


class RegionLookupError(AdaptatieError, LookupError):
    """A region name or code does not identify exactly one region."""

    def __init__(self, message: str, candidates: tuple[str, ...] = ()) -> None:
        self.candidates = candidates
        super().__init__(message)


class UnknownRegionError(RegionLookupError):
    """No region matches the name."""


class AmbiguousRegionError(RegionLookupError):
    """Several regions match the name; the kind is needed to choose."""


class BoundaryYearError(AdaptatieError, ValueError):
    """A boundary year was asked for that the source folder has no file for."""


class InputError(AdaptatieError, ValueError):
    """A form was submitted without what it needs (no region, no file, no name)."""
