"""Cofinanciering: Impulsregeling money per werkregio and the adaptation measures."""

from adaptatie.ui import finance_page
from adaptatie.ui.layout import page

page(
    "Cofinanciering",
    "Maatregelen en de rijksbijdrage uit de Impulsregeling klimaatadaptatie per werkregio, "
    "getoetst aan de regels voordat iets wordt opgeslagen.",
)
finance_page.render()
