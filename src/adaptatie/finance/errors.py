"""Exceptions of the co-financing ledger (messages in Dutch, see :mod:`adaptatie.errors`).

Database errors (unreachable, locked, conflicting versions) are :mod:`adaptatie.db.errors`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from adaptatie.errors import AdaptatieError

if TYPE_CHECKING:
    from adaptatie.finance.rules import Violation


class LedgerError(AdaptatieError):
    """Root of the ledger's own errors."""


class MeasureNotFoundError(LedgerError, KeyError):
    """No measure with that id is stored."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class RuleViolationError(LedgerError, ValueError):
    """Hard Impulsregeling rules are broken; nothing was written.

    ``violations`` holds the :class:`~adaptatie.finance.rules.Violation` objects; the message lists
    them one per line.
    """

    def __init__(self, violations: Sequence[Violation], intro: str | None = None) -> None:
        self.violations = list(violations)
        head = intro or "Niet opgeslagen: de wijziging breekt de regels van de Impulsregeling."
        super().__init__("\n".join([head, *(f"- {v.message}" for v in self.violations)]))


class ImportRejectedError(LedgerError, ValueError):
    """An import file was refused as a whole; ``problems`` lists every problem found."""

    def __init__(self, file_name: str, problems: Sequence[str]) -> None:
        self.file_name = file_name
        self.problems = list(problems)
        count = len(self.problems)
        head = (
            f"Bestand {file_name} is niet ingelezen ({count} "
            f"{'probleem' if count == 1 else 'problemen'}); er is niets opgeslagen en de "
            "bestaande gegevens "
            "zijn ongewijzigd. Herstel het bestand en lees het opnieuw in."
        )
        super().__init__("\n".join([head, *(f"- {p}" for p in self.problems)]))


class ExportError(LedgerError, ValueError):
    """An export cannot be written (unsupported file type)."""


class ReadOnlyError(LedgerError, PermissionError):
    """An edit was attempted without editor rights."""
