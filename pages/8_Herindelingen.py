"""Herindelingen: municipal mergers between two boundary years."""

from adaptatie.ui import lineage_page
from adaptatie.ui.layout import page

page(
    "Gemeentelijke herindelingen",
    "Welke gemeenten zijn samengevoegd of van grens veranderd tussen twee grensjaren, "
    "in Groningen, Drenthe en Overijssel.",
)
lineage_page.render()
