"""What a reader sees of a Streamlit Markdown text (AppTest gives the Markdown source)."""

from __future__ import annotations

import re


def shown(markdown: str) -> str:
    """``markdown`` with backslash escapes undone and hard line breaks as plain newlines."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("  \n", "\n")
