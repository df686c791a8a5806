"""The accessibility statement ("Toegankelijkheid"), in the structure of the Dutch model
statement (digitoegankelijk.nl): status, scope, what was checked, known limitations, contact.

The contact address comes from ``ADAPTATIE_TOEGANKELIJKHEID_CONTACT`` (the organisation that
runs the installation fills it in); without it the statement says to ask the beheerder.
"""

from __future__ import annotations

import datetime as dt
import os

import streamlit as st

from adaptatie import fmt
from adaptatie.ui.safe import md_text

CONTACT_ENV = "ADAPTATIE_TOEGANKELIJKHEID_CONTACT"
STATEMENT_DATE = dt.date(2026, 12, 1)
STATUS = "C — eerste maatregelen genomen"

CHECKED = (
    "Automatisch: axe-core (regels voor WCAG 2.1 A en AA) op elke pagina, in de gewone weergave "
    "en met grote letters; de tests falen bij elke ernstige of kritieke overtreding.",
    "Met de hand: de tabvolgorde op elke pagina (zijbalk, keuzes, kaart, tekstalternatief, "
    "formulieren), de zichtbare focus, en vergroten tot 200 % zonder dat tekst wegvalt.",
    "De raadsrapportage (PDF) is een getagde PDF (PDF/UA-1) met documenttaal, titel, koppen, "
    "echte tabellen en een alternatieve tekst bij elke figuur; dat wordt bij elke build getest.",
)

LIMITATIONS = (
    (
        "Kaarten (Leaflet)",
        "Een kaart zelf is niet volledig met het toetsenbord of een schermlezer te gebruiken "
        "(vlakken aanklikken, tooltips). Daarom staat naast elke kaart een tekstalternatief: "
        "een sorteerbare tabel en de kerncijfers in gewone zinnen, en kiest u elke regio ook in "
        "de regiokeuze (lijsten, met het toetsenbord te bedienen). Leaflet maakt de knoppen en "
        "gebieden van de kaart tot tabstops; op de Regionale waterkaart ligt de regiokeuze daarom "
        "pas na ongeveer 85 keer Tab.",
    ),
    (
        "Streamlit-onderdelen",
        "Sommige onderdelen van het gebruikte raamwerk (Streamlit) geven een schermlezer "
        "beperkte informatie, zoals de tabelweergave (een canvas: gebruik de downloadknop voor "
        "CSV) en meldingen die niet altijd worden voorgelezen. Dit ligt buiten deze software; "
        "we volgen de verbeteringen van Streamlit.",
    ),
    (
        "Grafieken",
        "Grafieken (aandelen per klasse, geld per werkregio) staan ook als tabel op de pagina.",
    ),
    (
        "Achtergrondkaart",
        "De optionele achtergrondkaart van PDOK is een afbeelding zonder tekst; alle informatie "
        "staat ook in de lagen, de legenda en de tabellen.",
    ),
)


def render() -> None:
    contact = os.environ.get(CONTACT_ENV, "").strip()
    st.markdown(
        "Wij willen dat iedereen dit dashboard kan gebruiken: met muis, toetsenbord of "
        "schermlezer, en ook bij een vergroting tot 200 %. Overheden moeten voldoen aan de "
        "toegankelijkheidseisen (WCAG 2.1 niveau AA, EN 301 549), en dit dashboard is daarop "
        "gebouwd en getest."
    )
    st.subheader("Status")
    st.markdown(
        f"**{STATUS}.** Deze verklaring is opgesteld op {fmt.date(STATEMENT_DATE)} door de "
        "makers van het dashboard, op basis van eigen onderzoek (zie hieronder). Er is nog "
        "geen onderzoek door een onafhankelijke, gespecialiseerde partij gedaan; daarna kan de "
        "status worden bijgewerkt."
    )
    st.subheader("Wat is onderzocht")
    st.markdown("\n".join(f"- {line}" for line in CHECKED))
    st.subheader("Bekende beperkingen")
    for title, text in LIMITATIONS:
        st.markdown(f"**{title}.** {text}")
    st.subheader("Een probleem melden")
    where = (
        md_text(contact)
        if contact
        else "de beheerder van deze installatie (de organisatie die het dashboard aanbiedt)"
    )
    st.markdown(
        f"Kunt u iets niet gebruiken of lezen? Meld het bij {where}. Noem de pagina, wat u "
        "probeerde en welk hulpmiddel u gebruikt (bijv. schermlezer, vergroting). U krijgt "
        "binnen 5 werkdagen antwoord en uiterlijk binnen 3 weken een oplossing of een "
        "alternatief, bijvoorbeeld de gegevens als tabel of document."
    )
    st.subheader("Handhaving")
    st.markdown(
        "Bent u niet tevreden met de afhandeling? Dan kunt u contact opnemen met de Nationale "
        "ombudsman (voor gemeenten en waterschappen eventueel hun eigen ombudsman)."
    )
