"""Hotspots en blootstelling: hotspots, exposed objects, which hotspots measures reach."""

from adaptatie.ui import exposure_page
from adaptatie.ui.errors import guard
from adaptatie.ui.layout import page

page(
    "Hotspots en blootstelling",
    "Waar de stresstest boven een drempel komt, welke gebouwen, wegen en kwetsbare objecten daar "
    "staan, en welke hotspots de toegekende maatregelen bereiken.",
)
with guard():  # the one error boundary: no page shows a traceback
    exposure_page.render()
