"""Import and export of measures as CSV and Excel (.xlsx).

Import accepts what people have: Dutch headers (``id, naam, werkregio, gemeente, thema, status,
ronde, totale_kosten, subsidiabele_kosten, rijksbijdrage, kassier, gereed_datum``; optional
``omschrijving, locatie_wkt``; case, spaces and hyphens in headers are forgiven), amounts such as
``€ 1.234.567,89``, dates ``dd-mm-jjjj`` or ISO, ``;``, ``,`` or tab separators (detected from the
header), UTF-8 with or without BOM, Windows-1252 or UTF-16 (Excel "Unicode-tekst"), werkregio by id
or name. Empty rows are skipped.

Import is all-or-nothing: every problem in the file is collected (parsing, duplicate ids within
the file and against the database, the Impulsregeling rules applied to the file together with the
stored measures) and any problem rejects the whole file with :class:`ImportRejectedError`, each
problem naming the row as the spreadsheet shows it (header = row 1) and the column. Nothing is
stored then. Imports only add measures; an id that is already stored is a problem.

Export (:mod:`adaptatie.finance.export`, re-exported here) writes the same columns, safe against
formula injection (one writer, :mod:`adaptatie.safe_csv`), so an export imports again unchanged.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from openpyxl.utils import get_column_letter

from adaptatie import limits
from adaptatie.finance import parse
from adaptatie.finance.errors import ImportRejectedError, RuleViolationError
from adaptatie.finance.export import (
    export_csv_bytes,
    export_measures,
    export_xlsx_bytes,
    safe_text,
)
from adaptatie.finance.ledger import ImportResult, Ledger
from adaptatie.finance.records import Allocation, Measure
from adaptatie.finance.rules import Violation, check_measure, evaluate_change
from adaptatie.finance.sheets import (
    ALL_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    Problem,
    header_key,
    read_table,
)
from adaptatie.finance.werkregios import WerkregioIndex
from adaptatie.finance.xlsx_guard import FormulaCell
from adaptatie.oserrors import describe

__all__ = [
    "ALL_COLUMNS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ParsedFile",
    "ParsedRow",
    "Problem",
    "check_import",
    "export_csv_bytes",
    "export_measures",
    "export_xlsx_bytes",
    "import_bytes",
    "import_file",
    "read_measures",
    "safe_text",
]

_MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf]|â‚¬|â€[\u0080-\u00bf\u2018-\u203a]")
_T = TypeVar("_T")


@dataclass(frozen=True)
class ParsedRow:
    """A data row. ``failed`` names the columns that could not be read; when it is not empty
    the measure is provisional (unreadable cells left empty) and only used to report the other
    columns' rule violations too."""

    row: int
    measure: Measure
    failed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ParsedFile:
    """What could be read from a file, and every problem found while reading it."""

    file_name: str
    rows: list[ParsedRow]
    problems: list[Problem] = field(default_factory=list)
    partial: list[ParsedRow] = field(default_factory=list)  # rows with unreadable cells
    letters: dict[str, str] = field(default_factory=dict)  # column -> spreadsheet letter


def read_measures(data: bytes, file_name: str, werkregios: WerkregioIndex) -> ParsedFile:
    """Parse a CSV or XLSX file (chosen by the extension of ``file_name``).

    Never raises for bad content: problems are returned in ``ParsedFile.problems``.
    """
    problems: list[Problem] = []
    table = read_table(data, file_name, problems)
    if table is None:
        return ParsedFile(file_name, [], problems)
    columns, letters = _columns(table.header, problems)
    if columns is None:
        return ParsedFile(file_name, [], problems, letters=letters)
    rows, partial = [], []
    for number, cells in table.rows:
        if number in table.bad_rows:
            continue
        parsed = _row(number, cells, len(table.header), columns, letters, werkregios, problems)
        if parsed is not None:
            (partial if parsed.failed else rows).append(parsed)
    _duplicates_in_file(sorted(rows + partial, key=lambda r: r.row), letters, problems)
    if not rows and not partial and not problems:
        problems.append(
            Problem(
                "het bestand bevat geen maatregelen (alleen een kopregel). Oplossing: zet onder "
                "de kopregel één maatregel per rij."
            )
        )
    return ParsedFile(file_name, rows, problems, partial=partial, letters=letters)


