"""Showing text that comes from users or files: always literally, never as markup or code.

Every text that a user typed (measure names, layer sources, workshop notes) or that a source file
supplies (``statnaam``, region names in ``regions.toml``) passes through one of these helpers at
the point where it enters HTML, JavaScript or Markdown:

- :func:`html_text` for HTML (the map legend, ``unsafe_allow_html`` snippets). Its output is also
  safe inside a JavaScript template literal, because backticks, ``$`` and backslashes become
  character references too.
- :func:`md_text` for Streamlit's Markdown (``st.markdown``, ``st.error``, ``st.caption``, labels):
  every ASCII punctuation character is backslash-escaped, so ``$…$`` is not maths, backticks are
  not code, ``*`` is not emphasis and ``[x](…)`` is not a link.
- :class:`SafeGeoJsonTooltip` and :class:`SafeTooltip` for map tooltips: the values are put into
  the page as JSON data and set with ``textContent`` in the browser, so they are never parsed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from branca.element import MacroElement
from folium.template import Template

if TYPE_CHECKING:
    import pandas as pd

_JS_TEMPLATE_SPECIALS = {"`": "&#96;", "$": "&#36;", "\\": "&#92;"}
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>~$|])")  # what makes markup inside a table cell


def html_text(value: object) -> str:
    """``value`` as text for HTML element content or a quoted attribute."""
    escaped = html.escape(str(value), quote=True)
    return "".join(_JS_TEMPLATE_SPECIALS.get(ch, ch) for ch in escaped)


def md_text(value: object) -> str:
    """``value`` as literal text inside Streamlit Markdown (no maths, code, links or HTML)."""
    text = str(value).replace("\r\n", "\n")
    # Vertical tabs and other control characters (Word's soft line break is \x0b) as spaces.
    text = "".join(" " if (ord(ch) < 32 and ch != "\n") else ch for ch in text)
    # Punctuation escaped; a line break stays a line break (two spaces before it).
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def md_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` for ``st.table``, which renders inline Markdown in every cell and header: the
    characters that make emphasis, code, links, maths or markup are escaped, so each text shows
    literally; other text ("01-01-2019", "Hengelo (O.)") and numbers are left as they are."""

    def cell(value: object) -> object:
        return _MARKDOWN_INLINE.sub(r"\\\1", value) if isinstance(value, str) else value

    return frame.rename(columns=cell).apply(lambda column: column.map(cell))


class SafeGeoJsonTooltip(MacroElement):
    """A tooltip for a ``folium.GeoJson`` layer: a table of feature properties, shown as text.

    Use instead of ``folium.GeoJsonTooltip``, which writes the property values into the tooltip
    as HTML.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindTooltip(function (layer) {
            var fields = {{ this.fields|tojson }};
            var aliases = {{ this.aliases|tojson }};
            var table = L.DomUtil.create("table", "adaptatie-tooltip");
            var properties = (layer.feature && layer.feature.properties) || {};
            fields.forEach(function (field, i) {
                var row = L.DomUtil.create("tr", "", table);
                L.DomUtil.create("th", "", row).textContent = aliases[i];
                var value = properties[field];
                L.DomUtil.create("td", "", row).textContent =
                    (value === null || value === undefined) ? "" : String(value);
            });
            return table;
        }, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, fields: Sequence[str], aliases: Sequence[str], sticky: bool = True) -> None:
        super().__init__()
        if len(fields) != len(aliases):
            raise ValueError("fields and aliases differ in length")
        self._name = "SafeGeoJsonTooltip"
        self.fields = list(fields)
        self.aliases = [str(a) for a in aliases]
        self.options = {"sticky": sticky, "className": "foliumtooltip"}


class SafeTooltip(MacroElement):
    """A plain-text tooltip for any map object (marker, shape), shown as text."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindTooltip(function () {
            var box = L.DomUtil.create("div", "adaptatie-tooltip");
            box.textContent = {{ this.text|tojson }};
            return box;
        }, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, text: object, sticky: bool = True) -> None:
        super().__init__()
        self._name = "SafeTooltip"
        self.text = str(text)
        self.options = {"sticky": sticky}
