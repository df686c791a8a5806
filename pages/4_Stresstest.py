"""Stresstest per regio: stress-test statistics per municipality, cluster, cooperation, etc."""

from adaptatie.ui import stresstest_page
from adaptatie.ui.layout import page

page(
    "Stresstest per regio",
    "Hoeveel van elke regio valt in elke stresstestklasse, en welke regio's springen eruit.",
)
stresstest_page.render()
