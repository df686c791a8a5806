"""Helpers of the ledger tests (not tests): a valid measure, import rows, the PostgreSQL check."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from adaptatie.finance.records import ClimateTheme, Measure, Status

HEADER = (
    "id;naam;werkregio;gemeente;thema;status;ronde;totale_kosten;subsidiabele_kosten;"
    "rijksbijdrage;kassier;gereed_datum"
)
ROW_A = (
    "FLU-010;Wadi Hoogeveen;Fluvius;GM0118;wateroverlast;aangevraagd;2022;€ 1.234.567,89;"
    "€ 900.000,00;300.000;Gemeente Hoogeveen;31-12-2027"
)
ROW_B = (
    "TWN-001;Groene schoolpleinen;Twents Waternet;Enschede;hitte, wateroverlast;toegekend;2021;"
    "600000;450000;150000;Gemeente Enschede;2026-06-30"
)


def csv_bytes(*lines: str, encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def measure(**changes: object) -> Measure:
    """A valid applied Fluvius measure: 1/3 exactly, completion 31-12-2027."""
    base: dict[str, object] = {
        "id": "FLU-001",
        "name": "Wadi Meppel-Noord",
        "werkregio": "WR-FLU",
        "status": Status.AANGEVRAAGD,
        "themes": frozenset({ClimateTheme.WATEROVERLAST}),
        "gemeente": "GM0119",
        "round": 2022,
        "total_cost_cents": 450_000_00,
        "eligible_cost_cents": 300_000_00,
        "rijk_contribution_cents": 100_000_00,
        "kassier": "Gemeente Meppel",
        "completion_date": dt.date(2027, 12, 31),
    }
    base.update(changes)
    return Measure(**base)  # type: ignore[arg-type]


def require_postgres_binaries(bindir: Path | None) -> Path:
    """The binaries folder; skip without it, but fail when the environment variable CI is set."""
    if bindir is not None:
        return bindir
    reason = (
        "PostgreSQL-binaries ontbreken (/usr/lib/postgresql/*/bin); installeer het "
        "Debian-pakket 'postgresql' (apt-get install -y postgresql)."
    )
    if os.environ.get("CI"):
        pytest.fail(reason + " In CI is dat verplicht.")
    pytest.skip(reason)