def check_import(
    parsed: ParsedFile, stored: Sequence[Measure], allocations: dict[str, Allocation]
) -> tuple[list[Problem], list[str]]:
    """All problems of a parsed file against the stored data, and the warnings (texts); both
    name row and column.

    Adds to the reading problems: ids already stored, and the Impulsregeling rules per row and
    per werkregio (the latter only when every row could be read).
    """
    problems = list(parsed.problems)
    warnings: list[str] = []
    letters = parsed.letters
    stored_ids = {m.id: m for m in stored}
    for item in sorted([*parsed.rows, *parsed.partial], key=lambda r: r.row):
        m = item.measure
        if m.id in stored_ids:
            problems.append(
                Problem(
                    f"maatregel {m.id} bestaat al ('{stored_ids[m.id].name}'). Oplossing: "
                    "geef de maatregel een nieuwe id, of laat de rij weg en wijzig de "
                    "bestaande maatregel in de app.",
                    item.row,
                    "id",
                    letters.get("id"),
                )
            )
        for v in check_measure(m, allocations):
            if item.failed and (v.field in item.failed or _hidden(v, item.failed)):
                continue  # follows from a cell that could not be read, reported already
            if v.hard:
                problems.append(_problem(v, item.row, letters))
            else:
                warnings.append(str(_problem(v, item.row, letters)))
    if not problems:
        new = [r.measure for r in parsed.rows]
        verdict = evaluate_change(stored, [*stored, *new], {m.id for m in new}, allocations)
        for v in verdict.blocking:
            if v.measure_id is None:
                problems.append(Problem(v.message))
        warnings.extend(v.message for v in verdict.warnings if v.measure_id is None)
    problems.sort(key=lambda p: p.row if p.row is not None else 1 << 30)  # stable: keeps columns
    return problems, warnings


def _hidden(v: Violation, failed: frozenset[str]) -> bool:
    """Rule violations that only follow from cells that could not be read."""
    amounts = {"totale_kosten", "subsidiabele_kosten", "rijksbijdrage"}
    return v.code == "KOSTEN_ONTBREKEN" and bool(failed & amounts)


def import_bytes(ledger: Ledger, data: bytes, file_name: str, *, user: str) -> ImportResult:
    """Check and store every measure of a file, or nothing (see the module docstring)."""
    parsed = read_measures(data, file_name, ledger.werkregios)
    problems, _warnings = check_import(parsed, ledger.measures(), ledger.allocations())
    if problems:
        raise ImportRejectedError(file_name, [str(p) for p in problems])
    rows = {r.measure.id: r.row for r in parsed.rows}
    try:
        result = ledger.import_measures(
            [r.measure for r in parsed.rows],
            user=user,
            note=f"import uit {Path(file_name).name} ({len(parsed.rows)} maatregelen)",
        )
    except RuleViolationError as exc:  # changed by someone else between check and write
        raise ImportRejectedError(
            file_name,
            [
                str(_problem(v, rows.get(v.measure_id or ""), parsed.letters))
                for v in exc.violations
            ],
        ) from exc
    located = [
        dataclasses.replace(
            v, message=str(_problem(v, rows.get(v.measure_id or ""), parsed.letters))
        )
        for v in result.warnings
    ]
    return dataclasses.replace(result, warnings=located)


def import_file(ledger: Ledger, path: str | Path, *, user: str) -> ImportResult:
    """:func:`import_bytes` for a file on disk."""
    source = Path(path)
    try:
        size = limits.megabytes(source.stat().st_size)
        if limits.UPLOAD_MB.exceeded(size) and source.is_file():
            raise ImportRejectedError(
                source.name,
                [limits.UPLOAD_MB.message(size, "verdeel de maatregelen over meer bestanden.")],
            )
        data = source.read_bytes()
    except OSError as exc:
        raise ImportRejectedError(
            source.name,
            [
                f"het bestand kan niet worden gelezen ({describe(exc)}): {source}. Oplossing: "
                "controleer het pad en geef een .csv- of .xlsx-bestand op."
            ],
        ) from exc
    return import_bytes(ledger, data, source.name, user=user)


def _problem(v: Violation, row: int | None, letters: dict[str, str]) -> Problem:
    column = v.field if v.measure_id is not None else None
    return Problem(v.message, row, column, letters.get(column or ""))


def _columns(
    header: list[str], problems: list[Problem]
) -> tuple[dict[str, int] | None, dict[str, str]]:
    columns: dict[str, int] = {}
    letters: dict[str, str] = {}
    bad = False
    for index, cell in enumerate(header):
        letter = get_column_letter(index + 1)
        key = header_key(str(cell))
        if not key:
            continue  # unnamed column: allowed when its cells are empty (checked per row)
        if key not in ALL_COLUMNS:
            problems.append(
                Problem(
                    f"kolom '{cell}' is onbekend. Oplossing: hernoem hem naar een van "
                    f"{', '.join(ALL_COLUMNS)}, of verwijder de kolom.",
                    1,
                    str(cell),
                    letter,
                )
            )
            bad = True
        elif key in columns:
            problems.append(
                Problem(
                    f"kolom {key} staat er twee keer in (ook in kolom {letters[key]}). Oplossing: "
                    "verwijder een van beide.",
                    1,
                    key,
                    letter,
                )
            )
            bad = True
        else:
            columns[key], letters[key] = index, letter
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        problems.append(
            Problem(
                f"verplichte kolom(men) ontbreken: {', '.join(missing)}. Oplossing: voeg ze toe "
                "(een kolom mag leeg zijn) of controleer de spelling en het scheidingsteken.",
                1,
            )
        )
        bad = True
    return (None if bad else columns), letters


