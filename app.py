"""adaptatie: home page, the regional water map (Regionale waterkaart)."""

from adaptatie.ui import map_page
from adaptatie.ui.errors import guard
from adaptatie.ui.layout import page

page(
    "Regionale waterkaart",
    "Gemeenten, clusters, samenwerkingsverbanden, DPRA-werkregio's, waterschappen en provincies "
    "van Groningen, Drenthe en Twente, voor elk grensjaar in de brongegevens.",
)
with guard():  # the one error boundary: no page shows a traceback
    map_page.render()
