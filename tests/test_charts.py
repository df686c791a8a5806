"""Charts carry the nl-NL locale: Vega then writes 0,7 and € 5,4 mln, not 0.7 and 5.4."""

from __future__ import annotations

import altair as alt
import pandas as pd

from adaptatie.ui.charts import dutch


def test_a_dutch_chart_has_the_nl_locale() -> None:
    chart = alt.Chart(pd.DataFrame({"x": [0.7]})).mark_bar().encode(x="x:Q")
    config = dutch(chart).to_dict()["config"]["locale"]
    assert config["number"]["decimal"] == ","
    assert config["number"]["thousands"] == "."
    assert config["number"]["currency"] == ["€ ", ""]
    assert config["time"]["date"] == "%d-%m-%Y"
    assert config["time"]["months"][2] == "maart"

