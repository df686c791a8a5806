"""Editor password: scrypt hashes from configuration, constant-time check, read-only default."""

from __future__ import annotations

import hmac

import pytest

from adaptatie.db.errors import ConfigurationError
from adaptatie.finance import auth
from adaptatie.finance.auth import (
    PASSWORD_HASH_ENV,
    EditorAccess,
    hash_password,
    verify_password,
)
from adaptatie.finance.errors import ReadOnlyError

PLAIN = "lange zin als wachtwoord"


@pytest.fixture(scope="module")
def encoded() -> str:
    return hash_password(PLAIN)


def test_hash_format_and_verification(encoded: str) -> None:
    parts = encoded.split("$")
    assert parts[0] == "scrypt" and parts[1:4] == ["32768", "8", "1"] and len(parts) == 6
    assert PLAIN not in encoded
    assert verify_password(PLAIN, encoded)
    assert not verify_password(PLAIN + "!", encoded)
    assert not verify_password("", encoded)


def test_salt_differs_each_time(encoded: str) -> None:
    assert hash_password(PLAIN) != encoded


def test_comparison_is_constant_time(encoded: str, monkeypatch) -> None:
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    assert verify_password(PLAIN, encoded)
    assert len(calls) == 1


def test_short_passwords_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="te kort"):
        hash_password("kort")


@pytest.mark.parametrize(
    "bad",
    [
        "geheim",
        "scrypt$1$8$1$AAAA$AAAA",
        "bcrypt$x",
        "scrypt$32768$8$1$!!!$???",
        "scrypt$3$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    ],
)
def test_malformed_hash_in_configuration(bad: str, monkeypatch) -> None:
    monkeypatch.setenv(PASSWORD_HASH_ENV, bad)
    with pytest.raises(ConfigurationError, match="geen geldige wachtwoord-hash"):
        EditorAccess.from_env()


def test_read_only_without_configuration(monkeypatch) -> None:
    monkeypatch.delenv(PASSWORD_HASH_ENV, raising=False)
    access = EditorAccess.from_env()
    assert not access.configured
    assert not access.verify(PLAIN)
    with pytest.raises(ReadOnlyError, match="Bewerken is uitgeschakeld"):
        access.require(PLAIN)


def test_editor_from_environment(encoded: str, monkeypatch) -> None:
    monkeypatch.setenv(PASSWORD_HASH_ENV, encoded)
    access = EditorAccess.from_env()
    assert access.configured and access.verify(PLAIN)
    access.require(PLAIN)
    with pytest.raises(ReadOnlyError, match="onjuist"):
        access.require("verkeerd wachtwoord")
