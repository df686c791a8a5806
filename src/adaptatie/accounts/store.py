"""Users, roles, logins and sessions in the ledger database.

``AccountStore(engine)`` needs a database at migration ``0004_accounts`` or later (the ledger
migrates on open). Logins go through the :class:`~adaptatie.accounts.throttle.LoginThrottle`;
an unknown name costs the same hash as a known one, so the answer does not tell which names
exist. A session is a random token (in the browser's cookie) whose SHA-256 is stored with its
expiry; :meth:`AccountStore.resume` checks both the absolute lifetime and the idle time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from adaptatie.accounts import settings
from adaptatie.accounts.errors import AccountError, LoginError
from adaptatie.accounts.models import AccountRow, SessionRow
from adaptatie.accounts.roles import Role
from adaptatie.accounts.throttle import LoginThrottle
from adaptatie.db.session import reading, writing
from adaptatie.finance.auth import MIN_LENGTH, hash_password, verify_password

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_TOUCH_EVERY = dt.timedelta(minutes=1)  # write last_seen_at at most once a minute


@dataclass(frozen=True)
class Account:
    """A user as the rest of the product sees it (no hash)."""

    username: str
    role: Role
    full_name: str = ""

    @property
    def display(self) -> str:
        """``Anna de Vries (anna)`` or ``anna``: how the account appears on screen."""
        return f"{self.full_name} ({self.username})" if self.full_name else self.username


@cache
def _dummy_hash() -> str:
    """A hash to check unknown names against, so they cost the same time as known ones."""
    return hash_password(secrets.token_urlsafe(16))


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _account(row: AccountRow) -> Account:
    return Account(row.username, Role(row.role), row.full_name)


class AccountStore:
    """Users and sessions of one database."""

    def __init__(
        self,
        engine: Engine,
        *,
        throttle: LoginThrottle | None = None,
        now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self.engine = engine
        self.throttle = throttle or LoginThrottle()
        self._now = now

    # -- users ---------------------------------------------------------------------------------

    def add(
        self,
        username: str,
        role: Role,
        password: str | None = None,
        *,
        full_name: str = "",
        password_hash: str | None = None,
    ) -> Account:
        """Store a new user with a password (or an existing scrypt hash, for the migration)."""
        name = check_username(username)
        encoded = _hash(password) if password_hash is None else _checked_hash(password_hash)
        now = self._now()
        with writing(self.engine) as s:
            if s.get(AccountRow, name) is not None:
                raise AccountError(
                    f"Gebruiker '{name}' bestaat al. Oplossing: kies een andere naam, of wijzig "
                    f"de rol met 'adaptatie users set-role {name} ROL'."
                )
            s.add(
                AccountRow(
                    username=name,
                    full_name=full_name.strip(),
                    role=role.value,
                    password_hash=encoded,
                    created_at=now,
                    password_changed_at=now,
                )
            )
        return Account(name, role, full_name.strip())

    def list(self) -> list[Account]:
        """Every user, by name."""
        with reading(self.engine) as s:
            rows = s.scalars(select(AccountRow).order_by(AccountRow.username)).all()
            return [_account(r) for r in rows]

    def get(self, username: str) -> Account:
        with reading(self.engine) as s:
            return _account(self._row(s, username))

    def count(self, role: Role | None = None) -> int:
        query = select(func.count()).select_from(AccountRow)
        if role is not None:
            query = query.where(AccountRow.role == role.value)
        with reading(self.engine) as s:
            return int(s.scalar(query) or 0)

    def set_role(self, username: str, role: Role) -> Account:
        """Change the role; the user's sessions end (the next page asks to log in again)."""
        with writing(self.engine) as s:
            row = self._row(s, username)
            if row.role == Role.BEHEERDER and role != Role.BEHEERDER:
                self._keep_one_admin(s, row.username)
            row.role = role.value
            s.execute(delete(SessionRow).where(SessionRow.username == row.username))
            return _account(row)

    def reset_password(self, username: str, password: str) -> None:
        """A new password; every session of the user ends."""
        encoded = _hash(password)
        with writing(self.engine) as s:
            row = self._row(s, username)
            row.password_hash = encoded
            row.password_changed_at = self._now()
            s.execute(delete(SessionRow).where(SessionRow.username == row.username))

    def remove(self, username: str) -> None:
        """Remove the user and its sessions. The audit log keeps the name it recorded."""
        with writing(self.engine) as s:
            row = self._row(s, username)
            if row.role == Role.BEHEERDER:
                self._keep_one_admin(s, row.username)
            s.execute(delete(SessionRow).where(SessionRow.username == row.username))
            s.delete(row)

    # -- logins and sessions -------------------------------------------------------------------

    def authenticate(self, username: str, password: str, *, client: str = "onbekend") -> Account:
        """The account when name and password match; :class:`LoginError` otherwise (slowed)."""
        name = username.strip().casefold()
        found: list[Account] = []

        def check() -> bool:
            with reading(self.engine) as s:
                row = s.get(AccountRow, name) if USERNAME.match(name) else None
                encoded = row.password_hash if row is not None else _dummy_hash()
                account = _account(row) if row is not None else None
            if verify_password(password, encoded) and account is not None:
                found.append(account)
                return True
            return False

        keys = (f"account:{name}", f"client:{client}")
        if not self.throttle.attempt(keys, check):
            raise LoginError(
                "De gebruikersnaam of het wachtwoord klopt niet. Oplossing: controleer beide "
                "(hoofdletters tellen mee in het wachtwoord) of vraag de beheerder om een nieuw "
                "wachtwoord."
            )
        return found[0]

    def open_session(self, account: Account) -> str:
        """A new session token for ``account`` (to keep in the browser's cookie)."""
        token = secrets.token_urlsafe(32)
        now = self._now()
        with writing(self.engine) as s:
            s.execute(delete(SessionRow).where(SessionRow.expires_at < now))  # tidy up
            s.add(
                SessionRow(
                    token_hash=_token_hash(token),
                    username=account.username,
                    created_at=now,
                    expires_at=now + settings.session_lifetime(),
                    last_seen_at=now,
                )
            )
        return token

    def resume(self, token: str | None) -> Account | None:
        """The account of a live session, or None (unknown, expired, idle too long)."""
        if not isinstance(token, str) or not token or len(token) > 200:
            return None
        now = self._now()
        with writing(self.engine) as s:
            row = s.get(SessionRow, _token_hash(token))
            if row is None:
                return None
            if row.expires_at <= now or now - row.last_seen_at > settings.session_idle():
                s.delete(row)
                return None
            if now - row.last_seen_at >= _TOUCH_EVERY:
                row.last_seen_at = now
            account = s.get(AccountRow, row.username)
            return _account(account) if account is not None else None

    def close_session(self, token: str | None) -> None:
        """Logout: the token no longer works, whatever the browser keeps."""
        if token:
            with writing(self.engine) as s:
                s.execute(delete(SessionRow).where(SessionRow.token_hash == _token_hash(token)))

    # -- helpers -------------------------------------------------------------------------------

    def _row(self, s: Session, username: str) -> AccountRow:
        name = username.strip().casefold()
        row = s.get(AccountRow, name)
        if row is None:
            raise AccountError(
                f"Gebruiker '{username}' bestaat niet. Oplossing: bekijk de gebruikers met "
                "'adaptatie users list'."
            )
        return row

    def _keep_one_admin(self, s: Session, username: str) -> None:
        others = s.scalar(
            select(func.count())
            .select_from(AccountRow)
            .where(AccountRow.role == Role.BEHEERDER.value, AccountRow.username != username)
        )
        if not others:
            raise AccountError(
                f"'{username}' is de laatste beheerder. Oplossing: maak eerst een ander account "
                "beheerder ('adaptatie users set-role NAAM beheerder')."
            )


def check_username(username: str) -> str:
    """The name in lower case; :class:`AccountError` when it is not 2-64 plain characters."""
    name = username.strip().casefold()
    if not USERNAME.match(name):
        raise AccountError(
            f"Gebruikersnaam '{username}' is niet geldig. Oplossing: gebruik 2 tot 64 tekens: "
            "letters a-z, cijfers, punt, streepje of liggend streepje, bijv. 'anna.devries'."
        )
    return name


def _hash(password: str | None) -> str:
    if password is None or len(password) < MIN_LENGTH:
        raise AccountError(
            f"Het wachtwoord is te kort ({len(password or '')} tekens). Oplossing: kies minstens "
            f"{MIN_LENGTH} tekens, bijv. een zin van een paar woorden."
        )
    return hash_password(password)


def _checked_hash(encoded: str) -> str:
    verify_password("", encoded)  # raises ConfigurationError when it is no scrypt hash
    return encoded.strip()
