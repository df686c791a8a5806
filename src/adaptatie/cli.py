"""Command line: ``adaptatie``. A thin shell over the same functions the pages use.

Commands import what they need when they run (rasterio, the ledger, the report), and the groups
of other packages are loaded only when called, so ``adaptatie regions show`` starts quickly.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path

import click

from adaptatie import fmt
from adaptatie.cli_support import LazyGroup, folder_option, version_option, year_option
from adaptatie.errors import AdaptatieError
from adaptatie.regions.atlas import Atlas
from adaptatie.regions.models import RegionKind
from adaptatie.regions.serialize import lineage_dict, profile_dict, region_summary
from adaptatie.stresstest.themes import THEME_KEYS
from adaptatie.workspace import Workspace

#: Groups defined elsewhere, imported only when used.
LAZY_GROUPS = {
    "measures": "adaptatie.finance.cli:measures",
    "finance": "adaptatie.finance.cli:finance",
    "db": "adaptatie.finance.cli:db",
    "users": "adaptatie.accounts.cli:users",
    "data": "adaptatie.cli_data:data",
    "app": "adaptatie.cli_app:app",
    "assets": "adaptatie.cli_app:assets",
    "summary": "adaptatie.cli_results:summary",
    "hotspots": "adaptatie.cli_results:hotspots",
    "objects": "adaptatie.cli_objects:objects",
    "exposure": "adaptatie.cli_exposure:exposure",
}

KINDS = click.Choice([k.value for k in RegionKind])


class CliContext:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    @property
    def atlas(self) -> Atlas:
        return self.workspace.atlas

    def year(self, year: int | None) -> int:
        if year is None:
            return max(self.atlas.years)
        return self.atlas.source.check_year(year)


pass_ctx = click.make_pass_decorator(CliContext)


@click.group(cls=LazyGroup, lazy=LAZY_GROUPS)
@folder_option(
    "--data-dir",
    "Map met CBS/PDOK-brongegevens (standaard: $ADAPTATIE_DATA_DIR, anders de gegevens "
    "van 'adaptatie data update', anders de meegeleverde momentopname).",
)
@click.option(
    "--regions-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Regiodefinities (standaard: geodata/regions.toml).",
)
@folder_option(
    "--home",
    "Werkmap voor lagen, resultaten, database en logboek (standaard: $ADAPTATIE_HOME, "
    "anders .data/ in een checkout of de gebruikersmap van het systeem).",
)
@version_option()
@click.pass_context
def main(
    ctx: click.Context, data_dir: str | None, regions_file: str | None, home: str | None
) -> None:
    """adaptatie: regionale waterkaart en klimaatadaptatie voor Groningen, Drenthe en Twente."""
    ctx.obj = CliContext(Workspace(data_dir, regions_file, home))


@main.command()
@pass_ctx
def check(obj: CliContext) -> None:
    """Controleer alle brongegevens en regiodefinities."""
    atlas = obj.atlas
    for year in atlas.years:
        atlas.regions(year)
    atlas.source.population()
    click.echo(f"Brongegevens in orde: {atlas.source.folder}")
    click.echo(f"Grensjaren: {', '.join(map(str, atlas.years))}")
    for note in atlas.source.notes():
        click.echo(f"Let op: {note}")


@main.group()
def regions() -> None:
    """Regio's: gemeenten, clusters, samenwerkingsverbanden, werkregio's, waterschappen."""


@regions.command("list")
@click.option("--kind", type=KINDS, default=None, help="Alleen regio's van deze soort.")
@year_option()
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@pass_ctx
def regions_list(obj: CliContext, kind: str | None, year: int | None, as_json: bool) -> None:
    """Toon alle regio's van een grensjaar."""
    chosen = obj.year(year)
    found = obj.atlas.regions(chosen, RegionKind(kind) if kind else None)
    if as_json:
        click.echo(json.dumps([region_summary(r) for r in found], ensure_ascii=False, indent=2))
        return
    click.echo(f"Regio's in grensjaar {chosen}:")
    for region in found:
        members = f"{len(region.members)} gemeente(n)"
        click.echo(f"  {region.kind.value:<21} {region.id:<8} {region.name:<40} {members}")


