"""The council report (raadsrapportage): one A4 PDF in Dutch per region, rendered offline.

``build_report`` gathers the region's profile, stress-test numbers, co-financing and sources
(:mod:`adaptatie.report.content`), draws the map (:mod:`adaptatie.report.figures`) and lays out
the pages (:mod:`adaptatie.report.pdf`). Only local files are read; no network is used.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from adaptatie.finance.ledger import Ledger
from adaptatie.regions.models import Region
from adaptatie.report.content import gather
from adaptatie.report.pdf import write_pdf
from adaptatie.workspace import Workspace

__all__ = ["build_report", "report_filename"]


def build_report(
    workspace: Workspace,
    region: Region,
    out: Path,
    *,
    ledger: Ledger | None = None,
    generated: dt.date | None = None,
) -> Path:
    """Write the council report of ``region`` to ``out`` (a PDF) and return ``out``."""
    content = gather(workspace, region, ledger, generated or dt.date.today())
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.tmp")
    try:
        write_pdf(content, workspace.atlas, workspace.catalogue, temporary)
        temporary.replace(out)
    finally:
        temporary.unlink(missing_ok=True)
    return out


def report_filename(region: Region) -> str:
    """``raadsrapportage-cluster-westerkwartier-2024.pdf`` (ASCII, lower case)."""
    name = unicodedata.normalize("NFKD", region.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or region.id.casefold()
    return f"raadsrapportage-{region.kind.value}-{slug}-{region.year}.pdf"
