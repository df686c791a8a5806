"""Command line: ``adaptatie exposure``, what of the stored object layers a stress-test layer hits,
per region: the figures of the page *Hotspots en blootstelling* (tab Blootgestelde objecten),
from the same :func:`adaptatie.exposure.overview.exposure_summaries`. Loaded only when called.

Text output uses Dutch number formats; CSV is long (one row per object layer, region and
figure) so that layers of different kinds fit one file; JSON keeps the unrounded values. Every
format carries the object source, its date, the method and the SYNTHETISCH label.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import click

from adaptatie import fmt
from adaptatie.cli import CliContext, pass_ctx
from adaptatie.cli_support import DutchCommand, output_option, year_option
from adaptatie.errors import InputError
from adaptatie.regions.models import REGION_SETS

if TYPE_CHECKING:
    from adaptatie.exposure.summaries import ExposureSummary


@click.command(cls=DutchCommand)
@click.option("--layer", "layer_id", required=True, help="Id van de stresstestlaag.")
@click.option(
    "--set",
    "region_set",
    type=click.Choice(list(REGION_SETS)),
    default="gemeente",
    show_default=True,
    help=f"Regioset: {', '.join(REGION_SETS)}.",
)
@year_option()
@click.option(
    "--objects",
    "object_ids",
    multiple=True,
    metavar="ID",
    help="Alleen deze objectlaag (meer keren te geven; standaard: alle).",
)
@click.option("--region", default=None, help="Alleen deze regio (code of naam).")
@output_option("tekst", "csv", "json")
@pass_ctx
def exposure(
    obj: CliContext,
    layer_id: str,
    region_set: str,
    year: int | None,
    object_ids: tuple[str, ...],
    region: str | None,
    output: str,
) -> None:
    """Blootgestelde objecten per regio: panden per klasse aan de gevel, woningen, kwetsbare
    functies, weglengte (NWB) of wegoppervlak (BGT) per begaanbaarheid, vitale objecten en
    inwoners."""
    from adaptatie.exposure.overview import exposure_summaries
    from adaptatie.exposure.store import ObjectStore
    from adaptatie.stresstest.results import ResultsStore

    ws = obj.workspace
    layer = ws.catalogue.get(layer_id)
    chosen_year = obj.year(year)
    objects = ObjectStore(ws.home)
    records = [objects.get(i) for i in dict.fromkeys(object_ids)] or list(objects.records())
    if not records:
        raise InputError(
            "Er zijn nog geen objectlagen. Oplossing: voeg er een toe met 'adaptatie objects "
            "add' of maak de synthetische demo met 'adaptatie objects demo'."
        )
    store = ResultsStore(obj.atlas, ws.catalogue, ws.home)
    summaries = exposure_summaries(store, objects, layer, region_set, chosen_year, records)
    if region is not None:
        summaries = [_only(s, _region_code(summaries, region, region_set)) for s in summaries]
    if output == "json":
        click.echo(json.dumps(_json(summaries), ensure_ascii=False, indent=2))
    elif output == "csv":
        click.echo(_csv(summaries), nl=False)
    else:
        _text(summaries)


def _region_code(summaries: Sequence[ExposureSummary], wanted: str, region_set: str) -> str:
    table = summaries[0].table
    pairs = list(zip(table["region_code"], table["region_name"], strict=True))
    for code, name in pairs:
        if wanted.strip().lower() in (str(code).lower(), str(name).lower()):
            return str(code)
    known = ", ".join(f"{name} ({code})" for code, name in pairs)
    raise InputError(
        f"--region: '{wanted}' is geen regio van de set {REGION_SETS[region_set]}. Oplossing: "
        f"kies een van: {known}."
    )


def _only(summary: ExposureSummary, code: str) -> ExposureSummary:
    table = summary.table[summary.table["region_code"] == code].reset_index(drop=True)
    return replace(summary, table=table)


def _text(summaries: Sequence[ExposureSummary]) -> None:
    layer = summaries[0].layer
    first = summaries[0]
    click.echo(
        f"Blootstelling aan {layer.title} ({layer.id}). Regio's: "
        f"{REGION_SETS[first.region_set]}, grensjaar {first.year}."
    )
    if layer.synthetic:
        click.echo("SYNTHETISCHE stresstestlaag (alleen voor demonstratie): geen meting.")
    for summary in summaries:
        record = summary.objects
        click.echo("")
        click.echo(f"{record.label} [{record.id}]: {record.kind_label}")
        click.echo(f"  Getallen: {summary.measure}.")
        if record.synthetic:
            click.echo("  SYNTHETISCHE objecten, alleen voor demonstratie.")
        shown = summary.display_frame()
        for (_, row), code in zip(shown.iterrows(), summary.table["region_code"], strict=True):
            click.echo(f"  {row['Regio']} ({code})")
            for column in shown.columns[1:]:
                click.echo(f"    {column}: {row[column]}")
        click.echo(f"  Bron: {summary.provenance}")
        click.echo(f"  Berekend: {fmt.date_text(summary.computed_at)}")


def _csv(summaries: Sequence[ExposureSummary]) -> str:
    from adaptatie.safe_csv import safe_text

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for summary in summaries:
        writer.writerow([f"# {summary.objects.id}: {' '.join(summary.provenance.split())}"])
    writer.writerow(["Objectlaag", "Soort", "Regiocode", "Regio", "Cijfer", "Waarde"])
    for summary in summaries:
        frame = summary.csv_frame()
        figures = [c for c in frame.columns if c not in ("Regiocode", "Regio")]
        for row in frame.itertuples(index=False):
            values = dict(zip(frame.columns, row, strict=True))
            for figure in figures:
                writer.writerow(
                    [
                        safe_text(summary.objects.id),
                        summary.objects.kind,
                        safe_text(str(values["Regiocode"])),
                        safe_text(str(values["Regio"])),
                        safe_text(figure),
                        int(values[figure]),
                    ]
                )
    return out.getvalue()


def _json(summaries: Sequence[ExposureSummary]) -> dict[str, object]:
    first = summaries[0]
    layer = first.layer
    return {
        "layer": layer.id,
        "unit": layer.unit,
        "synthetic": layer.synthetic,
        "region_set": first.region_set,
        "boundary_year": first.year,
        "object_layers": [
            {
                "id": s.objects.id,
                "title": s.objects.title,
                "kind": s.objects.kind,
                "kind_label": s.objects.kind_label,
                "measure": s.measure,
                "source": s.objects.source,
                "date": s.objects.date,
                "synthetic": s.objects.synthetic,
                "method": s.method,
                "provenance": s.provenance,
                "computed_at": s.computed_at,
                "regions": json.loads(s.table.to_json(orient="records", force_ascii=False)),
            }
            for s in summaries
        ],
    }
