"""Test helper: the text of a PDF's pages, after checking that every page is A4."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader


def pages(path: Path) -> list[str]:
    """The text of every page of the PDF at ``path``, white space folded to single spaces."""
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width == pytest.approx(595.3, abs=1.0)
        assert height == pytest.approx(841.9, abs=1.0)
    # Wrapped lines come out with line breaks; compare with single spaces.
    return [" ".join(page.extract_text().split()) for page in reader.pages]
