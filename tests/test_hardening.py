"""Limits, the safe CSV/XLSX writer, Dutch CLI usage errors, report text as typed."""

from __future__ import annotations

import csv
import io

import matplotlib as mpl
import openpyxl
import pytest
from click.testing import CliRunner
from matplotlib.figure import Figure

from adaptatie import limits
from adaptatie.cli import main
from adaptatie.report.pdf import RC
from adaptatie.safe_csv import Sheet, csv_bytes, xlsx_bytes
from adaptatie.ui.downloads import csv_bytes as frame_csv_bytes


def test_limit_message_names_the_limit_and_its_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADAPTATIE_MAX_UPLOAD_MB", "5")
    with pytest.raises(limits.LimitExceededError) as caught:
        limits.UPLOAD_MB.check(7.5, "verdeel het bestand.")
    assert str(caught.value) == (
        "de bestandsgrootte is 7,5 MB; de grens is 5 MB. Oplossing: verdeel het bestand. Of "
        "verhoog de grens met de instelling ADAPTATIE_MAX_UPLOAD_MB (omgevingsvariabele, bijv. "
        "ADAPTATIE_MAX_UPLOAD_MB=10)."
    )
    monkeypatch.setenv("ADAPTATIE_MAX_UPLOAD_MB", "nul")  # unusable setting: the default
    assert limits.UPLOAD_MB.value == 20
    assert limits.megabytes(20 * 1024 * 1024 + 1) == 20.1


def test_source_line_with_semicolon_formula_stays_one_cell() -> None:
    import pandas as pd

    frame = pd.DataFrame({"scenario": ['=HYPERLINK("http://x")'], "aandeel": [0.25]})
    text = frame_csv_bytes(frame, source='adaptatie, bui;=HYPERLINK("http://x")').decode(
        "utf-8-sig"
    )
    cells = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert cells[0] == ['# Bron: adaptatie, bui;=HYPERLINK("http://x")']
    assert cells[1] == ["scenario", "aandeel"]
    assert cells[2] == ['\'=HYPERLINK("http://x")', "0,25"]


def test_soft_line_break_and_control_characters_in_xlsx() -> None:
    data = xlsx_bytes(
        [Sheet("Uitkomsten", ["notitie"], [["regel 1\x0bregel 2\x01"], ["@SUM(A1)"]])]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "regel 1\nregel 2"
    assert sheet["A3"].value == "'@SUM(A1)" and sheet["A3"].data_type == "s"
    assert csv_bytes(["a"], [["x\x0by"]]).decode("utf-8-sig") == 'a\r\n"x\ny"\r\n'


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["layers", "add", "x.tif", "--theme", "bogus"],
         "Fout: --theme: 'bogus' is geen geldige keuze. Oplossing: kies een van: "),
        (["layers", "add"], "Fout: het argument FILE ontbreekt. Oplossing: geef FILE op"),
        (["--regions-file", "."],
         "Fout: --regions-file: '.' is een map; hier hoort een bestand. Oplossing: controleer"),
        (["--bogus"], "Fout: de optie --bogus bestaat niet. Oplossing: zie 'adaptatie --help'."),
        (["bogus"], "Fout: de opdracht 'bogus' bestaat niet. Oplossing: zie 'adaptatie --help'."),
        (["summary", "--layer", "x", "--set", "gemeente", "--workers", "0"],
         "Fout: --workers: '0' ligt buiten het bereik. Oplossing: geef een getal van minstens 1."),
        (["summary", "--layer", "x", "--set", "gemeente", "--workers", "twee"],
         "Fout: --workers: 'twee' is geen geheel getal. Oplossing: geef een geheel getal."),
        (["hotspots", "--layer", "x", "--distance", "-5"],
         "Fout: --distance: '-5.0' ligt buiten het bereik. Oplossing: geef een getal van "
         "minstens 0."),
    ],
)  # fmt: skip
def test_click_usage_errors_are_dutch(args: list[str], expected: str, tmp_path) -> None:
    result = CliRunner().invoke(main, ["--home", str(tmp_path), *args], prog_name="adaptatie")
    assert result.exit_code == 2
    assert result.output.startswith(expected), result.output
    assert "Usage" not in result.output and "Error" not in result.output


@pytest.mark.parametrize("text", ["$^$", "$5 en $10"])
def test_report_text_is_printed_as_typed(text: str) -> None:
    with mpl.rc_context(RC):
        fig = Figure()
        label = fig.text(0.1, 0.5, text)
        fig.savefig(io.BytesIO(), format="pdf")
    assert label.get_text() == text and not label._parse_math  # drawn without math text
    with pytest.raises(ValueError):  # what the report did before: matplotlib math fails
        bad = Figure()
        bad.text(0.1, 0.5, "$^$")
        bad.savefig(io.BytesIO(), format="pdf")
