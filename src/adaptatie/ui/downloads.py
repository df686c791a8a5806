"""Files offered for download: Dutch spreadsheet conventions, safe to open."""

from __future__ import annotations

import pandas as pd

from adaptatie.safe_csv import csv_bytes as _csv_bytes


def csv_bytes(frame: pd.DataFrame, source: str) -> bytes:
    """CSV for Dutch Excel (see :mod:`adaptatie.safe_csv`) with a ``# Bron:`` line first;
    missing values (``NaN``, ``<NA>``) are empty cells."""
    cells = frame.astype(object).where(frame.notna(), None)
    rows = (list(r) for r in cells.itertuples(index=False, name=None))
    return _csv_bytes([str(c) for c in frame.columns], rows, preamble=[f"# Bron: {source}"])
