"""An unusable database is explained in Dutch with the fix, never with the driver's text."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.exc import OperationalError

from adaptatie.cli import main
from adaptatie.db.diagnosis import explain

ENGLISH = ("file is not a database", "malformed", "readonly", "OperationalError", "DatabaseError:")


def _finance_summary(home: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--home", str(home), "finance", "summary"])
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    "content",
    [b"geen database maar tekst" * 100, b"SQLite format 3\x00" + bytes(range(256)) * 40],
    ids=["geen-sqlite", "kapotte-sqlite"],
)
def test_a_damaged_database_file_points_to_a_backup(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.delenv("ADAPTATIE_DB_URL", raising=False)
    home = tmp_path / "home"
    home.mkdir()
    (home / "adaptatie.sqlite").write_bytes(content)
    code, err = _finance_summary(home)
    assert code == 1
    assert err.strip() == (
        f"Fout: Het databasebestand {home / 'adaptatie.sqlite'} is beschadigd: het is geen "
        "leesbare SQLite-database meer. Er is niets gewijzigd. Oplossing: zet een reservekopie "
        "terug met 'adaptatie db restore BESTAND' (reservekopieën maakt u met 'adaptatie db "
        "backup'), of verplaats het beschadigde bestand om met een lege database te beginnen."
    )
    assert (home / "adaptatie.sqlite").read_bytes() == content  # untouched
    # The driver's own text goes to the server log only.
    assert any("file is not a database" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("driver", "cause", "fix"),
    [
        ("attempt to write a readonly database", "kan niet worden beschreven", "schrijfrechten"),
        ("database is locked", "is bezet door een andere bewerking", "enkele seconden"),
        (
            'connection to server at "db" failed: Connection refused',
            "is niet bereikbaar",
            "of de databaseserver draait",
        ),
        (
            'password authentication failed for user "adaptatie"',
            "weigert de aanmelding",
            "gebruiker en het wachtwoord",
        ),
    ],
)
def test_common_causes_get_their_own_fix(driver: str, cause: str, fix: str) -> None:
    exc = OperationalError("SELECT 1", {}, Exception(driver))
    error = explain(exc, "postgresql+psycopg://adaptatie:geheim@db/adaptatie")
    text = str(error)
    assert cause in text and fix in text and "Oplossing:" in text
    assert "geheim" not in text  # never the password
    assert not any(fragment in text for fragment in ENGLISH)
