"""Command line: ``adaptatie``. A thin shell over the same functions the pages use."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from adaptatie import fmt
from adaptatie.atlas import Atlas
from adaptatie.errors import AdaptatieError
from adaptatie.models import RegionKind
from adaptatie.serialize import lineage_dict, profile_dict, region_summary

KINDS = click.Choice([k.value for k in RegionKind])


class _Context:
    def __init__(self, data_dir: str | None, regions_file: str | None) -> None:
        self.data_dir = data_dir
        self.regions_file = regions_file
        self._atlas: Atlas | None = None

    @property
    def atlas(self) -> Atlas:
        if self._atlas is None:
            self._atlas = Atlas.open(self.data_dir, self.regions_file)
        return self._atlas

    def year(self, year: int | None) -> int:
        if year is None:
            return max(self.atlas.years)
        return self.atlas.source.check_year(year)


pass_ctx = click.make_pass_decorator(_Context)


class _Group(click.Group):
    """Turns every AdaptatieError into a Dutch message on stderr and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AdaptatieError as exc:
            click.echo(f"Fout: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Group)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Map met CBS/PDOK-brongegevens (standaard: $ADAPTATIE_DATA_DIR of ../shared/geodata).",
)
@click.option(
    "--regions-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Regiodefinities (standaard: geodata/regions.toml).",
)
@click.version_option(package_name="adaptatie")
@click.pass_context
def main(ctx: click.Context, data_dir: str | None, regions_file: str | None) -> None:
    """adaptatie: regionale waterkaart en klimaatadaptatie voor Groningen, Drenthe en Twente."""
    ctx.obj = _Context(data_dir, regions_file)


@main.command()
@pass_ctx
def check(obj: _Context) -> None:
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
@click.option("--year", type=int, default=None, help="Grensjaar (standaard: het nieuwste).")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@pass_ctx
def regions_list(obj: _Context, kind: str | None, year: int | None, as_json: bool) -> None:
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
@click.option("--year", type=int, default=None, help="Grensjaar (standaard: het nieuwste).")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als één JSON-object.")
@pass_ctx
def regions_show(
    obj: _Context, name: str, kind: str | None, year: int | None, as_json: bool
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
def lineage(obj: _Context, from_year: int, to_year: int, as_json: bool) -> None:
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


if __name__ == "__main__":  # pragma: no cover
    main()
