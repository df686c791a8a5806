"""Errors of the database layer (messages in Dutch, see :mod:`adaptatie.errors`)."""

from __future__ import annotations

from adaptatie.errors import AdaptatieError


class StorageError(AdaptatieError):
    """Root of the database layer's errors."""


class DatabaseError(StorageError, RuntimeError):
    """The database cannot be opened, migrated, read or written."""


class ConfigurationError(StorageError, ValueError):
    """A configuration value (database URL, password hash, allocations file) is unusable."""


class BackupError(StorageError, ValueError):
    """A backup cannot be written or a backup file cannot be restored."""


class ConflictError(StorageError, RuntimeError):
    """Someone else changed the record after it was loaded (optimistic locking).

    ``record_id`` names the record (a measure id, a region code), ``stored_version`` is the
    version now in the database.
    """

    def __init__(self, message: str, record_id: str, stored_version: int | None) -> None:
        self.record_id = record_id
        self.stored_version = stored_version
        super().__init__(message)