@regions.command("show")
@click.argument("name")
@click.option("--kind", type=KINDS, default=None, help="Soort regio, nodig als de naam dubbel is.")
@year_option()
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als één JSON-object.")
@pass_ctx
def regions_show(
    obj: CliContext, name: str, kind: str | None, year: int | None, as_json: bool
) -> None:
    """Toon waaruit een regio bestaat: gemeenten, oppervlakte, inwoners, waterschappen."""
    chosen = obj.year(year)
    region = obj.atlas.find(name, chosen, RegionKind(kind) if kind else None)
    profile = obj.atlas.profile(region)
    if as_json:
        click.echo(json.dumps(profile_dict(profile), ensure_ascii=False, indent=2))
        return
    click.echo(f"{region.name} ({region.kind.label}, {region.id}), grensjaar {region.year}")
    click.echo(f"Oppervlakte: {fmt.area_km2(profile.area_km2)}")
    pop = profile.population
    if pop.inhabitants is not None:
        click.echo(f"Inwoners: {fmt.number(pop.inhabitants)} (CBS {pop.year}; {pop.source})")
    else:
        click.echo("Inwoners: onbekend")
    if pop.note:
        click.echo(f"  {pop.note}")
    click.echo("Gemeenten:")
    for m in region.members:
        click.echo(f"  {m.code}  {m.name:<28} {fmt.percent(m.share)}")
    click.echo("Waterschappen (aandeel van de oppervlakte):")
    for w in profile.waterschappen:
        click.echo(f"  {w.code}  {w.name:<40} {fmt.percent(w.share)}")
    for note in region.notes:
        click.echo(f"Let op: {note}")


@main.command()
@click.argument("from_year", type=int)
@click.argument("to_year", type=int)
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@pass_ctx
def lineage(obj: CliContext, from_year: int, to_year: int, as_json: bool) -> None:
    """Gemeentelijke herindelingen tussen twee grensjaren (afgeleid uit de grenzen)."""
    result = obj.atlas.lineage(obj.year(from_year), obj.year(to_year))
    if as_json:
        click.echo(json.dumps(lineage_dict(result), ensure_ascii=False, indent=2))
        return
    changes = result.changes()
    if not changes:
        click.echo(f"Geen herindelingen tussen {from_year} en {to_year}.")
    for change in changes:
        sources = ", ".join(change.from_names)
        click.echo(f"{change.kind}: {change.to_name} ({change.to_code}) <- {sources}")
        for t in change.partial:
            click.echo(
                f"    + {fmt.percent(t.share, 0)} van {t.from_name} ({fmt.area_km2(t.area_km2)})"
            )


THEMES = click.Choice(THEME_KEYS)


@main.group()
def layers() -> None:
    """Stresstestlagen (GeoTIFF): toevoegen, tonen, verwijderen."""


@layers.command("add")
@click.argument("file", type=click.Path())
@click.option("--id", "layer_id", required=True, help="Korte naam, bijv. wateroverlast-70mm.")
@click.option("--theme", type=THEMES, required=True, help="Thema van de stresstest.")
@click.option("--scenario", required=True, help="Scenario, bijv. '70 mm in 2 uur'.")
@click.option("--unit", required=True, help="Eenheid van de waarden, bijv. m, cm, °C, klasse.")
@click.option("--source", default="", help="Bron, bijv. 'Klimaateffectatlas, 2024'.")
@click.option("--date", "data_date", default="", help="Datum van de gegevens (DD-MM-JJJJ).")
@click.option("--licence", default="", help="Licentie, bijv. CC BY 4.0.")
@pass_ctx
def layers_add(
    obj: CliContext,
    file: str,
    layer_id: str,
    theme: str,
    scenario: str,
    unit: str,
    source: str,
    data_date: str,
    licence: str,
) -> None:
    """Controleer een GeoTIFF, een map met GeoTIFF-tegels of een VRT en voeg hem toe."""
    from adaptatie.cli_progress import RateBar
    from adaptatie.io.ingest import LayerRequest, add_layer

    ws = obj.workspace
    request = LayerRequest(
        layer_id=layer_id,
        theme=ws.themes[theme],
        scenario=scenario,
        unit=unit,
        source=source,
        date=_iso_date(data_date),
        licence=licence,
    )
    bar = RateBar()
    try:
        record = add_layer(ws.catalogue, Path(file), request, obj.atlas.study_area(), bar)
    finally:
        bar.close()
    click.echo(f"Laag '{record.id}' toegevoegd ({record.title}, {record.resolution_m:g} m).")
    for note in record.notes:
        click.echo(f"  {note}")


