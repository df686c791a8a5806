"""Editor access: one editor password, configured as a scrypt hash; read-only otherwise.

The hash comes from the environment variable ``ADAPTATIE_EDITOR_PASSWORD_HASH`` and is made with
:func:`hash_password` (``adaptatie db hash-password``). Format::

    scrypt$<n>$<r>$<p>$<salt, base64>$<key, base64>

Plain passwords are never stored or logged; verification uses :func:`hmac.compare_digest`.
Without the variable the dashboard is read-only for everyone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass

from adaptatie.db.errors import ConfigurationError
from adaptatie.finance.errors import ReadOnlyError

PASSWORD_HASH_ENV = "ADAPTATIE_EDITOR_PASSWORD_HASH"
MIN_LENGTH = 10
# scrypt cost: n=2**15, r=8 uses 32 MiB and about 0.1 s; the limits keep a bad hash harmless.
N, R, P = 2**15, 8, 1
_MAX_N, _MAX_R, _MAX_P = 2**20, 32, 16
_MAXMEM = 256 * 1024 * 1024
_SALT_BYTES = 16
_KEY_BYTES = 32


def hash_password(plain: str, *, n: int = N, r: int = R, p: int = P) -> str:
    """A ``scrypt$...`` hash of ``plain`` with a fresh random salt.

    Raises :class:`ConfigurationError` for passwords shorter than 10 characters.
    """
    if len(plain) < MIN_LENGTH:
        raise ConfigurationError(
            f"Het wachtwoord is te kort ({len(plain)} tekens). Oplossing: kies minstens "
            f"{MIN_LENGTH} tekens, bijv. een zin van een paar woorden."
        )
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _scrypt(plain, salt, n, r, p, _KEY_BYTES)
    return "$".join(["scrypt", str(n), str(r), str(p), _b64(salt), _b64(key)])


def verify_password(plain: str, encoded: str) -> bool:
    """True when ``plain`` matches the hash (constant-time comparison).

    Raises :class:`ConfigurationError` when ``encoded`` is not a hash made by
    :func:`hash_password`.
    """
    n, r, p, salt, key = _parse(encoded)
    candidate = _scrypt(plain, salt, n, r, p, len(key))
    return hmac.compare_digest(candidate, key)


@dataclass(frozen=True)
class EditorAccess:
    """Whether editing is possible and how to check the editor password."""

    password_hash: str | None

    @classmethod
    def from_env(cls) -> EditorAccess:
        """Read the hash from ``ADAPTATIE_EDITOR_PASSWORD_HASH`` (checked for its format)."""
        value = os.environ.get(PASSWORD_HASH_ENV, "").strip() or None
        if value is not None:
            _parse(value)
        return cls(value)

    @property
    def configured(self) -> bool:
        """False: nobody can edit (read-only dashboard)."""
        return self.password_hash is not None

    def verify(self, plain: str) -> bool:
        """True only when editing is configured and the password matches."""
        if self.password_hash is None:
            return False
        return verify_password(plain, self.password_hash)

    def require(self, plain: str) -> None:
        """Raise :class:`ReadOnlyError` (Dutch) unless ``plain`` is the editor password."""
        if self.password_hash is None:
            raise ReadOnlyError(
                "Bewerken is uitgeschakeld: er is geen redacteurswachtwoord ingesteld. "
                f"Oplossing: laat de beheerder {PASSWORD_HASH_ENV} instellen met de uitvoer van "
                "'adaptatie db hash-password'."
            )
        if not self.verify(plain):
            raise ReadOnlyError(
                "Het wachtwoord is onjuist. Oplossing: probeer het opnieuw of vraag de beheerder."
            )


def _scrypt(plain: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        plain.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=length
    )


def _parse(encoded: str) -> tuple[int, int, int, bytes, bytes]:
    parts = encoded.strip().split("$")
    try:
        if len(parts) != 6 or parts[0] != "scrypt":
            raise ValueError("format")
        n, r, p = (int(x) for x in parts[1:4])
        salt, key = _unb64(parts[4]), _unb64(parts[5])
        if not (2 <= n <= _MAX_N and n & (n - 1) == 0 and 1 <= r <= _MAX_R and 1 <= p <= _MAX_P):
            raise ValueError("parameters")
        if len(salt) < 8 or len(key) < 16:
            raise ValueError("lengths")
    except (ValueError, binascii.Error):
        raise ConfigurationError(
            f"{PASSWORD_HASH_ENV} bevat geen geldige wachtwoord-hash (verwacht "
            "scrypt$n$r$p$zout$sleutel). Oplossing: maak een nieuwe met 'adaptatie db "
            "hash-password' en zet die tussen enkele aanhalingstekens (vanwege de $-tekens)."
        ) from None
    return n, r, p, salt, key


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
