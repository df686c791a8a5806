"""Regio-overzicht: all regions of a kind in a table."""

from adaptatie.ui import overview_page
from adaptatie.ui.errors import guard
from adaptatie.ui.layout import page

page("Regio-overzicht", "Alle regio's van één soort, met oppervlakte, inwoners en waterschappen.")
with guard():  # the one error boundary: no page shows a traceback
    overview_page.render()
