"""Reading CSV and Excel bytes into a plain table, and the column names of measure files.

Knows about encodings (UTF-8 with or without BOM, Windows-1252, UTF-16 with BOM), separators
(``;``, ``,`` or tab, chosen by which one splits the header into known column names), Excel
workbooks (sheet ``maatregelen`` or the first sheet) and forgiving header spellings. Problems are
collected as :class:`Problem` values (row as the spreadsheet shows it, header = row 1), never
raised.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from adaptatie import fmt, limits
from adaptatie.finance import parse
from adaptatie.finance.records import FIELDS
from adaptatie.finance.xlsx_guard import SheetError, read_sheet

REQUIRED_COLUMNS = tuple(c for c, _ in FIELDS if c not in ("omschrijving", "locatie_wkt"))
OPTIONAL_COLUMNS = ("omschrijving", "locatie_wkt")
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
_HEADER_SYNONYMS = {
    "thema's": "thema",
    "themas": "thema",
    "themas_": "thema",
    "beschrijving": "omschrijving",
    "locatie": "locatie_wkt",
    "wkt": "locatie_wkt",
    "gereeddatum": "gereed_datum",
    "datum_gereed": "gereed_datum",
    "aanvraagronde": "ronde",
    "naam_maatregel": "naam",
}


@dataclass(frozen=True)
class Problem:
    """One problem in an import file: row as the spreadsheet shows it (header = 1), column."""

    message: str
    row: int | None = None
    column: str | None = None
    letter: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column is not None:
            where.append(
                f"kolom {self.column} ({self.letter})" if self.letter else f"kolom {self.column}"
            )
        if not where:
            return self.message
        place = ", ".join(where)
        return f"{place[0].upper()}{place[1:]}: {self.message}"


@dataclass(frozen=True)
class Table:
    """A sheet as read: the header row and the data rows with their spreadsheet row numbers."""

    header: list[str]
    rows: list[tuple[int, list[object]]]  # (spreadsheet row number, cells)
    bad_rows: frozenset[int] = frozenset()  # rows with a wrong number of fields


def read_table(data: bytes, file_name: str, problems: list[Problem]) -> Table | None:
    """The sheet in ``data`` (CSV or XLSX by the extension of ``file_name``), or ``None`` with
    the reasons appended to ``problems``."""
    suffix = Path(file_name).suffix.casefold()
    size = limits.megabytes(len(data))
    if suffix in (".csv", ".txt", ".xlsx", ".xlsm") and limits.UPLOAD_MB.exceeded(size):
        problems.append(
            Problem(limits.UPLOAD_MB.message(size, "verdeel de maatregelen over meer bestanden."))
        )
        return None
    try:
        if suffix in (".csv", ".txt"):
            table = _read_csv(data, problems)
        elif suffix in (".xlsx", ".xlsm"):
            table = _read_xlsx(data, problems)
        else:
            table = _unsupported(suffix, problems)
    except limits.LimitExceededError as exc:
        problems.append(Problem(str(exc)))
        return None
    if table is not None:
        _check_cells(table, problems)
    return table


def _unsupported(suffix: str, problems: list[Problem]) -> None:
    if suffix == ".xls":
        problems.append(
            Problem(
                "dit is het oude Excel-formaat (.xls). Oplossing: sla het bestand in Excel op als "
                "Excel-werkmap (.xlsx) of als CSV en lees het opnieuw in."
            )
        )
    else:
        problems.append(
            Problem(
                f"bestandstype '{suffix or '(geen extensie)'}' wordt niet ondersteund. Oplossing: "
                "gebruik een .csv- of .xlsx-bestand."
            )
        )


def _check_cells(table: Table, problems: list[Problem]) -> None:
    """Cells longer than the field limit (reported once per row)."""
    limit = limits.FIELD_CHARS
    for number, cells in table.rows:
        longest = max((len(c) for c in cells if isinstance(c, str)), default=0)
        if limit.exceeded(longest):
            problems.append(
                Problem(limit.message(longest, "maak de tekst in de cel korter."), number)
            )


def _decode(data: bytes, problems: list[Problem]) -> str | None:
    if data.startswith(b"PK\x03\x04"):
        problems.append(
            Problem(
                "dit is een Excel-bestand (.xlsx) met de extensie .csv. Oplossing: geef het de "
                "extensie .xlsx, of sla het in Excel op als CSV."
            )
        )
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "UTF-8", problems)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", "UTF-16", problems)
    if b"\x00" in data[:4096]:
        problems.append(
            Problem(
                "het bestand bevat nul-bytes: het is geen tekstbestand, of UTF-16 zonder "
                "kenmerk (BOM). Oplossing: sla het op als 'CSV UTF-8 (door komma's gescheiden)'."
            )
        )
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _strict(data, "cp1252", "UTF-8 of Windows-1252", problems)


def _strict(data: bytes, encoding: str, label: str, problems: list[Problem]) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                f"byte 0x{data[exc.start]:02X} is geen geldig teken in {label}; de tekenset "
                "van het bestand is niet herkend. Oplossing: sla het bestand op als 'CSV UTF-8 "
                "(door komma's gescheiden)'.",
                row,
            )
        )
        return None


def _read_csv(data: bytes, problems: list[Problem]) -> Table | None:
    content = _decode(data, problems)
    if content is None:
        return None
    lines = content.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    if not header_line:
        problems.append(
            Problem(
                "het bestand is leeg. Oplossing: kies het juiste bestand, of zet de kopregel in "
                "rij 1 en daaronder één maatregel per rij.",
                1,
            )
        )
        return None
    data_lines = sum(1 for line in lines if line.strip()) - 1
    limits.ROWS.check(data_lines, "verdeel de maatregelen over meer bestanden.")
    delimiter = _sniff(header_line)
    if delimiter is None:
        problems.append(
            Problem(
                f"de kopregel '{header_line[:80]}' is niet herkend: geen bekende kolommen "
                "gescheiden door ; , of tab. Oplossing: zet in rij 1 de kolomnamen "
                f"({', '.join(REQUIRED_COLUMNS)}) gescheiden door ; of , .",
                1,
            )
        )
        return None
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[object]]] = []
    header: list[str] | None = None
    try:
        for number, record in enumerate(reader, start=1):
            if header is None:
                if not any(c.strip() for c in record):
                    problems.append(
                        Problem(
                            "de kopregel moet in rij 1 staan. Oplossing: verwijder de lege rijen "
                            "boven de kopregel.",
                            number,
                        )
                    )
                    return None
                header = record
                continue
            rows.append((number, list(record)))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            problems.append(
                Problem(
                    f"een cel is langer dan {fmt.number(csv.field_size_limit())} tekens; de grens "
                    f"is {fmt.number(limits.FIELD_CHARS.value)} tekens (instelling "
                    f"{limits.FIELD_CHARS.setting}). Oplossing: maak de tekst korter, of "
                    'controleer of een aanhalingsteken (") ergens niet gesloten is.',
                    reader.line_num,
                )
            )
        else:
            problems.append(
                Problem(
                    "de CSV-opmaak is ongeldig (een aanhalingsteken of regeleinde staat op een "
                    'verkeerde plek). Oplossing: controleer de aanhalingstekens (") in deze rij.',
                    reader.line_num,
                )
            )
        return None
    assert header is not None
    bad: set[int] = set()
    for number, cells in rows:
        extra = cells[len(header) :]
        if any(str(c).strip() for c in extra):
            sep = {";": "puntkomma (;)", ",": "komma (,)", "\t": "tab"}[delimiter]
            problems.append(
                Problem(
                    f"de rij heeft {len(cells)} velden, de kopregel {len(header)}. Oplossing: "
                    f"staat er een {sep} in een waarde (bijv. een bedrag of thema's)? Zet die "
                    "waarde dan tussen aanhalingstekens, of gebruik een ander scheidingsteken.",
                    number,
                )
            )
            bad.add(number)
        elif len(cells) < len(header) and any(str(c).strip() for c in cells):
            short = len(cells)
            problems.append(
                Problem(
                    f"de rij heeft {short} veld{'en' if short != 1 else ''}, de kopregel "
                    f"{len(header)}. Oplossing: gebruik in alle rijen hetzelfde "
                    f"scheidingsteken als in de kopregel ('{delimiter}').",
                    number,
                )
            )
            bad.add(number)
    return Table(header, rows, frozenset(bad))


def _sniff(header_line: str) -> str | None:
    best, best_hits = None, 1
    for delimiter in (";", ",", "\t"):
        cells = next(csv.reader([header_line], delimiter=delimiter))
        hits = sum(header_key(c) in ALL_COLUMNS for c in cells)
        if hits > best_hits:
            best, best_hits = delimiter, hits
    return best


def _read_xlsx(data: bytes, problems: list[Problem]) -> Table | None:
    try:
        title, values = read_sheet(data, "maatregelen")
    except SheetError as exc:
        problems.append(Problem(str(exc)))
        return None
    if not values or not any(parse.text(c) for c in values[0]):
        problems.append(
            Problem(
                f"rij 1 van werkblad '{title}' is leeg; daar moeten de kolomnamen staan. "
                "Oplossing: zet de kopregel in rij 1.",
                1,
            )
        )
        return None
    header = [parse.text(c) for c in values[0]]
    rows = [(i, cells) for i, cells in enumerate(values[1:], start=2)]
    return Table(header, rows)


def header_key(cell: str) -> str:
    key = cell.replace("\ufeff", "").strip().strip('"').strip()
    key = re.sub(r"\s*\((?:€|eur|euro|euro's)\)$", "", key, flags=re.IGNORECASE)
    key = re.sub(r"[\s\-]+", "_", key.casefold())
    return _HEADER_SYNONYMS.get(key, key)
