"""Import and export of measures as CSV and Excel (.xlsx).

Import accepts what people have: Dutch headers (``id, naam, werkregio, gemeente, thema, status,
ronde, totale_kosten, subsidiabele_kosten, rijksbijdrage, kassier, gereed_datum``; optional
``omschrijving, locatie_wkt``; case, spaces and hyphens in headers are forgiven), amounts such as
``€ 1.234.567,89``, dates ``dd-mm-jjjj`` or ISO, ``;``, ``,`` or tab separators (detected from the
header), UTF-8 with or without BOM, Windows-1252 or UTF-16 (Excel "Unicode-tekst"), werkregio by id
or name. Empty rows are skipped.

Import is all-or-nothing: every problem in the file is collected (parsing, duplicate ids within
the file and against the database, the Impulsregeling rules applied to the file together with the
stored measures, a gemeente or kassier that is no CBS municipality or province or is ambiguous) and
any problem rejects the whole file with :class:`ImportRejectedError`, each
problem naming the row as the spreadsheet shows it (header = row 1) and the column. Nothing is
stored then. Imports only add measures; an id that is already stored is a problem. A gemeente or
kassier is stored as CBS writes it (``Hengelo`` as ``Hengelo (O.)``); the result's notes say so
per row.

Export (:mod:`adaptatie.finance.export`, re-exported here) writes the same columns, safe against
formula injection (one writer, :mod:`adaptatie.safe_csv`), so an export imports again unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from adaptatie import limits
from adaptatie.finance.allocation_rules import evaluate_change
from adaptatie.finance.errors import ImportRejectedError, RuleViolationError
from adaptatie.finance.export import (
    export_csv_bytes,
    export_measures,
    export_xlsx_bytes,
    safe_text,
)
from adaptatie.finance.import_read import ParsedFile, ParsedRow, read_measures
from adaptatie.finance.ledger import Ledger
from adaptatie.finance.places import Placement, without_repeats
from adaptatie.finance.records import Allocation, ImportResult, Measure
from adaptatie.finance.rules import Violation, check_measure
from adaptatie.finance.sheets import (
    ALL_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    Problem,
)
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
        rules = without_repeats(check_measure(m, allocations), [Placement(m, (), item.placing)])
        for v in [*item.placing, *rules]:
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
    parsed = read_measures(data, file_name, ledger.werkregios, ledger.names)
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
    notes = [
        f"Rij {r.row}, maatregel {r.measure.id}: {note}" for r in parsed.rows for note in r.notes
    ]
    return dataclasses.replace(result, warnings=located, notes=notes)


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
