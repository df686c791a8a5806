"""Stresstestlagen: add, list and remove stress-test rasters."""

from adaptatie.ui import layers_page
from adaptatie.ui.errors import guard
from adaptatie.ui.layout import page

page(
    "Stresstestlagen",
    "Stresstestkaarten (GeoTIFF) toevoegen aan het dashboard. Elke laag wordt gecontroleerd "
    "voordat hij wordt opgeslagen.",
)
with guard():  # the one error boundary: no page shows a traceback
    layers_page.render()
