"""Risicodialoog: workshop mode for risk dialogues with councils, residents and partners."""

from adaptatie.ui import workshop_page
from adaptatie.ui.errors import guard
from adaptatie.ui.layout import page

page(
    "Risicodialoog",
    "Stap voor stap door de stresstest van een regio, thema voor thema, en leg vast wat de groep "
    "besluit. Alles wordt meteen opgeslagen.",
)
with guard():  # the one error boundary: no page shows a traceback
    workshop_page.render()
