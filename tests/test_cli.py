"""The `adaptatie` command line, in-process and as the installed entry point."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from adaptatie.cli import main
from tests.synthetic import write_regions_file


@pytest.fixture
def synthetic_args(synthetic_dir: Path, tmp_path: Path) -> list[str]:
    regions = write_regions_file(tmp_path / "regions.toml")
    return ["--data-dir", str(synthetic_dir), "--regions-file", str(regions)]


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stdout, result.stderr


def test_show_json_has_the_documented_keys(synthetic_args: list[str]) -> None:
    code, out, _ = run(
        [*synthetic_args, "regions", "show", "Oostcluster", "--year", "2017", "--json"]
    )
    assert code == 0
    data = json.loads(out)
    assert data["name"] == "Oostcluster"
    assert data["kind"] == "cluster"
    assert data["year"] == 2017
    assert data["members"] == [
        {"code": "GM9002", "name": "Beedorp", "share": 1.0},
        {"code": "GM9003", "name": "Ceedorp", "share": 1.0},
    ]
    assert data["area_km2"] == pytest.approx(200.0)
    assert data["population"] is None
    assert data["population_year"] is None
    assert data["waterschappen"] == [
        {"code": "WS16", "name": "Waterschap Oost", "share": 0.75},
        {"code": "WS17", "name": "Waterschap West", "share": 0.25},
    ]


def test_show_text(synthetic_args: list[str]) -> None:
    code, out, _ = run([*synthetic_args, "regions", "show", "Alles", "--year", "2018"])
    assert code == 0
    assert "Oppervlakte: 300,0 km²" in out
    assert "Inwoners: 1.500 (CBS 2018" in out


def test_ambiguous_name_exits_non_zero_with_candidates(synthetic_args: list[str]) -> None:
    code, out, err = run([*synthetic_args, "regions", "show", "Ceedorp", "--year", "2018"])
    assert code == 1
    assert out == ""
    assert "Ceedorp (gemeente, GM9003)" in err
    assert "Ceedorp (werkregio, WR)" in err
    assert "--kind" in err
    code, out, _ = run(
        [
            *synthetic_args,
            "regions",
            "show",
            "Ceedorp",
            "--kind",
            "werkregio",
            "--year",
            "2018",
            "--json",
        ]
    )
    assert code == 0
    assert json.loads(out)["kind"] == "werkregio"


def test_unknown_name_and_year(synthetic_args: list[str]) -> None:
    code, _, err = run([*synthetic_args, "regions", "show", "Nieuwdrop", "--year", "2018"])
    assert code == 1
    assert "Bedoelde u: Nieuwdorp (gemeente, GM9004)" in err
    code, _, err = run([*synthetic_args, "regions", "list", "--year", "2030"])
    assert code == 1
    assert "Beschikbare grensjaren: 2017, 2018, 2019" in err


def test_list_by_kind(synthetic_args: list[str]) -> None:
    code, out, _ = run(
        [*synthetic_args, "regions", "list", "--kind", "gemeente", "--year", "2017", "--json"]
    )
    assert code == 0
    assert [r["id"] for r in json.loads(out)] == ["GM9001", "GM9002", "GM9003"]


def test_lineage_command(synthetic_args: list[str]) -> None:
    code, out, _ = run([*synthetic_args, "lineage", "2017", "2018", "--json"])
    assert code == 0
    changes = {c["to_code"]: c for c in json.loads(out)["changes"]}
    assert [f["code"] for f in changes["GM9004"]["from"]] == ["GM9001", "GM9002"]
    assert changes["GM9003"]["partial"][0]["share"] == pytest.approx(0.3)


def test_missing_data_folder(tmp_path: Path) -> None:
    code, _, err = run(["--data-dir", str(tmp_path / "weg"), "regions", "list"])
    assert code == 1
    assert err.startswith("Fout: De map met brongegevens bestaat niet")


def test_check_reports_repairs(shared_geodata: Path) -> None:
    code, out, _ = run(["--data-dir", str(shared_geodata), "check"])
    assert code == 0
    assert "Grensjaren: 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024" in out
    assert "PV29" in out  # Zeeland is a geometry collection in the provinces file


def test_installed_entry_point_on_real_data(shared_geodata: Path) -> None:
    exe = shutil.which("adaptatie") or str(
        Path(__file__).parents[1] / ".venv" / "bin" / "adaptatie"
    )
    result = subprocess.run(
        [
            exe,
            "--data-dir",
            str(shared_geodata),
            "regions",
            "show",
            "GHT",
            "--year",
            "2019",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [m["name"] for m in data["members"]] == ["Groningen"]
    assert {w["code"] for w in data["waterschappen"]} >= {"WS16", "WS17"}
    ambiguous = subprocess.run(
        [
            exe,
            "--data-dir",
            str(shared_geodata),
            "regions",
            "show",
            "Westerkwartier",
            "--year",
            "2024",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ambiguous.returncode == 1
    assert "Westerkwartier (cluster, WKW)" in ambiguous.stderr


def test_layers_add_list_and_summary(
    synthetic_args: list[str], tmp_path: Path, ramp_raster: Callable[[Path], Path]
) -> None:
    home = ["--home", str(tmp_path / "home")]
    raster = ramp_raster(tmp_path / "hitte.tif")
    code, out, err = run(
        [
            *synthetic_args,
            *home,
            "layers",
            "add",
            str(raster),
            "--id",
            "hitte-ramp",
            "--theme",
            "hitte",
            "--scenario",
            "SYNTHETISCHE helling",
            "--unit",
            "°C",
            "--source",
            "testbestand",
            "--date",
            "30-06-2024",
        ]
    )
    assert code == 0, err
    assert "Laag 'hitte-ramp' toegevoegd" in out
    code, out, _ = run([*synthetic_args, *home, "layers", "list"])
    assert "hitte-ramp" in out
    code, out, err = run(
        [
            *synthetic_args,
            *home,
            "summary",
            "--layer",
            "hitte-ramp",
            "--set",
            "gemeente",
            "--year",
            "2017",
            "--format",
            "json",
        ]
    )
    assert code == 0, err
    data = json.loads(out)
    assert (data["layer"], data["boundary_year"], data["date"]) == (
        "hitte-ramp",
        2017,
        "2024-06-30",
    )
    means = {row["region_code"]: row["mean"] for row in data["rows"]}
    assert means == {
        "GM9001": pytest.approx(15.0, abs=1e-4),
        "GM9002": pytest.approx(25.0, abs=1e-4),
        "GM9003": pytest.approx(35.0, abs=1e-4),
    }
    code, out, _ = run(
        [
            *synthetic_args,
            *home,
            "summary",
            "--layer",
            "hitte-ramp",
            "--set",
            "cluster",
            "--year",
            "2017",
        ]
    )
    assert out.splitlines()[1].startswith("region_code,region_name,mean,max,valid_area_ha")
    code, _, err = run(
        [*synthetic_args, *home, "summary", "--layer", "bestaat-niet", "--set", "gemeente"]
    )
    assert code == 1
    assert "geen stresstestlaag met id 'bestaat-niet'" in err
    # Hotspots above the theme's highest threshold (35 °C): the ramp 10 + x °C (x in km, 100 m
    # pixels) exceeds it in columns 250-299, one area of 50 x 100 pixels = 5.000 ha in Ceedorp
    # (x 20-30 km), maximum 39,95 °C (the centre of the last column). No measures yet.
    hotspot_args = [*synthetic_args, *home, "hotspots", "--layer", "hitte-ramp", "--year", "2017"]
    code, out, err = run([*hotspot_args, "--format", "json"])
    assert code == 0, err
    data = json.loads(out)
    assert (data["threshold"], data["unit"], data["boundary_year"]) == (35.0, "°C", 2017)
    (hotspot,) = data["hotspots"]
    assert (hotspot["Regio"], hotspot["Oppervlakte (ha)"], hotspot["Maximum (°C)"]) == (
        "Ceedorp",
        "5.000,00",
        "39,95",
    )
    assert hotspot["Bereikt"] == "nee"
    code, out, err = run(hotspot_args)
    assert code == 0, err
    assert "  Ceedorp: 1 hotspot(s), 0 bereikt door een maatregel, 1 niet" in out
    code, _, err = run([*synthetic_args, *home, "hotspots", "--layer", "bestaat-niet"])
    assert code == 1 and "geen stresstestlaag met id 'bestaat-niet'" in err


def test_layers_add_refuses_bad_date_and_bad_file(
    synthetic_args: list[str], tmp_path: Path
) -> None:
    home = ["--home", str(tmp_path / "home")]
    bad = tmp_path / "kapot.tif"
    bad.write_text("geen raster", encoding="utf-8")
    code, _, err = run(
        [
            *synthetic_args,
            *home,
            "layers",
            "add",
            str(bad),
            "--id",
            "x1",
            "--theme",
            "hitte",
            "--scenario",
            "test",
            "--unit",
            "°C",
        ]
    )
    assert code == 1
    assert "geen leesbaar rasterbestand" in err
    code, _, err = run(
        [
            *synthetic_args,
            *home,
            "layers",
            "add",
            str(bad),
            "--id",
            "x1",
            "--theme",
            "hitte",
            "--scenario",
            "test",
            "--unit",
            "°C",
            "--date",
            "31-02-2024",
        ]
    )
    assert code == 1
    assert "Datum '31-02-2024' is ongeldig" in err
    code, out, _ = run([*synthetic_args, *home, "layers", "list"])
    assert "Nog geen stresstestlagen" in out


def test_report_command_writes_a_pdf(synthetic_args: list[str], tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "rapport.pdf"
    db = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    code, stdout, err = run(
        [
            *synthetic_args,
            "--home",
            str(tmp_path / "home"),
            "report",
            "--region",
            "Oostcluster",
            "--year",
            "2017",
            "--out",
            str(out),
            "--db-url",
            db,
        ]
    )
    assert code == 0, err
    assert "Raadsrapportage geschreven" in stdout
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Oostcluster" in text
    assert "Geen stresstestlagen" in text or "geen stresstestlagen" in text


def test_report_for_an_unknown_region(synthetic_args: list[str], tmp_path: Path) -> None:
    code, _, err = run(
        [
            *synthetic_args,
            "--home",
            str(tmp_path / "home"),
            "report",
            "--region",
            "Atlantis",
            "--out",
            str(tmp_path / "x.pdf"),
            "--db-url",
            f"sqlite:///{tmp_path / 'l.sqlite'}",
        ]
    )
    assert code == 1
    assert "Geen regio met de naam 'Atlantis'" in err
    assert not (tmp_path / "x.pdf").exists()


def _all_commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    ctx = click.Context(group)
    found = [path]
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            found += _all_commands(command, (*path, name))
        else:
            found.append((*path, name))
    return found


def test_every_help_text_is_dutch() -> None:
    commands = _all_commands(main)
    assert ("measures", "import") in commands  # lazy groups are walked too
    for command in commands:
        code, out, _ = run([*command, "--help"])
        assert code == 0, command
        assert out.startswith("Gebruik: "), command
        assert "Toon deze hulptekst en stop." in out, command
        for english in ("Usage:", "Options:", "Commands:", "Show", "[OPTIONS]", "required]"):
            assert english not in out, (command, english)
