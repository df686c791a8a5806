"""Text from users and files is shown literally: HTML, JavaScript and Markdown escaping."""

from __future__ import annotations

import json

import folium

from adaptatie.ui.safe import SafeGeoJsonTooltip, SafeTooltip, html_text, md_text

HOSTILE = '<img src=x onerror="go()">`${go()}`\\'


def test_html_text_escapes_markup_and_template_literal_characters() -> None:
    # Worked out by hand: < > " become entities, and so do ` $ \ (template-literal syntax).
    assert html_text(HOSTILE) == (
        "&lt;img src=x onerror=&quot;go()&quot;&gt;&#96;&#36;{go()}&#96;&#92;"
    )
    assert html_text("Hengelo (O.) & 'Enschede'") == "Hengelo (O.) &amp; &#x27;Enschede&#x27;"


def test_md_text_escapes_maths_code_emphasis_links_and_keeps_line_breaks() -> None:
    assert md_text("$5 en $10") == r"\$5 en \$10"
    assert md_text("Wadi `de Kolk`") == r"Wadi \`de Kolk\`"
    assert md_text("*vet* [x](javascript:go)") == r"\*vet\* \[x\]\(javascript\:go\)"
    assert md_text("regel 1\nregel 2") == "regel 1  \nregel 2"
    # Word's soft line break (vertical tab) and other control characters become spaces.
    assert md_text("a\x0bb\x07c") == "a b c"
    assert md_text("Groningen 2024") == "Groningen 2024"


def _rendered(child: object) -> str:
    fmap = folium.Map(tiles=None)
    folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"naam": HOSTILE},
                    "geometry": {"type": "Point", "coordinates": [6.5, 52.8]},
                }
            ],
        }
    ).add_child(child).add_to(fmap)
    return fmap.get_root().render()


def test_geojson_tooltip_sets_values_as_text_never_as_html() -> None:
    html = _rendered(SafeGeoJsonTooltip(["naam"], ["Naam"]))
    assert "textContent" in html
    assert "innerHTML" not in html
    # The hostile value appears only as JSON data with < and > escaped for the script element.
    assert "<img src=x" not in html
    assert json.dumps(HOSTILE).replace("<", "\\u003c").replace(">", "\\u003e") in html


def test_plain_tooltip_is_a_json_string_not_a_template_literal() -> None:
    html = _rendered(SafeTooltip(HOSTILE))
    assert "<img src=x" not in html
    assert "bindTooltip(`" not in html  # folium.Tooltip would open a template literal here
    escaped = json.dumps(HOSTILE).replace("<", "\\u003c").replace(">", "\\u003e")
    assert f"box.textContent = {escaped};" in html


def test_md_table_escapes_only_what_makes_markup() -> None:
    import pandas as pd

    from adaptatie.ui.safe import md_table

    frame = pd.DataFrame(
        {"Naam *x*": ["Emmen *vet*", "Wadi `de Kolk`", "Hengelo (O.)"], "Jaar": [2019, 2021, 2023]}
    )
    shown = md_table(frame)
    assert list(shown.columns) == ["Naam \\*x\\*", "Jaar"]
    assert shown["Naam \\*x\\*"].tolist() == [
        "Emmen \\*vet\\*",
        "Wadi \\`de Kolk\\`",
        "Hengelo (O.)",  # nothing to escape: shown and compared as it is
    ]
    assert shown["Jaar"].tolist() == [2019, 2021, 2023]
    assert md_table(pd.DataFrame({"d": ["01-01-2019", "$5 en <b>"]}))["d"].tolist() == [
        "01-01-2019",
        "\\$5 en \\<b\\>",
    ]
