"""Checks on an .xlsx before openpyxl parses it, and the bounded read of one sheet.

An .xlsx is a zip of XML parts. Before parsing: a password-protected workbook (an OLE container
with an ``EncryptedPackage``) is named as such; the unpacked size is bounded (zip bombs); XML with
a DOCTYPE (entity expansion, "billion laughs") is refused. Reading a sheet is bounded by the
declared dimension (``A1:XFD1048576`` is refused before any row is read) and by the rows and
columns actually present. A formula cell without a cached result comes back as
:class:`FormulaCell`, so the caller can say what is in the cell instead of "empty".
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from adaptatie import limits

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_RESAVE = "open het in Excel en sla het opnieuw op als Excel-werkmap (.xlsx)."


class SheetError(ValueError):
    """The workbook cannot be read; ``str()`` is a Dutch message with the fix."""


@dataclass(frozen=True)
class FormulaCell:
    """A cell holding a formula whose result Excel did not store in the file."""

    formula: str

    def __str__(self) -> str:
        return self.formula


def check_package(data: bytes) -> None:
    """Raise :class:`SheetError` when ``data`` is not a workbook openpyxl may safely parse."""
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED in data:
            raise SheetError(
                "het Excel-bestand is met een wachtwoord beveiligd (versleuteld), dus de inhoud "
                "is niet te lezen. Oplossing: open het in Excel, haal het wachtwoord weg "
                "(Bestand > Info > Werkmap beveiligen > Versleutelen met wachtwoord: veld leeg "
                "maken), sla op en lees het opnieuw in."
            )
        raise SheetError(
            "dit is het oude Excel-formaat (.xls) met de extensie .xlsx. Oplossing: sla het "
            "bestand in Excel op als Excel-werkmap (.xlsx) of als CSV en lees het opnieuw in."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SheetError(
            "het bestand is geen leesbaar Excel-bestand (.xlsx): het is geen volledige "
            "Excel-werkmap (mogelijk afgebroken bij het opslaan of downloaden). Oplossing: "
            + _RESAVE
        ) from exc
    with archive:
        members = archive.infolist()
        unpacked = sum(m.file_size for m in members)
        if limits.UNZIPPED_MB.exceeded(limits.megabytes(unpacked)):
            raise SheetError(
                limits.UNZIPPED_MB.message(
                    limits.megabytes(unpacked),
                    "bewaar alleen het werkblad met de maatregelen (zonder afbeeldingen of "
                    "grote extra bladen) in een nieuwe werkmap.",
                )
            )
        for member in members:
            if not member.filename.endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(member) as part:
                    head = part.read(4096)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
                raise SheetError(
                    f"onderdeel {member.filename} van de werkmap is beschadigd. Oplossing: "
                    f"{_RESAVE}"
                ) from exc
            if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                raise SheetError(
                    f"onderdeel {member.filename} van de werkmap bevat een DOCTYPE of "
                    "ENTITY-definitie; Excel schrijft die nooit en ze kunnen de server "
                    "overbelasten, dus het bestand wordt niet gelezen. Oplossing: "
                    f"{_RESAVE}"
                )


def read_sheet(data: bytes, preferred: str) -> tuple[str, list[list[object]]]:
    """Title and cell values of sheet ``preferred`` (case-insensitive) or the first sheet.

    Raises :class:`SheetError` for unreadable workbooks and :class:`limits.LimitExceededError`
    when the sheet is larger than the row or column limit.
    """
    check_package(data)
    title, values = _values(data, preferred, data_only=True)
    if any(v is None for row in values for v in row):
        _, formulas = _values(data, preferred, data_only=False)
        for row, row_formulas in zip(values, formulas, strict=False):
            for i, value in enumerate(row):
                raw = row_formulas[i] if i < len(row_formulas) else None
                if value is None and isinstance(raw, str) and raw.startswith("="):
                    row[i] = FormulaCell(raw)
    return title, values


def _values(data: bytes, preferred: str, *, data_only: bool) -> tuple[str, list[list[object]]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SheetError(
            f"het bestand is geen leesbaar Excel-bestand (.xlsx). Oplossing: {_RESAVE}"
        ) from exc
    except ParseError as exc:
        raise SheetError(_broken("de werkmap")) from exc
    try:
        sheet = next(
            (ws for ws in book.worksheets if ws.title.strip().casefold() == preferred),
            book.worksheets[0],
        )
        return sheet.title, list(_bounded_rows(sheet))
    except (ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, TypeError) as exc:
        raise SheetError(_broken(f"werkblad '{sheet.title}'")) from exc
    finally:
        book.close()


def _broken(what: str) -> str:
    return (
        f"de inhoud van {what} is afgebroken of beschadigd (de XML in het bestand is niet "
        "compleet). Oplossing: download of kopieer het bestand opnieuw, of " + _RESAVE
    )


def _bounded_rows(sheet: object) -> Iterator[list[object]]:
    max_rows, max_columns = limits.ROWS.value + 1, limits.COLUMNS.value  # + 1: header row
    declared_rows, declared_columns = sheet.max_row, sheet.max_column  # type: ignore[attr-defined]
    fix = (
        "kopieer alleen de gebruikte cellen naar een nieuwe werkmap en sla die op (Excel legt "
        "dan het juiste bereik vast)."
    )
    title = sheet.title  # type: ignore[attr-defined]
    if declared_rows is not None and declared_rows > max_rows:
        raise limits.LimitExceededError(
            limits.ROWS,
            declared_rows - 1,
            f"Werkblad '{title}' is opgegeven als "
            f"{_range(declared_rows, declared_columns)}: "
            + limits.ROWS.message(declared_rows - 1, fix),
        )
    if declared_columns is not None and declared_columns > max_columns:
        raise limits.LimitExceededError(
            limits.COLUMNS,
            declared_columns,
            f"Werkblad '{title}' is opgegeven als "
            f"{_range(declared_rows, declared_columns)}: "
            + limits.COLUMNS.message(declared_columns, fix),
        )
    sheet.reset_dimensions()  # type: ignore[attr-defined]  # read what is there, pad nothing
    rows = sheet.iter_rows(values_only=True, max_col=max_columns)  # type: ignore[attr-defined]
    for number, row in enumerate(rows, start=1):
        if number > max_rows:
            if any(v is not None for v in row):
                raise limits.LimitExceededError(
                    limits.ROWS,
                    number - 1,
                    f"Werkblad '{title}' heeft gegevens in rij {number}: "
                    + limits.ROWS.message(
                        number - 1, "verdeel de maatregelen over meer bestanden."
                    ),
                )
            continue  # empty rows past the limit: Excel has at most 1.048.576, cheap to skip
        yield list(row)


def _range(rows: int | None, columns: int | None) -> str:
    return f"A1:{get_column_letter(columns or 1)}{rows or 1}"
