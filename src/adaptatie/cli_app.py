"""``adaptatie app`` (start the dashboard) and ``adaptatie assets install`` (Leaflet)."""

from __future__ import annotations

import os

import click

from adaptatie.cli_support import DutchCommand, DutchErrorGroup


def _home(ctx: click.Context) -> object:
    return ctx.find_root().obj.workspace.home


@click.command(cls=DutchCommand)
@click.option("--port", type=int, default=None, help="Poort (standaard: die van Streamlit, 8501).")
@click.option("--address", default=None, help="Adres om op te luisteren (standaard: alle).")
@click.pass_context
def app(ctx: click.Context, port: int | None, address: str | None) -> None:
    """Start het dashboard in de browser (ook zonder checkout, vanuit het geïnstalleerde pakket)."""
    from adaptatie.assets import install_command, missing_assets
    from adaptatie.launcher import launch

    home = _home(ctx)
    run = launch(home, port, address)
    missing = missing_assets(home)
    if missing:
        click.echo(
            f"Let op: de kaartbibliotheek (Leaflet) ontbreekt ({', '.join(missing)}); de kaarten "
            f"blijven leeg. Oplossing: voer eerst '{install_command()}' uit.",
            err=True,
        )
    click.echo(f"Dashboard starten vanuit {run.cwd} (werkmap {home}) …")
    os.chdir(run.cwd)
    os.execve(run.args[0], list(run.args), {**os.environ, **run.env})


@click.group(cls=DutchErrorGroup)
def assets() -> None:
    """Browserbestanden van de kaart (Leaflet) uit het npm-register."""


@assets.command("install")
@click.pass_context
def assets_install(ctx: click.Context) -> None:
    """Installeer Leaflet naast het dashboard (eenmalig, na installatie of upgrade)."""
    from adaptatie.assets import install_leaflet, leaflet_version, vendor_dir

    folder = install_leaflet(vendor_dir(_home(ctx)))
    click.echo(f"Leaflet {leaflet_version()} staat in {folder}")
