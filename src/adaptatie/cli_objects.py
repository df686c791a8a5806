"""Command line: object layers (``adaptatie objects add|list|remove|columns|demo``), the same
checks and store as the page *Hotspots en blootstelling* (tab Objectlagen). Loaded only when
called. Their exposure per region is ``adaptatie exposure`` (:mod:`adaptatie.cli_exposure`).

A bad input (unknown kind or role, a missing column, no or a wrong CRS, a file that does not
exist) is a Dutch message with the fix and a non-zero exit status, and leaves the stored layers
as they were: the file is read and checked in full before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from adaptatie import fmt
from adaptatie.cli import CliContext, _iso_date, pass_ctx
from adaptatie.cli_support import DutchErrorGroup
from adaptatie.errors import InputError
from adaptatie.exposure.layers import KINDS, ROLE_WORDS, ROLES, ColumnMap

#: ``--kind`` on the command line: the kinds of the page, and ``kwetsbaar`` for ``objecten``.
KIND_ALIASES = {"kwetsbaar": "objecten"}
KIND_CHOICE = click.Choice([*KINDS, *KIND_ALIASES])


def kind_of(text: str) -> str:
    """The stored kind of a ``--kind`` value (``kwetsbaar`` -> ``objecten``)."""
    return KIND_ALIASES.get(text, text)


def column_map(kind: str, pairs: tuple[str, ...], layer: str) -> ColumnMap:
    """``--column naam=STT_NAAM --column id=WVK_ID`` as a :class:`ColumnMap` (Dutch role words,
    see :data:`adaptatie.exposure.layers.ROLE_WORDS`)."""
    roles = {word: role for role, word in ROLE_WORDS.items() if role in ROLES[kind]}
    mapping: dict[str, str] = {}
    for pair in pairs:
        word, sep, column = (p.strip() for p in pair.partition("="))
        if not sep or not word or not column:
            raise InputError(
                f"--column '{pair}' is niet te lezen. Oplossing: schrijf ROL=KOLOM, bijv. "
                f"--column id={ROLES[kind]['id'][0]}."
            )
        if word.lower() not in roles:
            raise InputError(
                f"--column: de rol '{word}' bestaat niet voor {KINDS[kind]}. Oplossing: kies uit "
                f"{', '.join(roles)}."
            )
        mapping[roles[word.lower()]] = column
    return ColumnMap(kind, mapping, layer)


@click.group(name="objects", cls=DutchErrorGroup)
def objects() -> None:
    """Objectlagen (gebouwen, wegen, vitale en kwetsbare objecten, bevolking)."""


@objects.command("add")
@click.argument("bestand", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--kind",
    type=KIND_CHOICE,
    required=True,
    help="Soort: gebouwen (BAG-panden), wegen (NWB-wegvakken of BGT-wegdelen), objecten of "
    "kwetsbaar (vitale en kwetsbare objecten met een categorie), bevolking (CBS 100 m).",
)
@click.option("--id", "layer_id", required=True, help="Korte naam, bijv. bag-drenthe.")
@click.option("--source", required=True, help="Bron, bijv. 'BAG, Kadaster via PDOK'.")
@click.option(
    "--date", "data_date", required=True, help="Datum van de gegevens (DD-MM-JJJJ of JJJJ-MM-DD)."
)
@click.option("--title", default="", help="Titel (standaard: de soort).")
@click.option("--licence", default="", help="Licentie, bijv. CC0 of CC BY 4.0.")
@click.option(
    "--layer",
    "file_layer",
    default="",
    help="Laag in een GeoPackage (standaard: pand in een BAG-bestand, anders de eerste).",
)
@click.option(
    "--column",
    "pairs",
    multiple=True,
    metavar="ROL=KOLOM",
    help="Kolom van uw bestand voor een rol (id, naam, categorie, inwoners, functie), bijv. "
    "--column id=code; meer keren te geven. Zonder: de namen van BAG, NWB, BGT en CBS.",
)
@click.option("--replace", is_flag=True, help="Vervang een bestaande objectlaag met deze id.")
@pass_ctx
def objects_add(
    obj: CliContext,
    bestand: str,
    kind: str,
    layer_id: str,
    source: str,
    data_date: str,
    title: str,
    licence: str,
    file_layer: str,
    pairs: tuple[str, ...],
    replace: bool,
) -> None:
    """Controleer een objectbestand (GeoPackage, GeoJSON, shapefile-zip) en voeg het toe."""
    from adaptatie.exposure.store import ObjectStore

    columns = column_map(kind_of(kind), pairs, file_layer)
    date = _iso_date(data_date)
    record = ObjectStore(obj.workspace.home).add(
        Path(bestand),
        layer_id=layer_id.strip(),
        columns=columns,
        title=title,
        source=source,
        date=date,
        licence=licence,
        replace=replace,
    )
    click.echo(
        f"Objectlaag '{record.id}' toegevoegd: {record.label}, {fmt.number(record.count)} "
        f"object(en); soort: {record.kind_label}. Bron: {record.citation}."
    )
    for note in record.notes:
        click.echo(f"  Let op: {note}")


@objects.command("list")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@pass_ctx
def objects_list(obj: CliContext, as_json: bool) -> None:
    """Toon de opgeslagen objectlagen met bron en datum."""
    from adaptatie.exposure.store import ObjectStore

    records = ObjectStore(obj.workspace.home).records()
    if as_json:
        rows = [{**asdict(r), "kind_label": r.kind_label} for r in records]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not records:
        click.echo(
            "Nog geen objectlagen. Voeg er een toe met 'adaptatie objects add' of "
            "'adaptatie objects demo'."
        )
    for r in records:
        click.echo(
            f"{r.id:<24} {r.label:<44} {fmt.number(r.count):>9} object(en)  {r.kind_label}; "
            f"bron: {r.citation}"
        )


@objects.command("remove")
@click.argument("layer_id", metavar="ID")
@pass_ctx
def objects_remove(obj: CliContext, layer_id: str) -> None:
    """Verwijder een objectlaag."""
    from adaptatie.exposure.store import ObjectStore

    store = ObjectStore(obj.workspace.home)
    record = store.get(layer_id)
    store.remove(layer_id)
    click.echo(f"Objectlaag '{record.id}' ({record.label}) verwijderd.")


@objects.command("columns")
@click.argument("bestand", type=click.Path(exists=True, dir_okay=False))
@click.option("--layer", "file_layer", default="", help="Laag in een GeoPackage.")
@click.option(
    "--kind", type=KIND_CHOICE, default=None, help="Toon ook welke kolom elke rol krijgt."
)
def objects_columns(bestand: str, file_layer: str, kind: str | None) -> None:
    """Toon de lagen, kolommen, geometrie en het CRS van een bestand, vóór het toevoegen."""
    from adaptatie.exposure.files import file_info
    from adaptatie.exposure.layers import default_column

    info = file_info(Path(bestand), file_layer)
    click.echo(f"Lagen: {', '.join(info.layers)}; gelezen: {info.layer}")
    click.echo(
        f"Geometrie: {info.geometry_type or 'geen'}; CRS: {info.crs or 'geen (niet bruikbaar)'}; "
        f"{fmt.number(info.count)} objecten"
    )
    click.echo(f"Kolommen: {', '.join(info.columns)}")
    if kind is None:
        return
    stored = kind_of(kind)
    click.echo(f"Rollen voor {KINDS[stored]} (wijzig met --column ROL=KOLOM):")
    for role, (default, required, desc) in ROLES[stored].items():
        found = default_column(stored, role, info.columns)
        shown = found or ("ONTBREEKT" if required else "(geen)")
        click.echo(f"  {ROLE_WORDS[role]:<10} {shown:<24} {desc}; standaard {default}")


@objects.command("demo")
@pass_ctx
def objects_demo(obj: CliContext) -> None:
    """Voeg de SYNTHETISCHE demo-objecten toe (gebouwen, wegen, objecten), als ze ontbreken."""
    from adaptatie.exposure.demo import install_demo_objects
    from adaptatie.exposure.store import ObjectStore

    added = install_demo_objects(ObjectStore(obj.workspace.home), progress=click.echo)
    click.echo(f"{len(added)} synthetische objectlaag/lagen toegevoegd.")
