"""Errors of the accounts (Dutch messages that say what to do)."""

from __future__ import annotations

from adaptatie.errors import AdaptatieError


class AccountError(AdaptatieError, ValueError):
    """A user command cannot be carried out (unknown user, bad name, last beheerder, ...)."""


class LoginError(AdaptatieError, PermissionError):
    """The name or password is wrong, or too many attempts are waiting."""


class AccessDeniedError(AdaptatieError, PermissionError):
    """The account (or the anonymous visitor) lacks the role for a change."""
