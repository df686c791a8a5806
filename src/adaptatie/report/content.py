"""Gather everything the council report shows into plain, frozen values (no drawing here).

All texts are Dutch and already formatted in nl-NL; :mod:`adaptatie.report.pdf` only lays them
out. Nothing is invented: what the product does not store yet is reported as not recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from adaptatie import fmt
from adaptatie.dialogue.workshops import WorkshopBook
from adaptatie.finance.ledger import Ledger
from adaptatie.finance.money import format_euros
from adaptatie.finance.places import RegionMeasures, measures_in_region
from adaptatie.finance.totals import WerkregioTotals
from adaptatie.progress.book import ProgressBook
from adaptatie.regions.models import Region, RegionKind, RegionProfile
from adaptatie.regions.names import NameTable
from adaptatie.report.exposure_section import ExposureSection, exposure_section
from adaptatie.stresstest.results import ResultsStore
from adaptatie.stresstest.shares import LayerResult, layer_result
from adaptatie.stresstest.themes import LayerRecord
from adaptatie.workspace import Workspace

NOT_RECORDED = "Nog niet vastgelegd in het dashboard."
NO_LAYERS = "Er zijn geen stresstestlagen beschikbaar; er is geen risicotabel voor deze regio."
SYNTHETIC_BANNER = "SYNTHETISCHE GEGEVENS — geen meting, alleen voor demonstratie"
MAP_THEME = "wateroverlast"


@dataclass(frozen=True)
class FinanceSection:
    """Co-financing: key-value rows, a table of measures and plain remarks."""

    rows: tuple[tuple[str, str], ...]
    measures: tuple[tuple[str, ...], ...]  # header row first when not empty
    remarks: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ReportContent:
    region: Region
    profile: RegionProfile
    generated: dt.date
    facts: tuple[tuple[str, str], ...]
    members: tuple[tuple[str, str, str], ...]  # code, name, share
    waterschappen: tuple[tuple[str, str, str], ...]  # code, name, share
    notes: tuple[str, ...]
    map_layer: LayerRecord | None
    layers: tuple[LayerResult, ...]
    finance: FinanceSection
    sources: tuple[tuple[str, str], ...]  # label, text
    synthetic_sources: bool  # the source list names a synthetic layer
    progress: tuple[tuple[str, ...], ...] = ()  # header row first; empty when nothing recorded
    workshops: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()  # (title, table rows)
    exposure: ExposureSection | None = None  # issue 16: hotspots, exposed objects, measures

    @property
    def title(self) -> str:
        return f"{self.region.kind.label} {self.region.name}"


def iso_date(text: str) -> str:
    """A stored date as :func:`adaptatie.fmt.date_text` shows it; ``onbekend`` when empty."""
    return fmt.date_text(text) or "onbekend"


def pick_map_layer(layers: tuple[LayerRecord, ...]) -> LayerRecord | None:
    """The first wateroverlast layer, else the first layer, else ``None``."""
    for layer in layers:
        if layer.theme == MAP_THEME:
            return layer
    return layers[0] if layers else None


def gather(
    workspace: Workspace,
    region: Region,
    ledger: Ledger | None,
    generated: dt.date,
) -> ReportContent:
    atlas = workspace.atlas
    profile = atlas.profile(region)
    catalogue_layers = workspace.catalogue.layers()
    store = ResultsStore(atlas, workspace.catalogue, workspace.home)
    layers = tuple(layer_result(store, layer, region) for layer in catalogue_layers)
    finance = _finance(region, ledger, atlas.names())
    return ReportContent(
        region=region,
        profile=profile,
        generated=generated,
        facts=_facts(region, profile),
        members=tuple((m.code, m.name, fmt.percent(m.share, 0)) for m in region.members),
        waterschappen=tuple((w.code, w.name, fmt.percent(w.share)) for w in profile.waterschappen),
        notes=region.notes,
        map_layer=pick_map_layer(catalogue_layers),
        layers=layers,
        finance=finance,
        sources=_sources(workspace, region, profile, layers, finance, generated),
        synthetic_sources=any(r.layer.synthetic for r in layers),
        progress=_progress(region, ledger),
        workshops=_workshops(region, ledger),
        exposure=exposure_section(workspace, region, ledger, pick_map_layer(catalogue_layers)),
    )


def _workshops(
    region: Region, ledger: Ledger | None
) -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    """Outcomes of the risk dialogues held for this region (any boundary year)."""
    if ledger is None:
        return ()
    book = WorkshopBook(ledger.engine)
    out = []
    for workshop in book.all():
        if (workshop.region_kind, workshop.region_code) != (region.kind.value, region.id):
            continue
        rows: list[tuple[str, ...]] = [
            ("Thema", "Hotspot", "Acceptabel", "Prioriteit", "Acties", "Meekoppelkansen",
             "Trekkers")
        ]
        for o in book.outcomes(workshop.id):
            rows.append(
                (
                    o.theme,
                    o.hotspot or "-",
                    o.acceptable or "-",
                    o.priority or "-",
                    o.actions or "-",
                    o.meekoppelkansen or "-",
                    o.owners or "-",
                )
            )
        title = f"Risicodialoog {workshop.title}, grensjaar {workshop.boundary_year}"
        out.append((title, tuple(rows) if len(rows) > 1 else ()))
    return tuple(out)


def _progress(region: Region, ledger: Ledger | None) -> tuple[tuple[str, ...], ...]:
    """DPRA steps recorded for the region itself (a werkregio) and for its municipalities."""
    if ledger is None:
        return ()
    recorded = ProgressBook(ledger.engine).all()
    keys = [("werkregio", region.id, region.name)] if region.kind is RegionKind.WERKREGIO else []
    keys += [("gemeente", m.code, m.name) for m in region.members]
    rows = []
    for kind, code, name in keys:
        p = recorded.get((kind, code))
        if p is None:
            continue
        stress = (
            f"ronde {p.stress_test_round}, {p.stress_test_year}"
            if p.stress_test_year
            else (f"ronde {p.stress_test_round}" if p.stress_test_round else "-")
        )
        rows.append(
            (
                name,
                stress,
                fmt.date(p.risk_dialogue_date) if p.risk_dialogue_date else "-",
                fmt.date(p.strategy_date) if p.strategy_date else "-",
                fmt.date(p.agenda_date) if p.agenda_date else "-",
            )
        )
    if not rows:
        return ()
    header = ("Regio", "Stresstest", "Risicodialoog", "Strategie vastgesteld", "Uitvoeringsagenda")
    return (header, *rows)


def _facts(region: Region, profile: RegionProfile) -> tuple[tuple[str, str], ...]:
    population = profile.population
    if population.inhabitants is None:
        inhabitants = population.note or "onbekend"
    else:
        inhabitants = (
            f"{fmt.number(population.inhabitants)} (peiljaar {population.year}, "
            f"bron: {population.source})"
        )
        if population.note:
            inhabitants += f"; {population.note}"
    rows = [
        ("Naam", region.name),
        ("Soort", region.kind.label),
        ("Code", region.id),
        ("Grensjaar", str(region.year)),
    ]
    if region.definition_year is not None and region.definition_year != region.year:
        rows.append(("Gedefinieerd voor grensjaar", str(region.definition_year)))
    rows += [
        ("Aantal gemeenten", str(len(region.members))),
        ("Oppervlakte", fmt.area_km2(profile.area_km2)),
        ("Inwoners", inhabitants),
    ]
    return tuple(rows)


# --- stress test ---------------------------------------------------------------------------------


# --- co-financing --------------------------------------------------------------------------------


def _finance(region: Region, ledger: Ledger | None, names: NameTable) -> FinanceSection:
    if ledger is None:
        return FinanceSection(
            (),
            (),
            ("Er is geen maatregelenregister gekoppeld; cofinanciering niet opgenomen.",),
            (),
        )
    if region.kind is RegionKind.WERKREGIO:
        totals = [s for s in ledger.totals() if s.werkregio == region.id]
        if not totals:
            return FinanceSection(
                (), (), (f"Het maatregelenregister kent werkregio {region.id} niet.",), ()
            )
        return _werkregio_section(totals[0])
    found = measures_in_region(
        ledger.measures(), [m.code for m in region.members], region.year, names
    )
    remarks = _placing_remarks(found, region.year)
    measures = found.measures
    if not measures:
        return FinanceSection(
            (),
            (),
            (
                "Er zijn geen maatregelen geregistreerd voor de gemeenten van deze regio.",
                *remarks,
            ),
            ("Maatregelenregister van het dashboard",) if remarks else (),
        )
    header = ("Maatregel", "Gemeente", "Werkregio", "Status", "Rijksbijdrage")
    rows = tuple(
        (
            f"{m.id} {m.name}",
            gemeente,
            m.werkregio,
            m.status.value,
            format_euros(m.rijk_contribution_cents),
        )
        for m, gemeente in (*found.inside, *found.partly)
    )
    total = sum(m.rijk_contribution_cents or 0 for m in measures)
    count = (
        f"{len(measures)} maatregel(en) in de gemeenten van deze regio; samen "
        f"{format_euros(total)} rijksbijdrage (alle statussen, onbekende bedragen als 0)."
    )
    return FinanceSection(
        (), (header, *rows), (count, *remarks), ("Maatregelenregister van het dashboard",)
    )


def _placing_remarks(found: RegionMeasures, year: int) -> tuple[str, ...]:
    """Say which measures are counted although only partly here, and which cannot be placed."""
    out = [
        f"Maatregel {m.id} ligt in {gemeente}, dat in {year} maar voor een deel bij deze regio "
        "hoort; hij is meegeteld."
        for m, gemeente in found.partly
    ]
    if found.unplaced:
        n = len(found.unplaced)
        listing = "; ".join(
            f"{m.id} {m.name} (gemeente '{m.gemeente}': {why.split(' Oplossing:')[0]})"
            for m, why in found.unplaced
        )
        out.append(
            f"{n} {'maatregel kon' if n == 1 else 'maatregelen konden'} niet aan een gemeente "
            f"worden gekoppeld en {'is' if n == 1 else 'zijn'} hier niet meegeteld: {listing}. "
            "Oplossing: corrigeer de gemeente op de pagina Cofinanciering."
        )
    if found.without_gemeente:
        n = len(found.without_gemeente)
        listing = ", ".join(m.id for m in found.without_gemeente)
        out.append(
            f"{n} {'maatregel heeft' if n == 1 else 'maatregelen hebben'} geen gemeente en "
            f"{'telt' if n == 1 else 'tellen'} alleen mee bij de werkregio: {listing}."
        )
    return tuple(out)


def _werkregio_section(s: WerkregioTotals) -> FinanceSection:
    allocation = format_euros(s.allocation_cents)
    rows = (
        ("Toewijzing (maximale rijksbijdrage)", f"{allocation} ({s.allocation_basis})"),
        ("Bron toewijzing", f"{s.allocation_source or 'onbekend'}, {iso_date(s.allocation_date)}"),
        ("Gepland (rijksbijdrage)", format_euros(s.planned_rijk_cents)),
        ("Aangevraagd", format_euros(s.requested_rijk_cents)),
        ("Toegekend", format_euros(s.granted_rijk_cents)),
        ("Gerealiseerd", format_euros(s.realised_rijk_cents)),
        ("Resterend", format_euros(s.remaining_rijk_cents)),
        ("Aantal maatregelen", f"{s.n_measures} (vervallen: {s.n_vervallen})"),
        ("Regelovertredingen", str(len(s.violations))),
    )
    remarks = [s.allocation_note] if s.allocation_note else []
    remarks += [f"Overtreding: {v}" for v in s.violations]
    if s.n_measures == 0:
        remarks.append("Er zijn (nog) geen maatregelen geregistreerd voor deze werkregio.")
    source = f"Toewijzing {s.werkregio}: {s.allocation_source or 'onbekend'}"
    if s.allocation_date:
        source += f" ({iso_date(s.allocation_date)})"
    return FinanceSection(rows, (), tuple(remarks), (source,))


# --- sources -------------------------------------------------------------------------------------


def _sources(
    workspace: Workspace,
    region: Region,
    profile: RegionProfile,
    layers: tuple[LayerResult, ...],
    finance: FinanceSection,
    generated: dt.date,
) -> tuple[tuple[str, str], ...]:
    atlas = workspace.atlas
    population = profile.population
    out = [
        (
            "Grenzen",
            f"{profile.boundary_source} (grensjaar {region.year}); CBS/Kadaster, CC-BY 4.0",
        ),
        ("Waterschappen", f"{atlas.source.waterschappen().source}; Het Waterschapshuis via PDOK"),
    ]
    if region.source:
        out.append(("Regio-indeling", region.source))
    if population.inhabitants is not None:
        out.append(("Inwoners", f"{population.source}, peiljaar {population.year}"))
    for result in layers:
        layer = result.layer
        text = (
            f"{layer.source}; datum gegevens {iso_date(layer.date)}; licentie "
            f"{layer.licence or 'onbekend'}"
        )
        if result.method:
            text += f"; methode: {result.method}; berekend op {iso_date(result.computed_at)}"
        if layer.synthetic:
            text += "; SYNTHETISCH"
        out.append((f"Laag {layer.title}", text))
    out += [("Cofinanciering", s) for s in finance.sources]
    out.append(("Rapport gemaakt op", fmt.date(generated)))
    return tuple(out)
