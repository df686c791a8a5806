"""The page that says where every number comes from."""

from __future__ import annotations

import streamlit as st

from adaptatie.ui import state
from adaptatie.ui.safe import md_text

LICENCES = """
- **Gemeente- en provinciegrenzen:** CBS/Kadaster, gebiedsindelingen (gegeneraliseerd),
  licentie CC-BY 4.0. Naamsvermelding: "CBS, Kadaster".
- **Inwoners:** CBS Kerncijfers wijken en buurten, licentie CC-BY 4.0.
- **Waterschapsgrenzen:** Het Waterschapshuis, via PDOK (open data).
- **Achtergrondkaart:** PDOK BRT-Achtergrondkaart, © Kadaster (alleen online).
- **Indelingen** (clusters, samenwerkingsverbanden, werkregio's): `geodata/regions.toml`, met per
  regio de bron (documenten van de samenwerkingsverbanden en de provincie Drenthe).
"""


def render() -> None:
    atlas = state.atlas()
    source = atlas.source
    st.markdown(f"**Gegevens in gebruik:** {md_text(source.origin)}")
    st.markdown(f"**Map met brongegevens:** {md_text(source.folder)}")
    st.markdown(
        "Volgorde: de map die bij het starten van de app is opgegeven (instelling "
        "`ADAPTATIE_DATA_DIR`); anders de gegevens die `adaptatie data update` van PDOK en CBS "
        "heeft opgehaald; anders de momentopname die met adaptatie is meegeleverd. Na een "
        "wijziging: start de app opnieuw."
    )
    rows = []
    for year in atlas.years:
        layer = source.gemeenten(year)
        rows.append(
            {"bestand": layer.path.name, "inhoud": f"gemeenten {year}", "bron": layer.source}
        )
    for label, layer in (
        ("provincies", source.provincies()),
        ("waterschappen", source.waterschappen()),
    ):
        rows.append({"bestand": layer.path.name, "inhoud": label, "bron": layer.source})
    population = source.population()
    for year in population.years:
        rows.append(
            {
                "bestand": ", ".join(p.name for p in population.paths),
                "inhoud": f"inwoners {year}",
                "bron": population.sources[year],
            }
        )
    st.dataframe(rows, hide_index=True)
    notes = source.notes()
    if notes:
        st.warning(
            "Bij het inlezen hersteld of omgerekend:\n\n"
            + "\n".join(f"- {md_text(n)}" for n in notes)
        )
    else:
        st.success("Alle bronbestanden zijn bij het inlezen gecontroleerd en in orde.")
    st.markdown("#### Licenties en naamsvermelding")
    st.markdown(LICENCES)
    st.markdown(f"**Regiodefinities:** {md_text(atlas.definitions.source_path)}")
