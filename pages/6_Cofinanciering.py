"""Cofinanciering: Impulsregeling money per werkregio and the adaptation measures."""

from adaptatie.ui import finance_page
from adaptatie.ui.errors import guard
from adaptatie.ui.layout import page

page(
    "Cofinanciering",
    "Maatregelen en de rijksbijdrage uit de Impulsregeling klimaatadaptatie per werkregio, "
    "getoetst aan de regels voordat iets wordt opgeslagen.",
)
with guard():  # the one error boundary: no page shows a traceback
    finance_page.render()
