"""Regio-overzicht: all regions of a kind in a table."""

from adaptatie.ui import overview_page
from adaptatie.ui.layout import page

page("Regio-overzicht", "Alle regio's van één soort, met oppervlakte, inwoners en waterschappen.")
overview_page.render()
