"""Length and size bounds of a measure, the same on every database backend.

PostgreSQL refuses a text longer than its column and an integer beyond 64 bits; SQLite stores the
first and overflows on the second. Checking here, in the domain, gives one Dutch answer on both.
The lengths are those of :mod:`adaptatie.db.orm`.
"""

from __future__ import annotations

from collections.abc import Iterator

from adaptatie import fmt
from adaptatie.finance.records import Measure

#: Column -> (attribute of Measure, maximum characters, Dutch label).
TEXT_LENGTHS: dict[str, tuple[str, int, str]] = {
    "naam": ("name", 300, "de naam"),
    "gemeente": ("gemeente", 200, "de gemeente of partner"),
    "kassier": ("kassier", 200, "de kassier"),
    "omschrijving": ("description", 10_000, "de omschrijving"),
    "locatie_wkt": ("location_wkt", 1_000_000, "de locatie (WKT)"),
}
#: The largest amount accepted for one measure: ten billion euros, in cents. Far above any
#: Impulsregeling measure, far below the 64-bit limit of the money columns.
MAX_AMOUNT_CENTS = 10_000_000_000 * 100
_AMOUNTS = {
    "totale_kosten": "total_cost_cents",
    "subsidiabele_kosten": "eligible_cost_cents",
    "rijksbijdrage": "rijk_contribution_cents",
}


def bound_problems(m: Measure) -> Iterator[tuple[str, str, str, str]]:
    """(code, column, problem, fix) for every text that is too long and amount that is too big."""
    for column, (attribute, limit, label) in TEXT_LENGTHS.items():
        value = getattr(m, attribute) or ""
        if len(value) > limit:
            yield (
                "TEKST_TE_LANG",
                column,
                f"{label} is {fmt.number(len(value))} tekens lang; ten hoogste "
                f"{fmt.number(limit)} tekens passen.",
                f"kort {label} in tot {fmt.number(limit)} tekens; een lange toelichting kan in "
                "de omschrijving.",
            )
    for column, attribute in _AMOUNTS.items():
        cents = getattr(m, attribute)
        if cents is not None and cents > MAX_AMOUNT_CENTS:
            yield (
                "BEDRAG_TE_GROOT",
                column,
                f"{column} is {fmt.euro(cents / 100)}; meer dan "
                f"{fmt.euro(MAX_AMOUNT_CENTS / 100)} is voor één maatregel niet aannemelijk.",
                "controleer het bedrag (eenheid euro, geen centen; geen wetenschappelijke "
                "notatie zoals 1e20).",
            )
