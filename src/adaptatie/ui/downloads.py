"""Files offered for download: Dutch spreadsheet conventions, safe to open."""

from __future__ import annotations

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    """Neutralise text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame, source: str) -> bytes:
    """CSV for Dutch Excel: semicolon separator, decimal comma, UTF-8 with BOM, source line."""
    safe = frame.map(_safe)
    body = safe.to_csv(index=False, sep=";", decimal=",")
    return (f"# Bron: {source}\n" + body).encode("utf-8-sig")
