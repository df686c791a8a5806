"""Command line: stress-test results per region (``adaptatie summary``) and the hotspots of a
layer with the measures that reach them (``adaptatie hotspots``). Loaded only when called."""

from __future__ import annotations

import csv
import io
import json

import click

from adaptatie.cli import CliContext, pass_ctx
from adaptatie.cli_support import DutchCommand, output_option, year_option
from adaptatie.regions.models import REGION_SETS


@click.command(cls=DutchCommand)
@click.option("--layer", "layer_id", required=True, help="Id van de stresstestlaag.")
@click.option(
    "--set",
    "region_set",
    type=click.Choice(list(REGION_SETS)),
    required=True,
    help=f"Regioset: {', '.join(REGION_SETS)}.",
)
@year_option()
@output_option("csv", "json")
@click.option(
    "--scheduler",
    default=None,
    envvar="ADAPTATIE_DASK_SCHEDULER",
    help="Reken op een bestaand Dask-cluster, bijv. tcp://HOST:8786 "
    "(ook: ADAPTATIE_DASK_SCHEDULER).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Start een lokaal Dask-cluster met zoveel workers.",
)
@pass_ctx
def summary(
    obj: CliContext,
    layer_id: str,
    region_set: str,
    year: int | None,
    output: str,
    scheduler: str | None,
    workers: int | None,
) -> None:
    """Stresstest per regio: gemiddelde, maximum, oppervlakten en klassenaandelen."""
    from pandas.api.types import is_string_dtype

    from adaptatie.safe_csv import safe_text
    from adaptatie.stresstest.results import ResultsStore

    ws = obj.workspace
    layer = ws.catalogue.get(layer_id)
    runner = None
    if scheduler or workers:  # dask is imported only then
        from adaptatie.scale.cluster import DaskRunner

        runner = DaskRunner.from_settings(scheduler, workers)
    store = ResultsStore(obj.atlas, ws.catalogue, ws.home, runner)
    result = store.summary(layer, region_set, obj.year(year))
    table = result.table
    meta = {
        "layer": layer.id,
        "theme": layer.theme,
        "scenario": layer.scenario,
        "unit": layer.unit,
        "synthetic": layer.synthetic,
        "source": layer.source,
        "date": layer.date,
        "boundary_year": result.year,
        "boundaries": result.boundaries,
        "region_set": region_set,
        "method": result.method,
        "execution": result.execution_text,
        "workers": int(result.execution.get("workers", 1)),
        "computed_at": result.computed_at,
    }
    if output == "json":
        rows = json.loads(table.to_json(orient="records"))
        click.echo(json.dumps({**meta, "rows": rows}, ensure_ascii=False, indent=2))
        return
    synthetic = " SYNTHETISCH." if layer.synthetic else ""
    header = (
        f"# {result.label}; bron: {layer.source}; berekend {result.computed_at} "
        f"({result.execution_text}).{synthetic}"
    )
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow([" ".join(header.split())])  # one cell
    click.echo(line.getvalue(), nl=False)
    text = [c for c in table.columns if table[c].dtype == object or is_string_dtype(table[c])]
    safe = table.assign(**{c: table[c].map(lambda v: safe_text(str(v))) for c in text})
    click.echo(safe.to_csv(index=False), nl=False)


@click.command(cls=DutchCommand)
@click.option("--layer", "layer_id", required=True, help="Id van de stresstestlaag.")
@click.option(
    "--threshold",
    type=float,
    default=None,
    help="Drempel in de eenheid van de laag (standaard: de hoogste drempel van het thema).",
)
@click.option(
    "--set",
    "region_set",
    type=click.Choice(list(REGION_SETS)),
    default="gemeente",
    show_default=True,
    help="Regioset waarin de hotspots worden gerangschikt.",
)
@year_option()
@click.option(
    "--min-area",
    type=click.FloatRange(min=0),
    default=None,
    help="Minimale oppervlakte van een hotspot (m²; standaard 2.500, vier pixels van 25 m).",
)
@click.option(
    "--distance",
    type=click.FloatRange(min=0),
    default=None,
    help="Een maatregel bereikt een hotspot die hij raakt of binnen deze afstand ligt (m; "
    "standaard 50).",
)
@click.option(
    "--db-url",
    default=None,
    help="Database met de maatregelen (standaard: $ADAPTATIE_DB_URL of adaptatie.sqlite in "
    "de werkmap).",
)
@output_option("tekst", "csv", "json")
@pass_ctx
def hotspots(
    obj: CliContext,
    layer_id: str,
    threshold: float | None,
    region_set: str,
    year: int | None,
    min_area: float | None,
    distance: float | None,
    db_url: str | None,
    output: str,
) -> None:
    """Hotspots van een stresstestlaag per regio, en welke een maatregel bereikt."""
    from adaptatie.db.engine import database_url
    from adaptatie.errors import InputError
    from adaptatie.exposure.coverage import DEFAULT_DISTANCE_M
    from adaptatie.exposure.overview import hotspot_view
    from adaptatie.finance.ledger import Ledger
    from adaptatie.safe_csv import safe_text
    from adaptatie.stresstest.hotspots import DEFAULT_MIN_AREA_M2
    from adaptatie.stresstest.results import ResultsStore

    ws = obj.workspace
    layer = ws.catalogue.get(layer_id)
    if threshold is None:
        if not layer.thresholds:
            raise InputError(
                f"De laag '{layer.id}' heeft geen drempels. Oplossing: geef er een op met "
                "--threshold."
            )
        threshold = layer.thresholds[-1]
    with Ledger.open(database_url(db_url, ws.home)) as ledger:
        measures = ledger.measures()
    store = ResultsStore(obj.atlas, ws.catalogue, ws.home)
    view = hotspot_view(
        store,
        layer,
        threshold,
        region_set,
        obj.year(year),
        measures,
        min_area_m2=DEFAULT_MIN_AREA_M2 if min_area is None else min_area,
        distance_m=DEFAULT_DISTANCE_M if distance is None else distance,
    )
    table = view.hotspot_rows()
    if output == "json":
        data = {
            "layer": layer.id,
            "threshold": threshold,
            "unit": layer.unit,
            "synthetic": layer.synthetic,
            "region_set": region_set,
            "boundary_year": view.found.year,
            "source": view.provenance,
            "regions": json.loads(view.region_rows().to_json(orient="records")),
            "hotspots": json.loads(table.to_json(orient="records")),
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if output == "csv":
        line = io.StringIO()
        csv.writer(line, lineterminator="\n").writerow([f"# {view.provenance}"])
        click.echo(line.getvalue(), nl=False)
        text = table.astype(str).map(safe_text)
        click.echo(text.to_csv(index=False), nl=False)
        return
    click.echo(view.found.label)
    if table.empty:
        click.echo("Geen aaneengesloten gebieden boven deze drempel en minimale oppervlakte.")
    for row in view.region_rows().to_dict("records"):
        click.echo(
            f"  {row['Regio']}: {row['Hotspots']} hotspot(s), {row['Bereikt']} bereikt door een "
            f"maatregel, {row['Niet bereikt']} niet ({row['Niet bereikt (ha)']} ha); grootste "
            f"niet bereikt: {row['Grootste niet bereikt'] or '-'}"
        )
    click.echo(f"Bron: {view.provenance}")
