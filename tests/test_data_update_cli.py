"""The `data update` command, invoked through its own click group."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from adaptatie.cli_data import data, parse_years
from adaptatie.errors import AdaptatieError
from adaptatie.io.update import current_release
from tests.update_server import LocalServer, build_services, in_use_folder


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with LocalServer(build_services(tmp_path_factory.mktemp("ws"))) as running:
        yield running


@pytest.fixture
def env(monkeypatch, server, tmp_path) -> Path:
    monkeypatch.setenv("ADAPTATIE_PDOK_URL", f"{server.base}/ogc")
    monkeypatch.setenv("ADAPTATIE_CBS_URL", f"{server.base}/cbs")
    monkeypatch.setenv("ADAPTATIE_WATERSCHAPPEN_URL", f"{server.base}/atom/waterschappen.gpkg")
    (tmp_path / "in_gebruik").mkdir()
    return in_use_folder(tmp_path / "in_gebruik")


def test_update_command_switches_and_reports(env, tmp_path):
    home = tmp_path / "home"
    args = ["update", "--home", str(home), "--data-dir", str(env), "--years", "2023-2024"]
    result = CliRunner().invoke(data, args)
    assert result.exit_code == 0, result.output
    release = current_release(home)
    assert release is not None
    assert f"Nieuwe gegevens in gebruik: {release}" in result.output
    assert "gemeenten 2024" in result.output and "342 rijen" in result.output
    assert "[########################] 4/4" in result.output  # the progress bar reached the end


def test_dry_run_command_writes_nothing(env, tmp_path):
    home = tmp_path / "home"
    result = CliRunner().invoke(
        data, ["update", "--home", str(home), "--data-dir", str(env), "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "Proefdraai: er wordt niets opgehaald of gewijzigd." in result.output
    assert "gemeenten 2022: overnemen uit" in result.output
    assert not (home / "data" / "releases").exists()


def test_service_error_gives_dutch_message_and_exit_1(env, tmp_path, monkeypatch, server):
    monkeypatch.setenv("ADAPTATIE_PDOK_URL", f"{server.base}/verkeerd")
    home = tmp_path / "home"
    result = CliRunner().invoke(
        data, ["update", "--home", str(home), "--data-dir", str(env), "--years", "2024"]
    )
    assert result.exit_code == 1
    assert "Fout: PDOK (CBS gebiedsindelingen)" in result.output
    assert "weigerde het verzoek (HTTP 404)" in result.output
    assert current_release(home) is None


def test_parse_years():
    assert parse_years("2023,2024") == [2023, 2024]
    assert parse_years("2020-2022, 2024") == [2020, 2021, 2022, 2024]
    assert parse_years(None) is None
    with pytest.raises(AdaptatieError) as err:
        parse_years("2024-2020")
    assert str(err.value) == (
        "--years: '2024-2020' valt buiten 1900-2100 of loopt achteruit. Oplossing: schrijf "
        "bijvoorbeeld --years 2020-2024."
    )
