"""Roles and what each may change.

===============  ==========================================================
role             may change
===============  ==========================================================
``lezer``        nothing (reads everything)
``redacteur``    the co-financing ledger (measures, imports) and DPRA progress
``facilitator``  risk-dialogue workshops and their outcomes
``beheerder``    everything: users, stress-test layers, allocations, and the above
===============  ==========================================================
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    LEZER = "lezer"
    REDACTEUR = "redacteur"
    FACILITATOR = "facilitator"
    BEHEERDER = "beheerder"

    @property
    def label(self) -> str:
        return self.value


class Permission(StrEnum):
    """A kind of change; the Dutch ``label`` names it in messages."""

    LEDGER = "ledger"
    PROGRESS = "progress"
    WORKSHOPS = "workshops"
    LAYERS = "layers"
    ALLOCATIONS = "allocations"
    USERS = "users"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Permission.LEDGER: "maatregelen en cofinanciering wijzigen",
    Permission.PROGRESS: "DPRA-voortgang vastleggen",
    Permission.WORKSHOPS: "risicodialogen leiden en uitkomsten vastleggen",
    Permission.LAYERS: "stresstestlagen toevoegen en verwijderen",
    Permission.ALLOCATIONS: "toewijzingen wijzigen",
    Permission.USERS: "gebruikers beheren",
}

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.LEZER: frozenset(),
    Role.REDACTEUR: frozenset({Permission.LEDGER, Permission.PROGRESS}),
    Role.FACILITATOR: frozenset({Permission.WORKSHOPS}),
    Role.BEHEERDER: frozenset(Permission),
}


def allows(role: Role, permission: Permission) -> bool:
    """True when ``role`` may make changes of kind ``permission``."""
    return permission in GRANTS[role]


def roles_allowing(permission: Permission) -> tuple[Role, ...]:
    """The roles that may make changes of kind ``permission`` (for Dutch messages)."""
    return tuple(role for role in Role if allows(role, permission))


def parse_role(text: str) -> Role:
    """A role from its Dutch name; :class:`AccountError` names the valid ones."""
    from adaptatie.accounts.errors import AccountError

    try:
        return Role(text.strip().casefold())
    except ValueError:
        raise AccountError(
            f"Onbekende rol '{text}'. Oplossing: kies een van "
            + ", ".join(r.value for r in Role)
            + "."
        ) from None
