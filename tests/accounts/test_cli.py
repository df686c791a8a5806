"""``adaptatie users ...`` and the migration of a single-password database."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import text

from adaptatie.accounts.roles import Role
from adaptatie.accounts.store import AccountStore
from adaptatie.cli import main
from adaptatie.db.engine import current_revision, head_revision, make_engine
from adaptatie.finance.auth import hash_password
from adaptatie.finance.ledger import Ledger

PASSWORD = "een lange zin als wachtwoord"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ledger-2026-12-01.sqlite"


def run(url: str, *args: str, input: str | None = None, env: dict | None = None):
    return CliRunner().invoke(main, ["users", "--db-url", url, *args], input=input, env=env)


def test_users_add_list_set_role_reset_remove(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.sqlite'}"
    empty = run(url, "list")
    assert empty.exit_code == 0 and "adaptatie users add NAAM --role beheerder" in empty.output
    first = run(url, "add", "root", "--role", "beheerder", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert first.exit_code == 0, first.output
    assert PASSWORD not in first.output  # never echoed
    added = run(
        url,
        "add",
        "anna",
        "--role",
        "redacteur",
        "--name",
        "Anna de Vries",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert "Anna de Vries (anna) toegevoegd met rol redacteur" in added.output
    listing = run(url, "list")
    assert listing.output.splitlines() == ["anna\tredacteur\tAnna de Vries", "root\tbeheerder\t"]
    assert "nu de rol facilitator" in run(url, "set-role", "anna", "facilitator").output
    new = "een nieuwe lange zin"
    assert run(url, "reset-password", "anna", input=f"{new}\n{new}\n").exit_code == 0
    store = AccountStore(make_engine(url))
    assert store.authenticate("anna", new).role is Role.FACILITATOR
    refused = run(url, "remove", "anna", input="n\n")
    assert refused.exit_code == 1 and [a.username for a in store.list()] == ["anna", "root"]
    assert run(url, "remove", "anna", "--yes").exit_code == 0
    last = run(url, "remove", "root", "--yes")
    assert last.exit_code == 1 and "laatste beheerder" in last.output
    unknown = run(url, "set-role", "niemand", "lezer")
    assert unknown.exit_code == 1 and "bestaat niet" in unknown.output
    bad_role = run(url, "set-role", "root", "koning")
    assert bad_role.exit_code == 2


def test_a_single_password_database_migrates(tmp_path: Path) -> None:
    """The ledger of before the accounts (schema 0003) gets the accounts tables, keeps every row,
    and the old editor password becomes the password of a named account."""
    copy = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURE, copy)
    url = f"sqlite:///{copy}"
    old_hash = hash_password(PASSWORD)
    result = run(
        url,
        "add",
        "anna",
        "--role",
        "redacteur",
        "--from-editor-hash",
        env={"ADAPTATIE_EDITOR_PASSWORD_HASH": old_hash},
    )
    assert result.exit_code == 0, result.output
    engine = make_engine(url)
    assert current_revision(engine) == head_revision()  # 0004_accounts and after
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM accounts")).scalar_one()
    assert stored == old_hash
    assert AccountStore(engine).authenticate("anna", PASSWORD).role is Role.REDACTEUR
    with Ledger.open(url) as ledger:
        assert {m.id for m in ledger.measures()} == {"FLU-001", "FLU-002"}
        assert len(ledger.audit()) == 45
    missing = run(
        url,
        "add",
        "bert",
        "--role",
        "redacteur",
        "--from-editor-hash",
        env={"ADAPTATIE_EDITOR_PASSWORD_HASH": ""},
    )
    assert missing.exit_code == 1 and "is niet gezet" in missing.output
