"""DPRA-voortgang: the Delta Programme steps per municipality and werkregio."""

from adaptatie.ui import progress_page
from adaptatie.ui.layout import page

page(
    "DPRA-voortgang",
    "Welke gemeenten en werkregio's hebben de stresstest gedaan, de risicodialoog gehouden en "
    "hun strategie en uitvoeringsagenda vastgesteld.",
)
progress_page.render()
