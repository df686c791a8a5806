"""Dutch all the way: every page, logged in as beheerder (so every form is drawn), with demo
layers, read through AppTest. No English Streamlit defaults, no English or Python words in texts
and tables, no ISO dates on screen; date inputs dd-mm-jjjj, Dutch decimals on sliders and charts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from adaptatie.accounts.roles import Role
from adaptatie.regions.models import RegionKind
from adaptatie.ui.layout import PAGES
from tests.logins import add_account, login

ROOT = Path(__file__).resolve().parents[1]
# Words a Dutch reader should never meet: Streamlit's English defaults, Python's values, English
# left in the data, a CLI flag, an internal document number, an ISO date.
FORBIDDEN = re.compile(
    r"\b(Choose|Browse files|Upload|Drag and drop|per file|No options|lays claim|None|True|False"
    r"|nan|NaN|NaT)\b|<NA>|klantdocument|--[a-z]{2,}|\b\d{4}-\d{2}-\d{2}\b"
)
# Elements whose strings are not text for the reader (map HTML, chart spec, tables, images).
NOT_TEXT = {"vega_lite_chart", "component_instance", "iframe", "imgs", "arrow_data_frame"}
# (A date input holds its value and bounds in ISO form; what it shows is its format.)
SKIPPED_FIELDS = {"id", "form_id", "spec", "data", "url", "src", "icon", "type", "default"}
SKIPPED_FIELDS |= {"min", "max"}


@pytest.fixture
def app(app_home: Callable[..., Path]) -> AppTest:
    home = app_home(demo_m=2000.0)  # SYNTHETIC demo layers at 2 km
    add_account(home, "beheer", Role.BEHEERDER)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.switch_page("pages/5_Stresstestlagen.py")
    return login(at.run(), "beheer")


def _elements(block: object) -> Iterator[object]:
    for child in getattr(block, "children", {}).values():
        yield child
        yield from _elements(child)


def _strings(message: Message) -> Iterator[str]:
    for field, value in message.ListFields():
        if field.name in SKIPPED_FIELDS:
            continue
        single = isinstance(value, str | bytes | Message) or not hasattr(value, "__iter__")
        values = [value] if single else value
        for item in values:
            if isinstance(item, Message):
                yield from _strings(item)
            elif isinstance(item, str):
                yield item


def texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """(element type, text) for every text the page shows, tables cell by cell."""
    for element in _elements(at._tree):
        kind = getattr(element, "type", "")
        proto = getattr(element, "proto", None)
        if kind == "arrow_data_frame" or kind == "dataframe":
            frame = element.value  # type: ignore[attr-defined]
            for column in frame.columns:
                yield kind, str(column)
                for cell in frame[column]:
                    shown = "None" if cell is None or cell is pd.NA else str(cell)
                    yield f"{kind} {column!r}", shown
        elif kind not in NOT_TEXT and isinstance(proto, Message):
            for text in _strings(proto):
                if not text.lstrip().startswith("<style>"):
                    yield kind, text


def check(at: AppTest, page: str) -> list[str]:
    """Every rule this module checks, as a list of Dutch-language failures on ``page``."""
    problems = [f"{page}: {kind}: {text!r}" for kind, text in texts(at) if FORBIDDEN.search(text)]
    for box in [*at.selectbox, *at.multiselect]:
        if not box.proto.placeholder.strip():
            problems.append(f"{page}: {box.label!r} zonder Nederlandse placeholder")
    for field in at.date_input:
        if field.proto.format != "DD-MM-YYYY":
            problems.append(f"{page}: datum {field.label!r} in {field.proto.format}")
    for slider in at.slider:  # st.slider writes decimals with a point (sprintf)
        if not float(slider.value if not isinstance(slider.value, tuple) else 0).is_integer():
            problems.append(f"{page}: schuif {slider.label!r} met decimale punt")
    for slider in at.select_slider:
        points = [o for o in slider.options if re.search(r"\d\.\d", o)]
        problems += [f"{page}: schuif {slider.label!r}: {o}" for o in points]
    for chart in at.get("vega_lite_chart"):
        locale = json.loads(chart.proto.spec).get("config", {}).get("locale", {})
        if locale.get("number", {}).get("decimal") != ",":
            problems.append(f"{page}: grafiek zonder nl-NL-getallen")
    captions = " ".join(c.value for c in at.caption)
    for upload in at.get("file_uploader"):
        limit = f"ten hoogste {upload.proto.max_upload_size_mb:,} MB".replace(",", ".")
        if limit not in captions:
            problems.append(f"{page}: {upload.proto.label!r} zonder '{limit}'")
    return problems


def test_every_page_is_dutch(app: AppTest) -> None:
    assert not app.exception, app.exception
    problems, charts = [], 0
    for path, _label, _icon in PAGES:
        app.switch_page(path).run()
        assert not app.exception, (path, app.exception)
        problems += check(app, path)
        charts += len(app.get("vega_lite_chart"))
    assert not problems, "\n".join(problems)
    assert charts >= 2  # the class chart (Stresstest) and the money chart (Cofinanciering)


def test_map_with_a_layer_and_a_cluster_is_dutch(app: AppTest) -> None:
    at = app.switch_page("app.py").run()
    at.selectbox(key="map_raster").set_value("demo-wateroverlast-70mm").run()
    at.selectbox(key="picker_kind").set_value(RegionKind.CLUSTER).run()
    at.selectbox(key="picker_region").set_value("DAL").run()
    assert not at.exception, at.exception
    assert [o for o in at.select_slider(key="map_raster_opacity").options][6] == "0,7"
    problems = check(at, "app.py")
    # 2017: the CBS table has no inhabitants for the municipalities of that year
    at.select_slider(key="grensjaar").set_value(2017).run()
    problems += check(at, "app.py, 2017")
    assert not problems, "\n".join(problems)
