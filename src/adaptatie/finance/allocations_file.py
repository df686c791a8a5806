"""Read ``geodata/allocations.toml``: the allocations a new ledger database is seeded with."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from adaptatie.config import shipped_file
from adaptatie.errors import DataFileError
from adaptatie.finance.money import AmountError, parse_amount
from adaptatie.finance.records import Allocation, AllocationBasis
from adaptatie.finance.werkregios import WerkregioIndex
from adaptatie.io.versions import read_toml_file

ALLOCATIONS_FILE_ENV = "ADAPTATIE_ALLOCATIONS_FILE"
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def allocations_file(override: str | Path | None = None) -> Path:
    """``geodata/allocations.toml``, or the argument, or ``$ADAPTATIE_ALLOCATIONS_FILE``."""
    return shipped_file("allocations.toml", override, ALLOCATIONS_FILE_ENV)


def read_allocations(path: Path, werkregios: WerkregioIndex) -> list[Allocation]:
    """One allocation per werkregio of ``werkregios``, in that order.

    A werkregio missing from the file gets an allocation with basis ``onbekend``. Errors name
    the entry and the field, in Dutch.
    """
    data = read_toml_file(
        path,
        "het bestand met toewijzingen (Impulsregeling)",
        f"zet geodata/allocations.toml terug uit git of wijs {ALLOCATIONS_FILE_ENV} naar een "
        "kopie.",
    )
    found: dict[str, Allocation] = {}
    for index, entry in enumerate(data.get("allocation", []), start=1):
        allocation = _entry(entry, index, path, werkregios)
        if allocation.werkregio in found:
            raise DataFileError(
                path,
                f"werkregio {allocation.werkregio} staat er meer dan eens in.",
                "geef elke werkregio één [[allocation]].",
            )
        found[allocation.werkregio] = allocation
    return [
        found.get(w.id)
        or Allocation(
            w.id, w.name, None, AllocationBasis.ONBEKEND, "", "", "Niet in allocations.toml."
        )
        for w in werkregios.werkregios
    ]


def _entry(entry: dict[str, Any], index: int, path: Path, index_: WerkregioIndex) -> Allocation:
    where = f"toewijzing nr. {index} ({entry.get('werkregio', 'zonder werkregio')})"

    def fail(problem: str, fix: str) -> DataFileError:
        return DataFileError(path, f"{where}: {problem}", fix)

    werkregio = index_.get(str(entry.get("werkregio", "")))
    if werkregio is None:
        raise fail("de werkregio is onbekend.", f"gebruik een van: {index_.choices()}.")
    try:
        basis = AllocationBasis(entry.get("basis", ""))
    except ValueError:
        raise fail(
            f"basis '{entry.get('basis', '')}' is onbekend.", "kies maximum, geclaimd of onbekend."
        ) from None
    raw = entry.get("max_rijk_eur")
    cents: int | None
    if raw is None:
        cents = None
    elif isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        cents = raw * 100
    elif isinstance(raw, str):
        try:
            cents = parse_amount(raw)
        except AmountError as exc:
            raise fail(f"max_rijk_eur: {exc}", "schrijf hele euro's, bijv. 5_400_000.") from exc
    else:
        raise fail(f"max_rijk_eur '{raw}' is geen bedrag.", "schrijf hele euro's, bijv. 5_400_000.")
    if (cents is None) != (basis is AllocationBasis.ONBEKEND):
        raise fail(
            "max_rijk_eur en basis passen niet bij elkaar.",
            "geef een bedrag bij basis maximum of geclaimd en laat het weg bij basis onbekend.",
        )
    date = str(entry.get("date", ""))
    if date and not _DATE.fullmatch(date):
        raise fail(f"date '{date}' is geen datum.", "schrijf JJJJ-MM-DD, JJJJ-MM of JJJJ.")
    return Allocation(
        werkregio=werkregio.id,
        name=werkregio.name,
        max_rijk_cents=cents,
        basis=basis,
        source=str(entry.get("source", "")),
        date=date,
        note=" ".join(str(entry.get("note", "")).split()),
    )
