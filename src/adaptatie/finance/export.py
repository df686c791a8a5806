"""Export of measures to CSV and Excel (.xlsx), safe to open in a spreadsheet.

The columns are those of the import (:data:`adaptatie.finance.sheets.ALL_COLUMNS`), so an export
imports again unchanged. CSV: ``;``, decimal comma, dates dd-mm-jjjj, UTF-8 with BOM (Excel opens
it correctly). XLSX: money as numbers in euros with two decimals, real date cells. Text cells that
start with ``= + - @``, a tab or CR get a leading apostrophe so no spreadsheet runs them as a
formula (the import removes that apostrophe again).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from adaptatie.finance.errors import ExportError
from adaptatie.finance.money import cents_to_decimal
from adaptatie.finance.records import Measure
from adaptatie.finance.sheets import ALL_COLUMNS
from adaptatie.oserrors import describe
from adaptatie.safe_csv import Sheet, csv_bytes, safe_text, xlsx_bytes

__all__ = ["export_csv_bytes", "export_measures", "export_xlsx_bytes", "safe_text"]

_MONEY = ("totale_kosten", "subsidiabele_kosten", "rijksbijdrage")


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


def _cells(measures: Iterable[Measure]) -> Iterable[list[object]]:
    """Rows in column order, money as euros with two decimals (``Decimal``)."""
    for row in _export_rows(measures):
        yield [
            (
                cents_to_decimal(row[c])  # type: ignore[arg-type]
                if c in _MONEY and row[c] is not None
                else row[c]
            )
            for c in ALL_COLUMNS
        ]


def export_csv_bytes(measures: Iterable[Measure]) -> bytes:
    """CSV: ``;``-separated, decimal comma, dates dd-mm-jjjj, UTF-8 with BOM."""
    return csv_bytes(ALL_COLUMNS, _cells(measures))


def export_xlsx_bytes(measures: Iterable[Measure]) -> bytes:
    """XLSX: sheet 'maatregelen', money as numbers in euros (2 decimals), real date cells."""
    formats = dict.fromkeys(_MONEY, "#,##0.00")
    return xlsx_bytes([Sheet("maatregelen", ALL_COLUMNS, _cells(measures), formats, "B2")])


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
            f"{target} kan niet worden geschreven ({describe(exc)}). Oplossing: kies een map die "
            "bestaat en waarin u mag schrijven, en sluit het bestand als het in Excel open staat."
        ) from exc
    return target
