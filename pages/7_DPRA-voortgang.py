"""DPRA-voortgang: the Delta Programme steps per municipality and werkregio."""

from adaptatie.ui import progress_page
from adaptatie.ui.errors import guard
from adaptatie.ui.layout import page

page(
    "DPRA-voortgang",
    "Welke gemeenten en werkregio's hebben de stresstest gedaan, de risicodialoog gehouden en "
    "hun strategie en uitvoeringsagenda vastgesteld.",
)
with guard():  # the one error boundary: no page shows a traceback
    progress_page.render()
