"""``adaptatie objects ...`` and ``adaptatie exposure`` through click's CliRunner, on small files in
the real schemas (BGT wegdelen as PDOK's OGC API gives them, NWB wegvakken) over the bowl of
tests.exposure.worlds. Every expected figure is worked out in the comments; every bad input gets
a Dutch message, a non-zero exit status, no traceback, and leaves the stored layers as they were.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner, Result

from adaptatie.cli import main
from adaptatie.stresstest.results import ResultsStore
from tests.exposure.test_bgt_roads import bgt_wegdelen, strip
from tests.exposure.worlds import BOWL_NORTH, BOWL_WEST, PIXEL

RD = "EPSG:28992"


def run(args: list[str]) -> Result:
    return CliRunner().invoke(main, args)


@pytest.fixture
def base(bowl_store: ResultsStore, synthetic_dir: Path, tmp_path: Path) -> list[str]:
    """Root options for the synthetic world (2017: Aadorp | Beedorp at the bowl's column 2) with
    the SYNTHETIC bowl layer ``wo-kom`` in the home folder."""
    return [
        "--data-dir",
        str(synthetic_dir),
        "--regions-file",
        str(tmp_path / "regions.toml"),
        "--home",
        str(tmp_path / "home"),
    ]


def bgt_file(tmp_path: Path) -> Path:
    # A: 6 m wide along the middle row, x +10..+70 m: 90 m² at 0 m, 150 m² at 0.25 m (Aadorp),
    #    120 m² at 0.60 m (Beedorp).
    # B: 50 x 50 m over rows 0-1, columns 0-1 (0, 0, 0 and 0.12 m): 2,500 m² passable, Aadorp.
    block = shapely.box(BOWL_WEST, BOWL_NORTH - 2 * PIXEL, BOWL_WEST + 2 * PIXEL, BOWL_NORTH)
    return bgt_wegdelen(tmp_path / "bgt_wegdeel.gpkg", [strip(10, 70), block])


def nwb_file(tmp_path: Path) -> Path:
    # The middle row from the west to the east edge (125 m): per 25 m 0, 0.25, 0.60, 0.25, 0.
    y = BOWL_NORTH - 2.5 * PIXEL
    path = tmp_path / "nwb.gpkg"
    gpd.GeoDataFrame(
        {"WVK_ID": [600123456], "STT_NAAM": ["Kommeweg"]},
        geometry=[shapely.LineString([(BOWL_WEST, y), (BOWL_WEST + 5 * PIXEL, y)])],
        crs=RD,
    ).to_file(path, driver="GPKG")
    return path


def add(base: list[str], path: Path, layer_id: str, *extra: str) -> Result:
    return run(
        [
            *base,
            "objects",
            "add",
            str(path),
            "--kind",
            "wegen",
            "--id",
            layer_id,
            "--source",
            "BGT, Kadaster via PDOK",
            "--date",
            "01-03-2026",
            *extra,
        ]
    )


def stored(home: Path) -> dict[str, bytes]:
    """Everything under <home>/objects (folders as empty content), to compare before and after."""
    root = home / "objects"
    return {
        str(p.relative_to(root)): p.read_bytes() if p.is_file() else b""
        for p in sorted(root.rglob("*"))
    }


def test_add_list_exposure_and_remove(base: list[str], tmp_path: Path) -> None:
    result = add(base, bgt_file(tmp_path), "bgt")
    assert result.exit_code == 0, result.stderr
    assert "Objectlaag 'bgt' toegevoegd: Wegen (BGT-wegdelen), 2 object(en)" in result.stdout
    assert "oppervlakte in m²" in result.stdout and "01-03-2026" in result.stdout
    result = add(base, nwb_file(tmp_path), "nwb", "--title", "NWB Kom", "--source", "NWB, RWS")
    assert result.exit_code == 0, result.stderr
    listed = run([*base, "objects", "list"]).stdout
    assert "bgt" in listed and "NWB Kom" in listed and "lengte in m" in listed

    result = run([*base, "exposure", "--layer", "wo-kom", "--set", "gemeente", "--year", "2017"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Regio's: Gemeenten, grensjaar 2017." in out and "SYNTHETISCHE stresstestlaag" in out
    aadorp = out.split("  Aadorp (GM9001)\n", 1)[1]
    # BGT, Aadorp: 240 + 2,500 = 2,740 m²; passable 90 + 2,500; impassable 150 (nl-NL: 2.740).
    assert "    wegoppervlak (m²): 2.740\n" in aadorp
    assert "    wegoppervlak begaanbaar (m²): 2.590\n" in aadorp
    assert "    wegoppervlak onbegaanbaar >15 cm (m²): 150\n" in aadorp
    assert "    wegoppervlak ook niet voor hulpdiensten >30 cm (m²): 0\n" in aadorp
    beedorp = out.split("  Beedorp (GM9002)\n", 1)[1]
    assert "    wegoppervlak ook niet voor hulpdiensten >30 cm (m²): 120\n" in beedorp
    # NWB, the same row as a line: Aadorp 25 m passable + 25 m impassable; Beedorp 25 m of each
    # class (0.60 in column 2, 0.25 in column 3, 0 in column 4).
    nwb = out.split("NWB Kom [nwb]", 1)[1]
    assert "    weglengte onbegaanbaar >15 cm (m): 25\n" in nwb
    assert "    weglengte ook niet voor hulpdiensten >30 cm (m): 25\n" in nwb
    assert "Getallen: wegoppervlak in m² (BGT-wegdelen)." in out
    assert "Getallen: weglengte in m (NWB-wegvakken)." in out
    assert "Bron: Objecten: BGT, Kadaster via PDOK, 01-03-2026." in out
    assert "Methode: Wegdelen (vlakken, BGT)" in out and "Methode: Wegvakken (lijnen)" in out
    assert out.count("SYNTHETISCH.") == 2  # the provenance of both layers over the bowl

    data = json.loads(
        run([*base, "exposure", "--layer", "wo-kom", "--objects", "bgt", "--format", "json"]).stdout
    )
    assert (data["layer"], data["synthetic"], data["boundary_year"]) == ("wo-kom", True, 2019)
    (layer,) = data["object_layers"]
    assert (layer["id"], layer["date"]) == ("bgt", "2026-03-01")
    assert layer["source"] == "BGT, Kadaster via PDOK" and "m²" in layer["measure"]

    csv_args = ["--year", "2017", "--format", "csv", "--region", "beedorp"]
    result = run([*base, "exposure", "--layer", "wo-kom", *csv_args])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith('"# bgt: Objecten: BGT, Kadaster via PDOK, 01-03-2026.')  # one cell
    assert "Objectlaag,Soort,Regiocode,Regio,Cijfer,Waarde" in lines
    emergency = "wegoppervlak ook niet voor hulpdiensten >30 cm (m²)"
    assert f"bgt,wegen,GM9002,Beedorp,{emergency},120" in lines
    assert not any(",GM9001," in line for line in lines)

    result = run([*base, "objects", "remove", "nwb"])
    assert result.exit_code == 0 and "Objectlaag 'nwb' (NWB Kom) verwijderd." in result.stdout
    assert "nwb" not in run([*base, "objects", "list", "--json"]).stdout


def test_columns_shows_what_each_role_takes(base: list[str], tmp_path: Path) -> None:
    result = run([*base, "objects", "columns", str(bgt_file(tmp_path)), "--kind", "wegen"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Lagen: wegdeel; gelezen: wegdeel" in out
    assert "Geometrie: Polygon; CRS: EPSG:28992; 2 objecten" in out
    assert "  id         lokaal_id" in out and "  functie    functie" in out
    assert "  naam       (geen)" in out


def _no_crs(tmp_path: Path) -> Path:
    path = tmp_path / "zonder_crs.gpkg"
    with pytest.warns(UserWarning, match="crs"):  # pyogrio warns when writing without a CRS
        gpd.GeoDataFrame({"lokaal_id": ["1"]}, geometry=[strip(0, 20)]).to_file(path)
    return path


def _degrees(tmp_path: Path) -> Path:
    path = tmp_path / "graden.geojson"
    gpd.GeoDataFrame({"lokaal_id": ["1"]}, geometry=[strip(0, 20)], crs="EPSG:4326").to_file(
        path, driver="GeoJSON"
    )
    return path


def _without_id(tmp_path: Path) -> Path:
    path = tmp_path / "zonder_id.gpkg"
    gpd.GeoDataFrame({"functie": ["voetpad"]}, geometry=[strip(0, 20)], crs=RD).to_file(path)
    return path


ADD = ["objects", "add"]
OPTS = ["--id", "nieuw", "--source", "BGT", "--date", "01-03-2026"]
REPLACE_BGT = ["--id", "bgt", "--source", "x", "--date", "01-03-2026"]
#: (id, file to write or None, arguments ({f}: that file), exit status, part of the message)
BAD_INPUTS = [
    ("unknown-layer", None, ["exposure", "--layer", "bestaat-niet"], 1,
     "geen stresstestlaag met id 'bestaat-niet'"),
    ("unknown-objects", None, ["exposure", "--layer", "wo-kom", "--objects", "x"], 1,
     "Objectlaag 'x' bestaat niet (opgeslagen: bgt)"),
    ("unknown-region", None, ["exposure", "--layer", "wo-kom", "--region", "Atlantis",
                              "--year", "2017"], 1,
     "--region: 'Atlantis' is geen regio van de set Gemeenten. Oplossing: kies een van: Aadorp"),
    ("unknown-year", None, ["exposure", "--layer", "wo-kom", "--year", "1850"], 1, "1850"),
    ("remove-unknown", None, ["objects", "remove", "x"], 1, "Objectlaag 'x' bestaat niet"),
    ("unknown-kind", bgt_file, [*ADD, "{f}", "--kind", "scholen", *OPTS], 2,
     "--kind: 'scholen' is geen geldige keuze. Oplossing: kies een van: gebouwen, wegen"),
    ("file-not-found", None, [*ADD, "{tmp}/weg.gpkg", "--kind", "wegen", *OPTS], 2,
     "weg.gpkg' bestaat niet. Oplossing: controleer het pad"),
    ("no-file", None, [*ADD, "--kind", "wegen", *OPTS], 2, "het argument BESTAND ontbreekt"),
    ("missing-id-column", _without_id, [*ADD, "{f}", "--kind", "wegen", *OPTS], 1,
     "kolom(men) ontbreken: WVK_ID (wegvak-id (NWB) of lokaal_id (BGT-wegdeel); ook herkend"),
    ("mapped-column-missing", _without_id,
     [*ADD, "{f}", "--kind", "wegen", "--column", "id=code", *OPTS], 1,
     "ontbreken: code (wegvak-id (NWB) of lokaal_id (BGT-wegdeel)). Gevonden: functie."),
    ("unknown-role", bgt_file,
     [*ADD, "{f}", "--kind", "wegen", "--column", "soort=functie", *OPTS], 1,
     "--column: de rol 'soort' bestaat niet voor Wegen (NWB-wegvakken of BGT-wegdelen). "
     "Oplossing: kies uit id, naam, functie."),
    ("unreadable-mapping", bgt_file, [*ADD, "{f}", "--kind", "wegen", "--column", "id", *OPTS],
     1, "--column 'id' is niet te lezen. Oplossing: schrijf ROL=KOLOM"),
    ("no-crs", _no_crs, [*ADD, "{f}", "--kind", "wegen", *OPTS], 1,
     "heeft geen coördinatenstelsel (CRS). Oplossing: sla het opnieuw op met een CRS"),
    ("metres-as-degrees", _degrees, [*ADD, "{f}", "--kind", "wegen", *OPTS], 1,
     "zegt graden (EPSG:4326)"),
    ("wrong-kind-for-file", bgt_file, [*ADD, "{f}", "--kind", "kwetsbaar", *OPTS], 1,
     "ontbreken: id (object-id), categorie"),
    ("bad-date", bgt_file, [*ADD, "{f}", "--kind", "wegen", *OPTS[:-1], "31-02-2026"], 1,
     "Datum '31-02-2026' is ongeldig"),
    ("no-source", bgt_file, [*ADD, "{f}", "--kind", "wegen", *OPTS, "--source", " "], 1,
     "de bron ontbreekt"),
    ("existing-id", bgt_file, [*ADD, "{f}", "--kind", "wegen", *REPLACE_BGT], 1,
     "er is al een objectlaag 'bgt'"),
    ("bad-replacement", _without_id, [*ADD, "{f}", "--kind", "wegen", *REPLACE_BGT, "--replace"],
     1, "ontbreken: WVK_ID"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("make", "args", "code", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_INPUTS],
)
def test_bad_input_is_dutch_and_changes_nothing(
    base: list[str], tmp_path: Path, make: object, args: list[str], code: int, message: str
) -> None:
    home = tmp_path / "home"
    assert add(base, bgt_file(tmp_path), "bgt").exit_code == 0
    before = stored(home)
    (tmp_path / "bad").mkdir()
    path = make(tmp_path / "bad") if callable(make) else None
    filled = [a.replace("{f}", str(path)).replace("{tmp}", str(tmp_path)) for a in args]
    result = run([*base, *filled])
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert message in result.stderr, result.stderr
    assert result.stderr.startswith("Fout: ")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert stored(home) == before


def test_no_object_layers_yet(base: list[str]) -> None:
    result = run([*base, "exposure", "--layer", "wo-kom"])
    assert result.exit_code == 1
    assert "Er zijn nog geen objectlagen. Oplossing: voeg er een toe met" in result.stderr
    assert "Nog geen objectlagen" in run([*base, "objects", "list"]).stdout
