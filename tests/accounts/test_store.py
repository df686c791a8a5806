"""Users, roles, passwords and sessions in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, text

from adaptatie.accounts.errors import AccountError, LoginError
from adaptatie.accounts.roles import GRANTS, Permission, Role, allows, parse_role
from adaptatie.accounts.settings import SESSION_HOURS_ENV, SESSION_IDLE_ENV, public_read
from adaptatie.accounts.store import AccountStore
from adaptatie.accounts.throttle import LoginThrottle
from adaptatie.db.errors import ConfigurationError

PASSWORD = "een lange zin als wachtwoord"


def no_brake() -> LoginThrottle:
    return LoginThrottle(sleep=lambda _s: None)


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def test_roles_grant_what_the_issue_says() -> None:
    assert not GRANTS[Role.LEZER]
    assert allows(Role.REDACTEUR, Permission.LEDGER) and allows(Role.REDACTEUR, Permission.PROGRESS)
    assert not allows(Role.REDACTEUR, Permission.WORKSHOPS)
    assert not allows(Role.REDACTEUR, Permission.LAYERS)
    assert allows(Role.FACILITATOR, Permission.WORKSHOPS)
    assert not allows(Role.FACILITATOR, Permission.LEDGER)
    assert not allows(Role.FACILITATOR, Permission.PROGRESS)
    for permission in (Permission.USERS, Permission.LAYERS, Permission.ALLOCATIONS):
        assert allows(Role.BEHEERDER, permission)
    assert parse_role(" Redacteur ") is Role.REDACTEUR
    with pytest.raises(AccountError, match=r"Onbekende rol 'editor'.*lezer, redacteur"):
        parse_role("editor")


def test_add_list_and_the_hash_is_stored_not_the_password(
    accounts: AccountStore, engine: Engine
) -> None:
    accounts.add("Anna.deVries", Role.REDACTEUR, PASSWORD, full_name="Anna de Vries")
    accounts.add("bert", Role.FACILITATOR, PASSWORD)
    assert [(a.username, a.role) for a in accounts.list()] == [
        ("anna.devries", Role.REDACTEUR),
        ("bert", Role.FACILITATOR),
    ]
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM accounts")).scalars().all()
    assert all(h.startswith("scrypt$") and PASSWORD not in h for h in stored)
    assert stored[0] != stored[1]  # salted


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("a", PASSWORD, "niet geldig"),
        ("anna devries", PASSWORD, "niet geldig"),
        ("<script>", PASSWORD, "niet geldig"),
        ("anna", "kort", "te kort \\(4 tekens\\)"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    accounts: AccountStore, name: str, password: str, message: str
) -> None:
    with pytest.raises(AccountError, match=message):
        accounts.add(name, Role.LEZER, password)
    assert accounts.list() == []


def test_duplicate_user_is_refused_and_the_first_kept(accounts: AccountStore) -> None:
    accounts.add("anna", Role.REDACTEUR, PASSWORD)
    with pytest.raises(AccountError, match="bestaat al"):
        accounts.add("ANNA", Role.BEHEERDER, "een ander lang wachtwoord")
    assert accounts.get("anna").role is Role.REDACTEUR
    assert accounts.authenticate("anna", PASSWORD).username == "anna"


def test_login_wrong_password_and_unknown_name_give_the_same_message(engine: Engine) -> None:
    store = AccountStore(engine, throttle=no_brake())
    store.add("anna", Role.REDACTEUR, PASSWORD)
    messages = []
    for name, password in (("anna", "verkeerd wachtwoord"), ("niemand", PASSWORD)):
        with pytest.raises(LoginError) as info:
            store.authenticate(name, password)
        messages.append(str(info.value))
    assert messages[0] == messages[1]
    assert "Oplossing" in messages[0] and PASSWORD not in messages[0]


def test_the_last_beheerder_cannot_be_removed_or_demoted(accounts: AccountStore) -> None:
    accounts.add("root", Role.BEHEERDER, PASSWORD)
    with pytest.raises(AccountError, match="laatste beheerder"):
        accounts.remove("root")
    with pytest.raises(AccountError, match="laatste beheerder"):
        accounts.set_role("root", Role.LEZER)
    accounts.add("tweede", Role.BEHEERDER, PASSWORD)
    accounts.set_role("root", Role.LEZER)
    assert accounts.get("root").role is Role.LEZER
    with pytest.raises(AccountError, match="laatste beheerder"):
        accounts.remove("tweede")


def test_session_survives_until_it_expires(engine: Engine, monkeypatch) -> None:
    monkeypatch.setenv(SESSION_HOURS_ENV, "8")
    monkeypatch.setenv(SESSION_IDLE_ENV, "60")
    clock = Clock()
    store = AccountStore(engine, throttle=no_brake(), now=clock)
    account = store.add("anna", Role.REDACTEUR, PASSWORD)
    token = store.open_session(account)
    assert len(token) >= 40
    for _ in range(9):  # used every 50 minutes: alive until 8 hours after login
        clock.now += dt.timedelta(minutes=50)
        assert store.resume(token) == account
    clock.now = dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.UTC)  # exactly 8 hours
    assert store.resume(token) is None
    assert store.resume(token) is None  # and it stays gone


def test_session_ends_when_idle(engine: Engine, monkeypatch) -> None:
    monkeypatch.setenv(SESSION_IDLE_ENV, "60")
    clock = Clock()
    store = AccountStore(engine, throttle=no_brake(), now=clock)
    token = store.open_session(store.add("anna", Role.REDACTEUR, PASSWORD))
    clock.now += dt.timedelta(minutes=59)
    assert store.resume(token) is not None
    clock.now += dt.timedelta(minutes=61)
    assert store.resume(token) is None


def test_logout_reset_role_change_and_removal_end_sessions(accounts: AccountStore) -> None:
    accounts.add("root", Role.BEHEERDER, PASSWORD)
    anna = accounts.add("anna", Role.REDACTEUR, PASSWORD)
    token = accounts.open_session(anna)
    accounts.close_session(token)
    assert accounts.resume(token) is None
    token = accounts.open_session(anna)
    accounts.reset_password("anna", "een nieuw lang wachtwoord")
    assert accounts.resume(token) is None
    with pytest.raises(LoginError):
        accounts.authenticate("anna", PASSWORD)
    anna = accounts.authenticate("anna", "een nieuw lang wachtwoord")
    token = accounts.open_session(anna)
    accounts.set_role("anna", Role.LEZER)
    assert accounts.resume(token) is None
    token = accounts.open_session(accounts.get("anna"))
    accounts.remove("anna")
    assert accounts.resume(token) is None
    assert [a.username for a in accounts.list()] == ["root"]


def test_garbage_tokens_are_no_session(accounts: AccountStore) -> None:
    for token in (None, "", "x" * 5000, "niet-bestaand"):
        assert accounts.resume(token) is None


def test_settings(monkeypatch) -> None:
    monkeypatch.delenv("ADAPTATIE_PUBLIC_READ", raising=False)
    assert public_read()
    monkeypatch.setenv("ADAPTATIE_PUBLIC_READ", "0")
    assert not public_read()
    monkeypatch.setenv("ADAPTATIE_PUBLIC_READ", "misschien")
    with pytest.raises(ConfigurationError, match="Oplossing: zet 1"):
        public_read()
