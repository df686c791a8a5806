"""Herindelingen: municipal mergers between two boundary years."""

from adaptatie.ui import lineage_page
from adaptatie.ui.errors import guard
from adaptatie.ui.layout import page

page(
    "Gemeentelijke herindelingen",
    "Welke gemeenten zijn samengevoegd of van grens veranderd tussen twee grensjaren, "
    "in Groningen, Drenthe en Overijssel.",
)
with guard():  # the one error boundary: no page shows a traceback
    lineage_page.render()
