"""Reading an import file (CSV or XLSX) into measures, collecting every problem per row and column.

The format is described in :mod:`adaptatie.finance.imports`, which checks the result against the
stored data and the rules and stores it (all or nothing). Gemeente and kassier are resolved per
row as on a save (:mod:`adaptatie.finance.places`) when a name table is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from openpyxl.utils import get_column_letter

from adaptatie.finance import parse
from adaptatie.finance.places import place_measure
from adaptatie.finance.records import Measure
from adaptatie.finance.rules import Violation
from adaptatie.finance.sheets import (
    ALL_COLUMNS,
    REQUIRED_COLUMNS,
    Problem,
    header_key,
    read_table,
)
from adaptatie.finance.werkregios import WerkregioIndex
from adaptatie.finance.xlsx_guard import FormulaCell
from adaptatie.regions.names import NameTable

_MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf]|â‚¬|â€[\u0080-\u00bf\u2018-\u203a]")
_T = TypeVar("_T")


@dataclass(frozen=True)
class ParsedRow:
    """A data row. ``failed`` names the columns that could not be read; when it is not empty
    the measure is provisional (unreadable cells left empty) and only used to report the other
    columns' rule violations too. ``measure`` has gemeente and kassier as CBS writes them;
    ``placing`` holds the rules that resolving them broke and ``notes`` what was changed."""

    row: int
    measure: Measure
    failed: frozenset[str] = frozenset()
    placing: tuple[Violation, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedFile:
    """What could be read from a file, and every problem found while reading it."""

    file_name: str
    rows: list[ParsedRow]
    problems: list[Problem] = field(default_factory=list)
    partial: list[ParsedRow] = field(default_factory=list)  # rows with unreadable cells
    letters: dict[str, str] = field(default_factory=dict)  # column -> spreadsheet letter


def read_measures(
    data: bytes, file_name: str, werkregios: WerkregioIndex, names: NameTable | None = None
) -> ParsedFile:
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
            parsed = _placed(parsed, names)
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


def _placed(parsed: ParsedRow, names: NameTable | None) -> ParsedRow:
    """The row with gemeente and kassier resolved (see :mod:`adaptatie.finance.places`)."""
    placement = place_measure(parsed.measure, names)
    return ParsedRow(
        parsed.row, placement.measure, parsed.failed, placement.violations, placement.notes
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
