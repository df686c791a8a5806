"""The council report's section "Hotspots, blootstelling en maatregelen": plain, frozen values.

For the report's region: the hotspots of the map layer above its highest threshold (how many,
how large, the largest, whether a granted measure reaches them and with how much Rijk money),
and per object layer the exposed objects. Computed by :mod:`adaptatie.exposure.overview`, the
same numbers as the Hotspots page and the Cofinanciering page; :mod:`adaptatie.report.pdf` only
lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass

from adaptatie import fmt
from adaptatie.exposure.overview import exposure_summaries, hotspot_view
from adaptatie.exposure.store import ObjectStore
from adaptatie.finance.ledger import Ledger
from adaptatie.finance.money import format_euros
from adaptatie.regions.models import Region
from adaptatie.stresstest.results import ResultsStore
from adaptatie.stresstest.themes import LayerRecord
from adaptatie.workspace import Workspace

TOP = 5


@dataclass(frozen=True)
class ExposureSection:
    sentences: tuple[str, ...]
    hotspots: tuple[tuple[str, ...], ...]  # header row first; empty when there are none
    objects: tuple[tuple[str, ...], ...]  # header row first; empty without object layers
    sources: tuple[str, ...]
    synthetic: bool


def exposure_section(
    workspace: Workspace, region: Region, ledger: Ledger | None, layer: LayerRecord | None
) -> ExposureSection | None:
    """The section for ``region`` from ``layer`` (the report's map layer); None without one."""
    if layer is None or not layer.thresholds:
        return None
    store = ResultsStore(workspace.atlas, workspace.catalogue, workspace.home)
    threshold = layer.thresholds[-1]
    measures = ledger.measures() if ledger is not None else []
    view = hotspot_view(store, layer, threshold, region.kind.value, region.year, measures)
    mine = view.ranked[view.ranked["region_code"] == region.id].merge(
        view.coverage.table, on="hotspot_id", how="left"
    )
    unit = layer.unit
    limit = f"meer dan {fmt.number(threshold, 2)} {unit}"
    sentences = []
    if mine.empty:
        sentences.append(f"{region.name} heeft geen hotspots ({limit}, {layer.title}).")
    else:
        reached = mine[mine["reached"]]
        area = fmt.number(mine["area_m2"].sum() / 10_000, 1)
        sentences.append(
            f"{region.name} heeft {len(mine)} hotspot(s) met {limit} ({layer.title}), samen "
            f"{area} ha. {len(reached)} daarvan bereikt een toegekende of gerealiseerde "
            f"maatregel (binnen {fmt.number(view.coverage.distance_m)} m)."
        )
        row = view.regions[view.regions["region_code"] == region.id]
        if len(row) and len(reached):
            money = int(row["rijksbijdrage_cents"].iloc[0])
            sentences.append(
                f"Rijksbijdrage van de maatregelen bij die hotspots: {format_euros(money)}."
            )
        if len(row) and row["grootste_niet_bereikt"].iloc[0]:
            sentences.append(
                "Grootste hotspots die geen maatregel bereikt: "
                f"{row['grootste_niet_bereikt'].iloc[0]}."
            )
    hotspots: tuple[tuple[str, ...], ...] = ()
    if not mine.empty:
        hotspots = (
            ("Hotspot", "Oppervlakte", f"Max. ({unit})", "Bereikt", "Rijksbijdrage"),
            *(
                (
                    r.hotspot_id,
                    f"{fmt.number(r.area_m2 / 10_000, 2)} ha",
                    fmt.number(r.max, 2),
                    "ja" if r.reached else "nee",
                    format_euros(int(r.rijk_cents)) if r.reached else "",
                )
                for r in mine.head(TOP).itertuples()
            ),
        )
    objects_store = ObjectStore(workspace.home)
    rows: list[tuple[str, ...]] = []
    sources = [view.provenance]
    synthetic = layer.synthetic
    for summary in exposure_summaries(store, objects_store, layer, region.kind.value, region.year):
        found = summary.table[summary.table["region_code"] == region.id]
        synthetic = synthetic or summary.objects.synthetic
        sources.append(summary.provenance)
        if found.empty:
            continue
        first = True
        for column in found.columns[2:]:
            line = plain_row(column, float(found[column].iloc[0]), layer.unit)
            if line is not None:
                rows.append((summary.objects.label if first else "", *line))
                first = False
    objects = (("Objectlaag", "Wat", "Aantal"), *rows) if rows else ()
    return ExposureSection(tuple(sentences), hotspots, objects, tuple(sources), synthetic)


_SUBJECTS = {
    "panden": "panden",
    "woningen": "woningen",
    "kwetsbaar": "panden met een kwetsbare functie (zorg, onderwijs, kinderopvang)",
    "inwoners": "inwoners",
}
_FACADE = {"panden", "woningen", "kwetsbaar"}


def plain_row(column: str, value: float, unit: str) -> tuple[str, str] | None:
    """A summary column as a council member reads it, or None for rows the report leaves out
    (counts per class, totals, and "no data" when it is zero).

    ``panden boven 0,15 m`` -> ("panden met meer dan 0,15 m water tegen de gevel", "12");
    ``weglengte onbegaanbaar >15 cm (m)`` -> ("weglengte onbegaanbaar (15-30 cm water)", "2.052 m");
    ``wegoppervlak onbegaanbaar >15 cm (m²)`` (BGT wegdelen) the same in m².
    """
    name, _, rest = column.partition(" ")
    if name in ("weglengte", "wegoppervlak"):  # NWB lines (m) or BGT wegdelen (m²)
        unit_text = "m" if name == "weglengte" else "m²"
        rest = rest.removesuffix(f" ({unit_text})")
        road = {
            "onbegaanbaar >15 cm": f"{name} onbegaanbaar (15-30 cm water)",
            "ook niet voor hulpdiensten >30 cm": f"{name} ook voor hulpdiensten "
            "onbegaanbaar (meer dan 30 cm water)",
            "geen gegevens": f"{name} zonder gegevens (buiten de stresstestlaag)",
        }.get(rest)
        if road is None or (rest == "geen gegevens" and value == 0):
            return None
        return road, f"{fmt.number(value)} {unit_text}"
    if name.startswith("objecten:"):
        subject = f"objecten '{name.removeprefix('objecten:')}'"
    else:
        subject = _SUBJECTS.get(name)
    if subject is None:
        return None
    if rest == "geen gegevens":
        if value == 0:
            return None
        return f"{subject} zonder gegevens (buiten de stresstestlaag)", fmt.number(value)
    if not rest.startswith("boven "):
        return None
    limit = rest.removeprefix("boven ")
    if unit == "m":
        where = " tegen de gevel" if name in _FACADE else ""
        return f"{subject} met meer dan {limit} water{where}", fmt.number(value)
    return f"{subject} met een waarde boven {limit}", fmt.number(value)
