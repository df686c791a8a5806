"""The rules of the Impulsregeling klimaatadaptatie, as pure functions over plain records.

Checked on every save and every import (:mod:`adaptatie.finance.ledger`). Each rule has a stable
code. A *hard* violation blocks the save or the whole import; a *soft* one is a warning that is
shown but does not block. Facts: Tijdelijke impulsregeling klimaatadaptatie (Stcrt. 2020, 53322).

"Impulsregeling-relevant" below means: the status is an application status (aangevraagd,
toegekend, in uitvoering, gerealiseerd) or the measure claims a Rijk contribution above zero.
Measures with status ``vervallen`` are only checked for well-formed data (codes marked *all*).

Rules (code, hard/soft, what):

* ``ID_ONGELDIG`` hard (all): id is 1-40 letters, digits or ``. _ - /``, starting with a letter
  or digit.
* ``ID_BESTAAT_AL`` hard: a new measure (add, import) must not reuse a stored id.
* ``ID_DUBBEL`` hard: one import must not contain an id twice.
* ``NAAM_ONTBREEKT`` hard (all): a name is required.
* ``WERKREGIO_ONBEKEND`` hard (all): the werkregio is one of the ledger's werkregio ids.
* ``THEMA_ONTBREEKT`` hard (all): at least one theme.
* ``RONDE_ONGELDIG`` hard (all): the round is empty or 2021, 2022, 2023.
* ``LOCATIE_ONGELDIG`` hard (all): the location is a valid WKT point or polygon in RD New metres.
* ``BEDRAG_NEGATIEF`` hard (all): amounts are not negative.
* ``SUBSIDIABEL_GT_TOTAAL`` hard (all): eligible cost <= total cost.
* ``EENDERDE`` hard: Rijk contribution <= 1/3 of the eligible realisation cost, exact in cents:
  ``3 * rijk <= eligible`` (exactly 1/3 passes, one cent over fails).
* ``KOSTEN_ONTBREKEN`` hard for application statuses (an application names all three amounts),
  soft for status ``idee``.
* ``ALLEEN_HITTE`` hard when relevant, else soft: heat-only measures are not eligible.
* ``GEREED_TE_LAAT`` hard when relevant, else soft: planned completion before 2028-01-01
  (2027-12-31 passes, 2028-01-01 fails).
* ``GEREED_ONTBREEKT`` soft: application statuses should have a planned completion date.
* ``KASSIER_ONGELDIG`` hard when relevant, else soft: the kassier is a municipality or province
  ("Gemeente X", "Provincie X", GM0000, PV00); water boards, drinking-water companies and
  cooperations are refused.
* ``GEMEENTE_ONBEKEND``, ``GEMEENTE_ONDUIDELIJK``, ``KASSIER_ONDUIDELIJK`` hard (all): the
  gemeente is a CBS municipality, and gemeente and kassier are unambiguous. These need the CBS
  names and are checked by :mod:`adaptatie.finance.places` (which also stores the canonical
  names) before these rules run; it reports ``KASSIER_ONGELDIG`` for ``Gemeente X`` with an
  unknown X as well.
* ``KASSIER_ONTBREEKT`` soft: application statuses should name the kassier.
* ``RONDE_ONTBREEKT`` soft: application statuses should name their round.
* ``RONDE_KASSIERS`` soft: the applied measures of one werkregio and round name one kassier.
* ``TOEWIJZING_OVERSCHREDEN`` hard: per werkregio the Rijk contributions of all measures that are
  not ``vervallen`` (ideas included) add up to at most the allocation (exactly equal passes).
  A *claimed* amount (basis ``geclaimd``) is used as the cap as well.
* ``TOEWIJZING_ONBEKEND`` soft: the werkregio has no known maximum, so its sum is not checked.

How "at most one application per year, 2021-2023" maps onto measures: a werkregio submits one
application per year, so the ``round`` of a measure names the application (werkregio, year) it
belongs to. A round outside 2021-2023 cannot exist and is refused (RONDE_ONGELDIG); an applied
measure without a round is a warning (RONDE_ONTBREEKT); and since one application has one
applicant/kassier, different kassiers within one werkregio and round are a warning
(RONDE_KASSIERS: the data may write the same municipality as a name and as a code).

On a save (:func:`evaluate_change`) a hard violation blocks when it belongs to a changed measure,
or when it is the allocation of a werkregio whose sum the change *increases* beyond the allocation.
So a change that lowers an over-used werkregio (after an allocation was corrected downwards) is
allowed; other measures' old problems never block an unrelated save. Everything else relevant to
the change comes back as warnings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from adaptatie import fmt
from adaptatie.finance.bounds import bound_problems
from adaptatie.finance.location import location_problem
from adaptatie.finance.money import format_cents
from adaptatie.finance.records import (
    APPLIED,
    COMPLETION_DEADLINE,
    ROUNDS,
    Allocation,
    ClimateTheme,
    Measure,
    Status,
)


class Severity(StrEnum):
    HARD = "fout"
    SOFT = "waarschuwing"


#: Rule code -> short Dutch description (for a legend in the UI).
RULES: dict[str, str] = {
    "ID_ONGELDIG": "De id is 1 tot 40 letters, cijfers of . _ - /.",
    "ID_BESTAAT_AL": "Een nieuwe maatregel heeft een id die nog niet bestaat.",
    "ID_DUBBEL": "Elke id komt één keer voor.",
    "NAAM_ONTBREEKT": "Elke maatregel heeft een naam.",
    "WERKREGIO_ONBEKEND": "De werkregio is een bekende DPRA-werkregio.",
    "THEMA_ONTBREEKT": "Minstens één thema.",
    "RONDE_ONGELDIG": "De aanvraagronde is 2021, 2022 of 2023.",
    "LOCATIE_ONGELDIG": "De locatie is een geldig punt of vlak in RD New (EPSG:28992).",
    "BEDRAG_NEGATIEF": "Bedragen zijn niet negatief.",
    "SUBSIDIABEL_GT_TOTAAL": "Subsidiabele kosten zijn niet hoger dan de totale kosten.",
    "EENDERDE": "De rijksbijdrage is hoogstens 1/3 van de subsidiabele realisatiekosten.",
    "KOSTEN_ONTBREKEN": "Aangevraagde maatregelen hebben alle bedragen ingevuld.",
    "ALLEEN_HITTE": "Maatregelen alleen tegen hitte komen niet in aanmerking.",
    "GEREED_TE_LAAT": "De maatregel is gerealiseerd vóór 01-01-2028.",
    "GEREED_ONTBREEKT": "Aangevraagde maatregelen hebben een geplande gereed-datum.",
    "KASSIER_ONGELDIG": "De kassier is een gemeente of provincie.",
    "GEMEENTE_ONBEKEND": "De gemeente is een gemeente van CBS (naam, code of andere bekende naam).",
    "GEMEENTE_ONDUIDELIJK": "De gemeente is eenduidig (bijv. 'Bergen (L.)', niet 'Bergen').",
    "KASSIER_ONDUIDELIJK": "De kassier is eenduidig ('Gemeente Groningen', niet 'Groningen').",
    "KASSIER_ONTBREEKT": "Aangevraagde maatregelen noemen de kassier.",
    "RONDE_ONTBREEKT": "Aangevraagde maatregelen noemen hun aanvraagronde.",
    "RONDE_KASSIERS": "Eén aanvraag per werkregio per jaar, dus één kassier per ronde.",
    "TOEWIJZING_OVERSCHREDEN": "De rijksbijdragen per werkregio blijven binnen het maximum.",
    "TOEWIJZING_ONBEKEND": "Het maximum van de werkregio is bekend.",
}

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,39}")
_KASSIER_OK = re.compile(r"(?:gemeente|provincie)\s+\S.*|GM\d{4}|PV\d{2}", re.IGNORECASE)
_WATER_BOARD = re.compile(r"waterschap|hoogheemraadschap|wetterskip|\bWS\d{2,4}\b", re.IGNORECASE)
_DRINKING_WATER = re.compile(
    r"vitens|\bwmd\b|waterleiding|waterbedrijf|drinkwater|evides|dunea|brabant water|\bpwn\b"
    r"|oasen|\bwml\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Violation:
    """One broken rule. ``field`` is the Dutch column name it concerns (as in import files)."""

    code: str
    severity: Severity
    message: str
    measure_id: str | None = None
    werkregio: str | None = None
    field: str | None = None

    @property
    def hard(self) -> bool:
        return self.severity is Severity.HARD

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Verdict:
    """Outcome of checking a change: ``blocking`` hard violations and the other ``warnings``."""

    blocking: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.blocking


def is_relevant(measure: Measure) -> bool:
    """Part of an application, or claiming Rijk money."""
    return measure.status in APPLIED or (measure.rijk_contribution_cents or 0) > 0


def max_rijk_cents(eligible_cents: int) -> int:
    """The largest Rijk contribution allowed for an eligible cost: floor(eligible / 3)."""
    return eligible_cents // 3


def kassier_problem(kassier: str) -> str | None:
    """Why ``kassier`` cannot be the applicant/cashier, or ``None`` when it can."""
    text = " ".join(kassier.split())
    if _KASSIER_OK.fullmatch(text):
        return None
    if _WATER_BOARD.search(text):
        return f"'{text}' is een waterschap; een waterschap kan geen kassier zijn."
    if _DRINKING_WATER.search(text):
        return f"'{text}' is een drinkwaterbedrijf; dat kan geen kassier zijn."
    return f"'{text}' is niet herkend als gemeente of provincie."


def check_measure(
    measure: Measure, allocations: Mapping[str, Allocation] | None = None
) -> list[Violation]:
    """All rules that concern one measure on its own (see the module docstring)."""
    out: list[Violation] = []
    m = measure

    def add(code: str, hard: bool, column: str | None, problem: str, fix: str) -> None:
        out.append(measure_violation(code, m, hard, column, f"{problem} Oplossing: {fix}"))

    if not ID_PATTERN.fullmatch(m.id):
        add(
            "ID_ONGELDIG",
            True,
            "id",
            f"de id '{m.id}' is ongeldig.",
            "gebruik 1 tot 40 letters, cijfers of . _ - /, bijv. FLU-001.",
        )
    if not m.name.strip():
        add("NAAM_ONTBREEKT", True, "naam", "de naam ontbreekt.", "geef de maatregel een naam.")
    if allocations is not None and m.werkregio not in allocations:
        known = ", ".join(f"{a.werkregio} ({a.name})" for a in allocations.values())
        add(
            "WERKREGIO_ONBEKEND",
            True,
            "werkregio",
            f"werkregio '{m.werkregio}' is onbekend.",
            f"kies een van: {known}.",
        )
    if not m.themes:
        add(
            "THEMA_ONTBREEKT",
            True,
            "thema",
            "er is geen thema gekozen.",
            "kies een of meer van: wateroverlast, droogte, overstroming, hitte.",
        )
    if m.round is not None and m.round not in ROUNDS:
        add(
            "RONDE_ONGELDIG",
            True,
            "ronde",
            f"aanvraagronde {m.round} bestaat niet.",
            "kies 2021, 2022 of 2023 (aanvragen konden van 2021 tot en met 2023, één per jaar), "
            "of laat de ronde leeg als er nog niet is aangevraagd.",
        )
    if m.location_wkt:
        problem = location_problem(m.location_wkt)
        if problem:
            add(
                "LOCATIE_ONGELDIG",
                True,
                "locatie_wkt",
                problem,
                "geef een punt of vlak in RD New (EPSG:28992, meters), bijv. "
                "POINT (233000 562000), of laat de locatie leeg.",
            )
    amounts = {
        "totale_kosten": m.total_cost_cents,
        "subsidiabele_kosten": m.eligible_cost_cents,
        "rijksbijdrage": m.rijk_contribution_cents,
    }
    for column, cents in amounts.items():
        if cents is not None and cents < 0:
            add(
                "BEDRAG_NEGATIEF",
                True,
                column,
                f"{column} is negatief ({format_cents(cents)}).",
                "vul een bedrag van nul of meer in.",
            )
    for code, column, problem, fix in bound_problems(m):
        add(code, True, column, problem, fix)
    total, eligible, rijk = m.total_cost_cents, m.eligible_cost_cents, m.rijk_contribution_cents
    if total is not None and eligible is not None and eligible > total:
        add(
            "SUBSIDIABEL_GT_TOTAAL",
            True,
            "subsidiabele_kosten",
            f"de subsidiabele kosten ({format_cents(eligible)}) zijn hoger dan de totale kosten "
            f"({format_cents(total)}).",
            "subsidiabele kosten zijn een deel van de totale kosten; corrigeer een van beide.",
        )
    if m.status is Status.VERVALLEN:
        return out

    relevant = is_relevant(m)
    if rijk is not None and eligible is not None and 3 * rijk > eligible:
        limit = max_rijk_cents(eligible)
        add(
            "EENDERDE",
            True,
            "rijksbijdrage",
            f"de rijksbijdrage ({format_cents(rijk)}) is meer dan 1/3 van de subsidiabele "
            f"realisatiekosten ({format_cents(eligible)}); het maximum is {format_cents(limit)}, "
            f"dat is {format_cents(rijk - limit)} te veel.",
            f"verlaag de rijksbijdrage tot hoogstens {format_cents(limit)} of corrigeer de "
            "subsidiabele kosten (de regio betaalt minstens 2/3).",
        )
    missing = [column for column, cents in amounts.items() if cents is None]
    if missing:
        applied = m.status in APPLIED
        add(
            "KOSTEN_ONTBREKEN",
            applied,
            missing[0],
            f"{' en '.join(missing)} ontbreekt/ontbreken (status {m.status.value}).",
            "vul de bedragen in"
            + (
                " voordat de maatregel wordt aangevraagd."
                if not applied
                else "; een aanvraag noemt alle bedragen."
            ),
        )
    if m.themes == {ClimateTheme.HITTE}:
        add(
            "ALLEEN_HITTE",
            relevant,
            "thema",
            "de maatregel heeft alleen het thema hitte; maatregelen tegen hittestress komen niet "
            "in aanmerking voor de Impulsregeling.",
            "vraag geen rijksbijdrage aan voor deze maatregel (rijksbijdrage 0 en status idee), "
            "of voeg het thema toe waartegen hij ook werkt (wateroverlast, droogte, overstroming).",
        )
    if m.completion_date is not None and m.completion_date >= COMPLETION_DEADLINE:
        add(
            "GEREED_TE_LAAT",
            relevant,
            "gereed_datum",
            f"de geplande gereed-datum {fmt.date(m.completion_date)} ligt niet vóór "
            f"{fmt.date(COMPLETION_DEADLINE)}.",
            "maatregelen moeten uiterlijk 31-12-2027 gerealiseerd zijn; plan eerder of vraag "
            "geen rijksbijdrage aan.",
        )
    if m.status in APPLIED and m.completion_date is None:
        add(
            "GEREED_ONTBREEKT",
            False,
            "gereed_datum",
            "de geplande gereed-datum ontbreekt.",
            "vul de datum in (uiterlijk 31-12-2027).",
        )
    if m.kassier.strip():
        problem = kassier_problem(m.kassier)
        if problem:
            add(
                "KASSIER_ONGELDIG",
                relevant,
                "kassier",
                problem,
                "de kassier is een gemeente of provincie: schrijf bijv. 'Gemeente Emmen', "
                "'Provincie Drenthe', GM0114 of PV22.",
            )
    elif m.status in APPLIED:
        add(
            "KASSIER_ONTBREEKT",
            False,
            "kassier",
            "de kassier ontbreekt.",
            "vul de gemeente of provincie in die de aanvraag indient en de bijdrage ontvangt.",
        )
    if m.status in APPLIED and m.round is None:
        add(
            "RONDE_ONTBREEKT",
            False,
            "ronde",
            "de aanvraagronde ontbreekt.",
            "vul het jaar van de aanvraag in: 2021, 2022 of 2023.",
        )
    return out


def who(m: Measure) -> str:
    name = " ".join(m.name.split())
    if len(name) > 60:
        name = name[:57] + "..."
    return f"Maatregel {m.id} ({name})" if name else f"Maatregel {m.id}"


def measure_violation(
    code: str, m: Measure, hard: bool, column: str | None, text: str
) -> Violation:
    """A broken rule of measure ``m``: the message names the measure and the code, then ``text``."""
    severity = Severity.HARD if hard else Severity.SOFT
    message = f"{who(m)} [{code}]: {text}"
    return Violation(code, severity, message, measure_id=m.id, werkregio=m.werkregio, field=column)


__all__ = [
    "RULES",
    "Severity",
    "Verdict",
    "Violation",
    "check_measure",
    "is_relevant",
    "kassier_problem",
    "location_problem",
    "max_rijk_cents",
    "measure_violation",
    "who",
]
