"""Bronnen: source files, licences and load checks."""

from adaptatie.ui import sources_page
from adaptatie.ui.layout import page

page("Bronnen en licenties")
sources_page.render()
