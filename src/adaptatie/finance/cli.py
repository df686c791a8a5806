"""Command-line groups of the ledger, registered in the main CLI (``adaptatie``):

``adaptatie measures import FILE [--user NAAM]``, ``adaptatie measures export FILE``,
``adaptatie finance summary [--json]``, ``adaptatie db backup FILE``, ``adaptatie db restore
FILE`` and ``adaptatie db hash-password``. Each group takes ``--db-url`` (default
``$ADAPTATIE_DB_URL`` or ``adaptatie.sqlite`` in the home folder; the main CLI's ``--home`` and
``--regions-file`` are honoured). ``measures import`` run through the main CLI stores gemeente and
kassier as CBS writes them (the names of the main CLI's source data, ``--data-dir``) and prints
what it changed. Errors: a Dutch message on stderr and exit status 1.
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import Any

import click

from adaptatie.cli_support import DutchErrorGroup
from adaptatie.db.backup import restore_json
from adaptatie.db.engine import database_url
from adaptatie.finance.auth import PASSWORD_HASH_ENV, hash_password
from adaptatie.finance.imports import export_measures, import_file
from adaptatie.finance.ledger import Ledger
from adaptatie.finance.money import format_euros


def _database_group(name: str, doc: str) -> DutchErrorGroup:
    """A command group with ``--db-url``; its sub-commands find the choice as ``_Options``."""

    @click.pass_context
    def remember(ctx: click.Context, db_url: str | None) -> None:
        ctx.obj = _Options(db_url)

    db_url = click.Option(
        ["--db-url"],
        default=None,
        help="Database, bijv. postgresql+psycopg://gebruiker@host/adaptatie "
        "(standaard: $ADAPTATIE_DB_URL of adaptatie.sqlite in de werkmap).",
    )
    return DutchErrorGroup(name, callback=remember, params=[db_url], help=doc)


def _root_param(ctx: click.Context, name: str) -> Any:
    return ctx.find_root().params.get(name)


def _ledger(ctx: click.Context, *, names: bool = False) -> Ledger:
    """Open the ledger named by the group's ``--db-url`` (or the defaults); with ``names``, the
    CBS names of the main CLI's workspace resolve gemeente and kassier on import."""
    options = ctx.find_object(_Options)
    chosen = options.db_url if options else None
    workspace = getattr(ctx.find_root().obj, "workspace", None)
    return Ledger.open(
        database_url(chosen, _root_param(ctx, "home")),
        regions_file=_root_param(ctx, "regions_file"),
        names=workspace.atlas.names() if names and workspace is not None else None,
    )


class _Options:
    def __init__(self, db_url: str | None) -> None:
        self.db_url = db_url


def _partial_date(iso: str) -> str:
    """``2024-04-24`` -> ``24-04-2024``; ``2021-09`` -> ``09-2021``."""
    return "-".join(reversed(iso.split("-"))) if iso else ""


def _default_user() -> str:
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user name in the environment
        return "onbekend"


measures = _database_group("measures", "Maatregelen: inlezen en exporteren (CSV of Excel).")


@measures.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--user", default=None, help="Naam in het auditlog (standaard: uw gebruikersnaam).")
@click.pass_context
def measures_import(ctx: click.Context, file: str, user: str | None) -> None:
    """Lees maatregelen in uit een CSV- of Excel-bestand (alles of niets)."""
    with _ledger(ctx, names=True) as ledger:
        result = import_file(ledger, Path(file), user=user or _default_user())
    click.echo(f"{len(result.measures)} maatregel(en) ingelezen uit {Path(file).name}.")
    for note in result.notes:
        click.echo(note)
    for warning in result.warnings:
        click.echo(f"Let op: {warning.message}")


@measures.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--werkregio", default=None, help="Alleen maatregelen van deze werkregio (id).")
@click.pass_context
def measures_export(ctx: click.Context, file: str, werkregio: str | None) -> None:
    """Schrijf alle maatregelen naar FILE (.csv of .xlsx, gekozen op de extensie)."""
    with _ledger(ctx) as ledger:
        found = ledger.measures(werkregio)
    target = export_measures(found, Path(file))
    click.echo(f"{len(found)} maatregel(en) geschreven naar {target}.")


finance = _database_group("finance", "Cofinanciering: Impulsregeling-geld per werkregio.")


@finance.command("summary")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON (bedragen in euro's).")
@click.pass_context
def finance_summary(ctx: click.Context, as_json: bool) -> None:
    """Per werkregio: maximum, aangevraagd, toegekend, gerealiseerd en regelovertredingen."""
    with _ledger(ctx) as ledger:
        rows = ledger.totals()
    if as_json:
        click.echo(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return
    for r in rows:
        basis = " (geclaimd)" if r.allocation_basis == "geclaimd" else ""
        source = ", ".join(p for p in (r.allocation_source, _partial_date(r.allocation_date)) if p)
        click.echo(f"{r.name} ({r.werkregio})")
        click.echo(f"  maximum rijksbijdrage: {format_euros(r.allocation_cents)}{basis}")
        if source:
            click.echo(f"    bron: {source}")
        if r.allocation_note:
            click.echo(f"    toelichting: {r.allocation_note}")
        click.echo(f"  gepland (niet vervallen): {format_euros(r.planned_rijk_cents)}")
        click.echo(f"  aangevraagd: {format_euros(r.requested_rijk_cents)}")
        click.echo(f"  toegekend: {format_euros(r.granted_rijk_cents)}")
        click.echo(f"  gerealiseerd: {format_euros(r.realised_rijk_cents)}")
        click.echo(
            f"  totale kosten: {format_euros(r.total_cost_cents)}; {r.n_measures} maatregelen"
        )
        for message in r.violations:
            click.echo(f"  Fout: {message}")
        for message in r.warnings:
            click.echo(f"  Let op: {message}")


db = _database_group("db", "Database van de cofinanciering: back-up, herstel, wachtwoord-hash.")


@db.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="JSON-dump, ook bij SQLite.")
@click.pass_context
def db_backup(ctx: click.Context, file: str, as_json: bool) -> None:
    """Maak een back-up: SQLite-kopie, of JSON-dump bij PostgreSQL (FILE bestaat nog niet)."""
    from adaptatie.db.backup import backup_database

    with _ledger(ctx) as ledger:
        kind = "JSON-dump" if as_json or ledger.backend != "sqlite" else "SQLite-kopie"
        target = backup_database(ledger.engine, Path(file), as_json=True if as_json else None)
    click.echo(f"Back-up ({kind}) geschreven naar {target}.")


@db.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def db_restore(ctx: click.Context, file: str) -> None:
    """Zet een JSON-dump terug in een nieuwe, lege database (--db-url)."""
    options = ctx.find_object(_Options)
    url = database_url(options.db_url if options else None, _root_param(ctx, "home"))
    counts = restore_json(Path(file), url)
    click.echo(
        f"Hersteld: {counts['measures']} maatregelen, {counts['allocations']} toewijzingen, "
        f"{counts['audit_entries']} auditregels."
    )


@db.command("hash-password")
def db_hash_password() -> None:
    """Vraag een redacteurswachtwoord en druk de hash af voor ADAPTATIE_EDITOR_PASSWORD_HASH."""
    plain = click.prompt(
        "Nieuw redacteurswachtwoord", hide_input=True, confirmation_prompt="Herhaal het wachtwoord"
    )
    encoded = hash_password(plain)
    click.echo(encoded)
    click.echo(
        f"Zet deze waarde in de omgeving van de app, met enkele aanhalingstekens:\n"
        f"  export {PASSWORD_HASH_ENV}='{encoded}'",
        err=True,
    )
