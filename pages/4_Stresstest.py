"""Stresstest per regio: stress-test statistics per municipality, cluster, cooperation, etc."""

from adaptatie.ui import stresstest_page
from adaptatie.ui.errors import guard
from adaptatie.ui.layout import page

page(
    "Stresstest per regio",
    "Hoeveel van elke regio valt in elke stresstestklasse, en welke regio's springen eruit.",
)
with guard():  # the one error boundary: no page shows a traceback
    stresstest_page.render()
