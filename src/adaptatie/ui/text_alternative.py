"""The text alternative next to every map: key numbers in plain Dutch and a sortable table.

A map is not usable without sight or a mouse; WCAG 2.1 (1.1.1, 2.1.1) asks for the same
information in text. Each map page calls :func:`text_alternative` right below its map, so the
sentences and the table follow the map in the keyboard and reading order. The sentence builders
are pure functions (tested without Streamlit).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from adaptatie import fmt
from adaptatie.ui.safe import md_text

HEADING = "Tekstalternatief bij de kaart"


def text_alternative(sentences: Sequence[str], table: pd.DataFrame | None = None) -> None:
    """A small heading, the sentences as a list and (optionally) a sortable table."""
    st.markdown(f"##### {HEADING}")
    st.markdown("\n".join(f"- {md_text(s)}" for s in sentences))
    if table is not None and not table.empty:
        st.dataframe(table, hide_index=True)
        st.caption("Klik op een kolomkop (of ga er met Tab heen en druk Enter) om te sorteren.")


def waterkaart_sentences(
    year: int, municipalities: int, provinces: int, layer_title: str | None
) -> list[str]:
    """What the regional water map shows, in words."""
    out = [
        f"De kaart toont de {municipalities} gemeenten van grensjaar {year} en de {provinces} "
        "provincies; clusters, samenwerkingsverbanden, DPRA-werkregio's en waterschappen zet u "
        "aan met de lagenknop op de kaart.",
        "Elke regio kiest u ook met het toetsenbord in de regiokeuze naast de kaart (eerst de "
        "soort, dan de regio); het regiopaneel toont dan dezelfde gegevens als een klik op de "
        "kaart.",
    ]
    if layer_title:
        out.append(
            f"Over de kaart ligt de stresstestlaag {layer_title}; de cijfers per regio staan op "
            "de pagina Stresstest per regio."
        )
    return out


def progress_sentences(steps_per_municipality: Sequence[int], year: int) -> list[str]:
    """How many municipalities have taken 0..4 DPRA steps."""
    total = len(steps_per_municipality)
    counts = Counter(steps_per_municipality)
    parts = [f"{counts.get(n, 0)} met {n} van 4" for n in range(4, -1, -1)]
    return [
        f"Van de {total} gemeenten (indeling {year}): " + ", ".join(parts) + " stappen gezet.",
        "De tabel bovenaan de pagina geeft per gemeente en werkregio de stappen en data.",
    ]


def measures_sentences(located: int, total: int, by_status: dict[str, int]) -> list[str]:
    """How many measures the map shows, by status."""
    statuses = ", ".join(f"{count} {status}" for status, count in by_status.items() if count)
    out = [f"De kaart toont {located} van de {total} maatregelen (die met een locatie)."]
    if statuses:
        out.append(f"Naar status: {statuses}.")
    return out


def share_text(value: float) -> str:
    return f"{fmt.number(value, 1)} %"
