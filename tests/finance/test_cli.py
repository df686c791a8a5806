"""The CLI groups: measures import/export, finance summary --json, db backup/hash-password."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from adaptatie.finance.auth import verify_password
from adaptatie.finance.cli import db, finance, measures
from adaptatie.finance.ledger import Ledger
from tests.finance.factories import HEADER, ROW_A, ROW_B, csv_bytes

SUMMARY_KEYS = {
    "werkregio",
    "allocation",
    "requested_rijk",
    "granted_rijk",
    "total_cost",
    "n_measures",
    "violations",
}


def run(group: click.Group, args: list[str], **kwargs) -> tuple[int, str, str]:
    result = CliRunner().invoke(group, args, **kwargs)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "maatregelen.csv"
    path.write_bytes(csv_bytes(HEADER, ROW_A, ROW_B))
    return path


def test_import_export_and_summary(db_url: str, csv_file: Path, tmp_path: Path) -> None:
    code, out, _ = run(measures, ["--db-url", db_url, "import", str(csv_file), "--user", "Anna"])
    assert code == 0 and "2 maatregel(en) ingelezen uit maatregelen.csv" in out

    code, out, _ = run(finance, ["--db-url", db_url, "summary", "--json"])
    assert code == 0
    rows = {r["werkregio"]: r for r in json.loads(out)}
    assert list(rows) == ["WR-GND", "WR-NVS", "WR-FLU", "WR-TWN"]
    for row in rows.values():
        assert set(row) >= SUMMARY_KEYS
    flu = rows["WR-FLU"]
    assert flu["allocation"] == 5_000_000.0
    assert flu["requested_rijk"] == 300_000.0 and flu["granted_rijk"] == 0.0
    assert flu["total_cost"] == 1_234_567.89 and flu["n_measures"] == 1
    assert rows["WR-TWN"]["granted_rijk"] == 150_000.0
    assert rows["WR-GND"]["allocation"] is None
    assert flu["violations"] == []

    code, out, _ = run(finance, ["--db-url", db_url, "summary"])
    assert code == 0 and "maximum rijksbijdrage: € 5.000.000" in out
    assert "maximum rijksbijdrage: onbekend\n" in out and "€ 6.802.000" in out
    assert "maximum rijksbijdrage: € 5.400.000 (geclaimd)" in out
    assert "bron: Provincie Drenthe, nieuwsbericht, 24-04-2024" in out

    for suffix in (".csv", ".xlsx"):
        target = tmp_path / f"uit{suffix}"
        code, out, _ = run(measures, ["--db-url", db_url, "export", str(target)])
        assert code == 0 and target.is_file() and "2 maatregel(en) geschreven" in out


def test_rejected_import_exits_1_with_dutch_errors(db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "fout.csv"
    bad.write_bytes(csv_bytes(HEADER, ROW_A.replace("Fluvius", "Atlantis")))
    code, out, err = run(measures, ["--db-url", db_url, "import", str(bad)])
    assert code == 1 and out == ""
    assert err.startswith("Fout: Bestand fout.csv is niet ingelezen (1 probleem)")
    assert "Rij 2, kolom werkregio (C): werkregio 'Atlantis' is onbekend" in err
    with Ledger.open(db_url) as ledger:
        assert ledger.measures() == []


def test_missing_file_and_bad_export_name(db_url: str, tmp_path: Path) -> None:
    code, _, err = run(measures, ["--db-url", db_url, "import", str(tmp_path / "weg.csv")])
    assert code == 1 and "kan niet worden gelezen" in err
    code, _, err = run(measures, ["--db-url", db_url, "export", str(tmp_path / "x.pdf")])
    assert code == 1 and err.startswith("Fout: Exporteren kan naar .csv of .xlsx")


def test_backup(db_url: str, csv_file: Path, tmp_path: Path) -> None:
    run(measures, ["--db-url", db_url, "import", str(csv_file), "--user", "Anna"])
    target = tmp_path / "backup.bak"
    code, out, _ = run(db, ["--db-url", db_url, "backup", str(target)])
    assert code == 0 and target.is_file()
    kind = "SQLite-kopie" if db_url.startswith("sqlite") else "JSON-dump"
    assert f"Back-up ({kind}) geschreven" in out
    code, _, err = run(db, ["--db-url", db_url, "backup", str(target)])
    assert code == 1 and "bestaat al" in err


def test_backup_json_and_restore_into_a_new_database(
    db_url: str, csv_file: Path, tmp_path: Path
) -> None:
    run(measures, ["--db-url", db_url, "import", str(csv_file), "--user", "Anna"])
    dump = tmp_path / "dump.json"
    assert run(db, ["--db-url", db_url, "backup", "--json", str(dump)])[0] == 0
    new_url = f"sqlite:///{tmp_path / 'hersteld.sqlite'}"
    code, out, _ = run(db, ["--db-url", new_url, "restore", str(dump)])
    assert code == 0 and out.startswith("Hersteld: 2 maatregelen, 4 toewijzingen")
    code, _, err = run(db, ["--db-url", new_url, "restore", str(dump)])
    assert code == 1 and "niet leeg" in err


def test_hash_password_prompts_twice_and_prints_a_verifiable_hash() -> None:
    secret = "een lang geheim wachtwoord"
    code, out, err = run(db, ["hash-password"], input=f"{secret}\n{secret}\n")
    assert code == 0
    encoded = out.strip().splitlines()[-1]
    assert encoded.startswith("scrypt$") and secret not in out
    assert verify_password(secret, encoded)
    assert "ADAPTATIE_EDITOR_PASSWORD_HASH=" in err


def test_hash_password_refuses_short_passwords() -> None:
    code, _, err = run(db, ["hash-password"], input="kort\nkort\n")
    assert code == 1 and "te kort" in err


def test_default_database_lives_in_the_home_folder_of_the_main_cli(
    tmp_path: Path, csv_file: Path, monkeypatch
) -> None:
    """Registered under a root group with --home (like adaptatie.cli.main)."""
    monkeypatch.delenv("ADAPTATIE_DB_URL", raising=False)

    @click.group()
    @click.option("--home", default=None)
    @click.option("--regions-file", default=None)
    def root(home: str | None, regions_file: str | None) -> None:
        pass

    root.add_command(measures)
    home = tmp_path / "thuis"
    code, _, _ = run(root, ["--home", str(home), "measures", "import", str(csv_file)])
    assert code == 0
    assert (home / "adaptatie.sqlite").is_file()