@layers.command("list")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@pass_ctx
def layers_list(obj: CliContext, as_json: bool) -> None:
    """Toon de lagencatalogus."""
    records = obj.workspace.catalogue.layers()
    if as_json:
        click.echo(json.dumps([asdict(r) for r in records], ensure_ascii=False, indent=2))
        return
    if not records:
        click.echo(
            "Nog geen stresstestlagen. Voeg er een toe met 'adaptatie layers add' of "
            "'adaptatie demo'."
        )
    for r in records:
        click.echo(f"{r.id:<28} {r.title:<50} {r.unit:<7} {r.resolution_m:g} m  bron: {r.source}")


@layers.command("remove")
@click.argument("layer_id")
@pass_ctx
def layers_remove(obj: CliContext, layer_id: str) -> None:
    """Verwijder een laag uit de catalogus."""
    obj.workspace.catalogue.remove(layer_id)
    click.echo(f"Laag '{layer_id}' verwijderd.")


@main.command()
@click.option("--resolution", type=float, default=25.0, show_default=True, help="Pixelmaat in m.")
@click.option(
    "--measures",
    is_flag=True,
    help="Zet ook SYNTHETISCHE demomaatregelen met locatie in het grootboek (ids DEMO-...).",
)
@pass_ctx
def demo(obj: CliContext, resolution: float, measures: bool) -> None:
    """Maak SYNTHETISCHE demonstratielagen voor alle vier thema's en synthetische objecten
    (gebouwen, wegen, kwetsbare objecten), als ze nog ontbreken."""
    from adaptatie.exposure.demo import install_demo_measures, install_demo_objects
    from adaptatie.exposure.store import ObjectStore
    from adaptatie.stresstest.demo import install_demo

    ws = obj.workspace
    added = install_demo(
        ws.catalogue, ws.themes, obj.atlas.study_area(), resolution, progress=click.echo
    )
    click.echo(
        f"{len(added)} synthetische laag/lagen toegevoegd; "
        f"{len(ws.catalogue.layers())} in de catalogus."
    )
    install_demo_objects(ObjectStore(ws.home), progress=click.echo)
    if measures:
        from adaptatie.db.engine import database_url
        from adaptatie.finance.ledger import Ledger

        with Ledger.open(database_url(None, ws.home)) as ledger:
            ids = install_demo_measures(ledger)
        click.echo(f"{len(ids)} synthetische demomaatregel(en) toegevoegd: {', '.join(ids)}.")


@main.command()
@click.option("--region", "name", required=True, help="Naam, alias of code van de regio.")
@click.option("--kind", type=KINDS, default=None, help="Soort regio, nodig als de naam dubbel is.")
@year_option()
@click.option(
    "--out", type=click.Path(dir_okay=False), default=None, help="PDF-bestand (standaard: naam)."
)
@click.option("--db-url", default=None, help="Database van de cofinanciering (standaard: home).")
@pass_ctx
def report(
    obj: CliContext,
    name: str,
    kind: str | None,
    year: int | None,
    out: str | None,
    db_url: str | None,
) -> None:
    """Raadsrapportage (A4-pdf) voor een gemeente, cluster, samenwerkingsverband of werkregio."""
    from adaptatie.finance.ledger import Ledger
    from adaptatie.report import build_report, report_filename

    region = obj.atlas.find(name, obj.year(year), RegionKind(kind) if kind else None)
    if region.kind in (RegionKind.WATERSCHAP, RegionKind.PROVINCIE):
        raise AdaptatieError(
            f"Een raadsrapportage is er voor gemeenten, clusters, samenwerkingsverbanden en "
            f"werkregio's, niet voor een {region.kind.label.lower()}. Oplossing: kies een van die."
        )
    target = Path(out) if out else Path(report_filename(region))
    with Ledger.open(db_url) as ledger:
        path = build_report(obj.workspace, region, target, ledger=ledger)
    click.echo(f"Raadsrapportage geschreven: {path}")


def _iso_date(text: str) -> str:
    """Accept ``JJJJ-MM-DD`` and the Dutch ``DD-MM-JJJJ``; return ISO."""
    if not text:
        return ""
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise AdaptatieError(
        f"Datum '{text}' is ongeldig. Oplossing: schrijf DD-MM-JJJJ of JJJJ-MM-DD, "
        "bijv. 30-06-2024."
    )


if __name__ == "__main__":  # pragma: no cover
    main()
