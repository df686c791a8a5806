"""Export to CSV and Excel: Dutch formats, safe against formula injection, importable again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from adaptatie.finance.errors import ExportError
from adaptatie.finance.imports import (
    ALL_COLUMNS,
    export_csv_bytes,
    export_measures,
    export_xlsx_bytes,
    import_file,
    safe_text,
)
from adaptatie.finance.ledger import Ledger
from adaptatie.finance.records import ClimateTheme, Status
from tests.finance.factories import measure

DANGEROUS = ['=HYPERLINK("http://x")', "+31 6 123", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.fixture
def filled(ledger: Ledger) -> Ledger:
    ledger.add(
        measure(
            total_cost_cents=123_456_789,
            eligible_cost_cents=90_000_000,
            rijk_contribution_cents=30_000_000,
            description="Infiltratie; met ‘quotes’ en ë",
            location_wkt="POINT (232000 528000)",
            themes=frozenset({ClimateTheme.WATEROVERLAST, ClimateTheme.DROOGTE}),
        ),
        user="Anna",
    )
    for i, text in enumerate(DANGEROUS):
        ledger.add(
            measure(
                id=f"INJ-{i}",
                name=text,
                gemeente=text,
                description=text,
                status=Status.IDEE,
                rijk_contribution_cents=0,
                round=None,
            ),
            user="Anna",
        )
    return ledger


def test_safe_text() -> None:
    for text in DANGEROUS:
        assert safe_text(text) == "'" + text
    assert safe_text("Gemeente Meppel") == "Gemeente Meppel"
    assert safe_text("") == ""


def test_csv_is_semicolon_decimal_comma_utf8_bom(filled: Ledger) -> None:
    data = export_csv_bytes(filled.measures())
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == ";".join(ALL_COLUMNS)
    flu = next(line for line in lines if line.startswith("FLU-001;"))
    cells = flu.split(";")
    assert cells[ALL_COLUMNS.index("totale_kosten")] == "1234567,89"
    assert cells[ALL_COLUMNS.index("subsidiabele_kosten")] == "900000,00"
    assert cells[ALL_COLUMNS.index("rijksbijdrage")] == "300000,00"
    assert cells[ALL_COLUMNS.index("gereed_datum")] == "31-12-2027"
    assert cells[ALL_COLUMNS.index("thema")] == "droogte, wateroverlast"
    assert '"Infiltratie; met ‘quotes’ en ë"' in flu  # quoted because of the ;


def test_csv_cells_never_start_a_formula(filled: Ledger) -> None:
    import csv

    text = export_csv_bytes(filled.measures()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    injected = {r[0]: r for r in rows if r[0].startswith("INJ-")}
    assert injected["INJ-0"][1] == '\'=HYPERLINK("http://x")'
    assert injected["INJ-3"][ALL_COLUMNS.index("gemeente")] == "'@SUM(A1)"


def test_xlsx_has_numbers_dates_and_no_formulas(filled: Ledger) -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx_bytes(filled.measures())))
    sheet = book["maatregelen"]
    header = [c.value for c in sheet[1]]
    assert header == list(ALL_COLUMNS)
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    flu = rows["FLU-001"]
    money = flu[ALL_COLUMNS.index("totale_kosten")]
    assert Decimal(str(money.value)) == Decimal("1234567.89")
    assert money.number_format == "#,##0.00"
    when = flu[ALL_COLUMNS.index("gereed_datum")]
    assert when.value == dt.datetime(2027, 12, 31) and when.number_format == "DD-MM-YYYY"
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value
    assert rows["INJ-0"][1].value == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_imports_again_unchanged(
    filled: Ledger, new_db_url: Callable[[], str], tmp_path: Path, suffix: str
) -> None:
    path = export_measures(filled.measures(), tmp_path / f"export{suffix}")
    with Ledger.open(new_db_url()) as other:
        import_file(other, path, user="Bob")
        plain = lambda ms: [  # noqa: E731
            dataclasses.replace(m, version=0, updated_at=None, updated_by="") for m in ms
        ]
        assert plain(other.measures()) == plain(filled.measures())


def test_export_needs_csv_or_xlsx(filled: Ledger, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"naar \.csv of \.xlsx"):
        export_measures(filled.measures(), tmp_path / "x.ods")
