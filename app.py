"""adaptatie: home page, the regional water map (Regionale waterkaart)."""

from adaptatie.ui import map_page
from adaptatie.ui.layout import page

page(
    "Regionale waterkaart",
    "Gemeenten, clusters, samenwerkingsverbanden, DPRA-werkregio's, waterschappen en provincies "
    "van Groningen, Drenthe en Twente, voor elk grensjaar in de brongegevens.",
)
map_page.render()
