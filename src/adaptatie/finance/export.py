"""Export of measures to CSV and Excel (.xlsx), safe to open in a spreadsheet.

The columns are those of the import (:data:`adaptatie.finance.sheets.ALL_COLUMNS`), so an export
imports again unchanged. CSV: ``;``, decimal comma, dates dd-mm-jjjj, UTF-8 with BOM (Excel opens
it correctly). XLSX: money as numbers in euros with two decimals, real date cells. Text cells that
start with ``= + - @``, a tab or CR get a leading apostrophe so no spreadsheet runs them as a
formula (the import removes that apostrophe again).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from adaptatie.finance.errors import ExportError
from adaptatie.finance.money import cents_to_decimal
from adaptatie.finance.parse import FORMULA_START
from adaptatie.finance.records import Measure
from adaptatie.finance.sheets import ALL_COLUMNS

_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MONEY = ("totale_kosten", "subsidiabele_kosten", "rijksbijdrage")


def safe_text(value: str) -> str:
    """Prefix a quote when a spreadsheet would read the text as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _export_rows(measures: Iterable[Measure]) -> Iterable[dict[str, object]]:
    for m in measures:
        yield {
            "id": m.id,
            "naam": m.name,
            "werkregio": m.werkregio,
            "gemeente": m.gemeente,
            "thema": ", ".join(sorted(t.value for t in m.themes)),
            "status": m.status.value,
            "ronde": m.round,
            "totale_kosten": m.total_cost_cents,
            "subsidiabele_kosten": m.eligible_cost_cents,
            "rijksbijdrage": m.rijk_contribution_cents,
            "kassier": m.kassier,
            "gereed_datum": m.completion_date,
            "omschrijving": m.description,
            "locatie_wkt": m.location_wkt or "",
        }


def _int(value: object) -> int:
    assert isinstance(value, int)
    return value


def _money_csv(cents: int) -> str:
    return f"{cents_to_decimal(cents):.2f}".replace(".", ",")


def export_csv_bytes(measures: Iterable[Measure]) -> bytes:
    """CSV: ``;``-separated, decimal comma, dates dd-mm-jjjj, UTF-8 with BOM."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(ALL_COLUMNS)
    for row in _export_rows(measures):
        cells = []
        for column in ALL_COLUMNS:
            value = row[column]
            if value is None:
                cells.append("")
            elif column in _MONEY:
                cells.append(_money_csv(_int(value)))
            elif isinstance(value, dt.date):
                cells.append(value.strftime("%d-%m-%Y"))
            elif isinstance(value, int):
                cells.append(str(value))
            else:
                cells.append(safe_text(str(value)))
        writer.writerow(cells)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx_bytes(measures: Iterable[Measure]) -> bytes:
    """XLSX: sheet 'maatregelen', money as numbers in euros (2 decimals), real date cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "maatregelen"
    sheet.append(list(ALL_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(_export_rows(measures), start=2):
        for c, column in enumerate(ALL_COLUMNS, start=1):
            value = row[column]
            target = sheet.cell(row=r, column=c)
            if value is None or value == "":
                continue
            if column in _MONEY:
                target.value = cents_to_decimal(_int(value))
                target.number_format = "#,##0.00"
            elif isinstance(value, dt.date):
                target.value = value
                target.number_format = "DD-MM-YYYY"
            elif isinstance(value, int):
                target.value = value
            else:
                target.value = safe_text(_XML_ILLEGAL.sub("", str(value)))
                target.data_type = "s"
    sheet.freeze_panes = "B2"
    for c, column in enumerate(ALL_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = max(12, len(column) + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_measures(measures: Iterable[Measure], path: str | Path) -> Path:
    """Write ``.csv`` or ``.xlsx`` (chosen by the extension)."""
    target = Path(path)
    suffix = target.suffix.casefold()
    if suffix == ".csv":
        data = export_csv_bytes(measures)
    elif suffix == ".xlsx":
        data = export_xlsx_bytes(measures)
    else:
        raise ExportError(
            f"Exporteren kan naar .csv of .xlsx, niet naar '{suffix or '(geen extensie)'}'. "
            "Oplossing: kies een bestandsnaam die eindigt op .csv of .xlsx."
        )
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise ExportError(
            f"{target} kan niet worden geschreven ({exc.strerror}). Oplossing: kies een map die "
            "bestaat en waarin u mag schrijven, en sluit het bestand als het in Excel open staat."
        ) from exc
    return target
