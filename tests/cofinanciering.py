"""Test helpers for the Cofinanciering page under AppTest: open it, fill the new-measure form."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def finance_page() -> AppTest:
    """The whole app (so page links resolve), run on the Cofinanciering page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/6_Cofinanciering.py")
    return at.run()


def fill(at: AppTest, **values: str) -> None:
    """Fill the new-measure form: keys are the field names of the form (fin_<field>___nieuw__)."""
    for field, value in values.items():
        at.text_input(key=f"fin_{field}___nieuw__").set_value(value)
