"""The one writer for every CSV and XLSX file the product hands out: safe to open in a spreadsheet.

Text cells that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or CR) get
a leading apostrophe; the finance import removes it again, so exports import unchanged. Lines
before the table (such as ``# Bron: ...``) are written as one cell (quoted when needed), so a
``;`` in a scenario name cannot start a new, live cell. A Word soft line break (``\\x0b``)
becomes a line break; other control characters that XML cannot hold are dropped from XLSX cells.

CSV follows Dutch Excel: ``;`` separator, decimal comma, dates dd-mm-jjjj, UTF-8 with BOM.
XLSX is written in openpyxl's streaming mode (memory does not grow with the number of rows).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

#: First characters that make a spreadsheet read a text cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\ufffe\uffff]")


def safe_text(value: str) -> str:
    """``value`` with a leading apostrophe when a spreadsheet would read it as a formula, and
    a soft line break (``\\x0b``) as a line break."""
    value = value.replace("\x0b", "\n")
    return "'" + value if value.startswith(FORMULA_START) else value


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value).replace(".", ",")
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return safe_text(str(value))


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, preamble: Sequence[str] = ()
) -> bytes:
    """CSV for Dutch Excel; each ``preamble`` line is written as one safe, quoted cell."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for line in preamble:
        writer.writerow([safe_text(line)])  # one cell, quoted when it holds a ; or quote
    writer.writerow([safe_text(str(h)) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class Sheet:
    """One worksheet: title, header and rows; ``formats`` maps a column name to a number format
    (for example ``"#,##0.00"`` for euros)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]
    formats: Mapping[str, str] = field(default_factory=dict)
    freeze: str | None = "A2"


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An .xlsx with the sheets: bold header, real numbers and dates, text as safe text."""
    book = Workbook(write_only=True)
    for spec in sheets:
        sheet = book.create_sheet(spec.title[:31])
        for c, name in enumerate(spec.header, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = max(12, len(name) + 2)
        if spec.freeze:
            sheet.freeze_panes = spec.freeze
        bold = []
        for name in spec.header:
            cell = WriteOnlyCell(sheet, value=_xlsx_text(str(name)))
            cell.font = Font(bold=True)
            bold.append(cell)
        sheet.append(bold)
        formats = [spec.formats.get(name) for name in spec.header]
        for row in spec.rows:
            sheet.append([_xlsx_cell(sheet, v, f) for v, f in zip(row, formats, strict=False)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_text(value: str) -> str:
    return safe_text(_XML_ILLEGAL.sub("", value))


def _xlsx_cell(sheet: object, value: object, number_format: str | None) -> object:
    if value is None or value == "":
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
        cell.number_format = number_format or (
            "DD-MM-YYYY HH:MM" if isinstance(value, dt.datetime) else "DD-MM-YYYY"
        )
        return cell
    if isinstance(value, int | float | Decimal):
        if number_format is None:
            return value
        cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
        cell.number_format = number_format
        return cell
    cell = WriteOnlyCell(sheet, value=_xlsx_text(str(value)))  # type: ignore[arg-type]
    cell.data_type = "s"
    return cell