def _row(
    number: int,
    cells: list[object],
    width: int,
    columns: dict[str, int],
    letters: dict[str, str],
    werkregios: WerkregioIndex,
    problems: list[Problem],
) -> ParsedRow | None:
    if not any(parse.text(c) for c in cells):
        return None
    named = set(columns.values())
    cells = _formulas(number, cells, columns, letters, problems)
    for index, value in enumerate(cells[:width]):
        if index not in named and parse.text(value):
            problems.append(
                Problem(
                    f"kolom {get_column_letter(index + 1)} heeft een waarde maar geen "
                    "kolomnaam. Oplossing: geef de kolom een naam uit de lijst of maak hem leeg.",
                    number,
                )
            )
    before = len(problems)

    def cell(column: str) -> object:
        index = columns.get(column)
        return cells[index] if index is not None and index < len(cells) else None

    def get(column: str, parser: Callable[[object], _T]) -> _T | None:
        try:
            return parser(cell(column))
        except parse.CellError as exc:
            problems.append(Problem(str(exc), number, column, letters.get(column)))
            return None

    measure_id = parse.text(cell("id"))
    if not measure_id:
        problems.append(
            Problem(
                "de id ontbreekt. Oplossing: geef elke maatregel een eigen id, bijv. FLU-001.",
                number,
                "id",
                letters.get("id"),
            )
        )
    werkregio_text = parse.text(cell("werkregio"))
    werkregio = werkregios.resolve(werkregio_text)
    if werkregio is None:
        what = (
            f"werkregio '{werkregio_text}' is onbekend"
            if werkregio_text
            else ("de werkregio ontbreekt")
        )
        problems.append(
            Problem(
                f"{what}. Oplossing: gebruik een id of naam uit: {werkregios.choices()}.",
                number,
                "werkregio",
                letters.get("werkregio"),
            )
        )
    status = get("status", parse.status)
    themes = get("thema", parse.themes)
    round_year = get("ronde", parse.round_year)
    total = get("totale_kosten", parse.amount)
    eligible = get("subsidiabele_kosten", parse.amount)
    rijk = get("rijksbijdrage", parse.amount)
    completion = get("gereed_datum", parse.date)
    texts = {
        c: parse.text(cell(c))
        for c in ("naam", "gemeente", "kassier", "omschrijving", "locatie_wkt")
    }
    for column, value in texts.items():
        if _MOJIBAKE.search(value):
            problems.append(
                Problem(
                    f"de tekst '{value[:60]}' bevat verminkte tekens (zoals Ã© of â‚¬): het "
                    "bestand is ooit met de verkeerde tekenset geopend en opgeslagen. Oplossing: "
                    "herstel de tekst, of exporteer opnieuw als 'CSV UTF-8'.",
                    number,
                    column,
                    letters.get(column),
                )
            )
    failed = frozenset(p.column for p in problems[before:] if p.column)
    if status is None or not measure_id:
        return None  # without status or id the rules cannot be told apart or named
    return ParsedRow(
        number,
        Measure(
            id=measure_id,
            name=texts["naam"],
            werkregio=werkregio or "",
            status=status,
            themes=themes or frozenset(),
            gemeente=texts["gemeente"],
            description=texts["omschrijving"],
            round=round_year,
            total_cost_cents=total,
            eligible_cost_cents=eligible,
            rijk_contribution_cents=rijk,
            kassier=texts["kassier"],
            completion_date=completion,
            location_wkt=texts["locatie_wkt"] or None,
        ),
        failed,
    )


def _formulas(
    number: int,
    cells: list[object],
    columns: dict[str, int],
    letters: dict[str, str],
    problems: list[Problem],
) -> list[object]:
    """Report formula cells without a stored result, and read them as empty."""
    out = list(cells)
    by_index = {index: column for column, index in columns.items()}
    for index, value in enumerate(cells):
        if not isinstance(value, FormulaCell):
            continue
        out[index] = None
        column = by_index.get(index)
        if column is None:
            continue
        problems.append(
            Problem(
                f"de cel bevat de formule '{value.formula[:80]}', maar het bestand bevat de "
                "uitkomst niet (het is niet in Excel opgeslagen, of door een ander programma "
                "gemaakt). Oplossing: open het bestand in Excel en sla het op, of vervang de "
                "formule door de waarde (kopiëren, plakken speciaal > waarden).",
                number,
                column,
                letters.get(column),
            )
        )
    return out


def _duplicates_in_file(
    rows: list[ParsedRow], letters: dict[str, str], problems: list[Problem]
) -> None:
    first: dict[str, int] = {}
    for item in rows:
        key = item.measure.id.casefold()
        if key in first:
            problems.append(
                Problem(
                    f"id {item.measure.id} staat ook in rij {first[key]}. Oplossing: geef elke "
                    "maatregel een eigen id.",
                    item.row,
                    "id",
                    letters.get("id"),
                )
            )
        else:
            first[key] = item.row
