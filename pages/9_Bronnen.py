"""Bronnen: source files, licences and load checks."""

from adaptatie.ui import sources_page
from adaptatie.ui.errors import guard
from adaptatie.ui.layout import page

page("Bronnen en licenties")
with guard():  # the one error boundary: no page shows a traceback
    sources_page.render()
