"""Altair charts in Dutch: nl-NL numbers and dates on axes, legends and tooltips.

Vega formats numbers and dates with d3-format and d3-time-format, in American English unless the
chart's configuration names a locale. :func:`dutch` adds the nl-NL locale (decimal comma,
thousands dot, ``€ `` before an amount, Dutch month and day names) to a chart.
"""

from __future__ import annotations

import altair as alt

# d3-format and d3-time-format, locale nl-NL (with "€ " before the amount, as adaptatie.fmt writes)
NL_NUMBER = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]}
NL_TIME = {
    "dateTime": "%a %e %B %Y %X",
    "date": "%d-%m-%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
    "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
    "months": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "shortMonths": [
        "jan",
        "feb",
        "mrt",
        "apr",
        "mei",
        "jun",
        "jul",
        "aug",
        "sep",
        "okt",
        "nov",
        "dec",
    ],
}
# Axis labels of amounts in millions of euros: "€ 5,4 mln".
MILLION_EURO_LABELS = 'format(datum.value, "$,.1f") + " mln"'


def dutch(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """``chart`` with the nl-NL number and time locale."""
    return chart.configure(locale=alt.Locale(number=NL_NUMBER, time=NL_TIME))
