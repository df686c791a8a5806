"""``adaptatie data …``: keep the source data (boundaries, population) up to date."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from adaptatie import fmt
from adaptatie.cli_progress import StderrBar, bar_text
from adaptatie.cli_support import DutchErrorGroup, folder_option
from adaptatie.config import home_dir, resolve_data, snapshot_dir
from adaptatie.errors import AdaptatieError, DataFileError
from adaptatie.io.manifest import verify_manifest
from adaptatie.io.update import UpdateResult, update_data


class YearsError(AdaptatieError, ValueError):
    """The --years option cannot be read."""


class ProgressBar(StderrBar):
    """A one-line text progress bar per layer on stderr."""

    def __call__(self, label: str, done: int, total: int | None) -> None:
        self._switch(label)
        if total:
            text = f"\r{label:<26} {bar_text(done / total)} {done}/{total}"
        else:
            text = f"\r{label:<26} {done} pagina('s)"
        click.echo(text, nl=False, err=True)


def parse_years(text: str | None) -> list[int] | None:
    """``2023,2024`` or ``2020-2024`` (or a mix) as a sorted list of years."""
    if text is None or not text.strip():
        return None
    years: set[int] = set()
    for part in text.replace(" ", "").split(","):
        first, _, last = part.partition("-")
        try:
            low, high = int(first), int(last or first)
        except ValueError:
            raise YearsError(
                f"--years: '{part}' is geen jaar of jarenreeks. Oplossing: schrijf bijvoorbeeld "
                "--years 2023,2024 of --years 2020-2024."
            ) from None
        if not (1900 <= low <= high <= 2100):
            raise YearsError(
                f"--years: '{part}' valt buiten 1900-2100 of loopt achteruit. Oplossing: schrijf "
                "bijvoorbeeld --years 2020-2024."
            )
        years.update(range(low, high + 1))
    return sorted(years)


def _current_source(home: Path, data_dir_option: str | None) -> Path | None:
    """The folder of the data in use now; years that are not fetched are copied from it."""
    try:
        return resolve_data(data_dir_option, home).folder
    except DataFileError as exc:
        if data_dir_option:
            raise
        click.echo(f"Let op: {exc} De meegeleverde gegevens worden als basis gebruikt.", err=True)
    try:
        return snapshot_dir() if verify_manifest(snapshot_dir()) else None
    except AdaptatieError:
        return None


@click.group(name="data", cls=DutchErrorGroup)
def data() -> None:
    """Brongegevens (CBS/PDOK-grenzen en bevolking) bijwerken."""


@data.command()
@click.option(
    "--years",
    default=None,
    help="Grensjaren, bijv. 2023,2024 of 2020-2024 (standaard: elk jaar vanaf 2017 dat PDOK "
    "levert).",
)
@click.option("--dry-run", is_flag=True, help="Alleen laten zien wat er opgehaald zou worden.")
@folder_option(
    "--home",
    "Werkmap (standaard: die van 'adaptatie --home', $ADAPTATIE_HOME of .data/).",
)
@folder_option(
    "--data-dir",
    "Map met de gegevens die nu in gebruik zijn (jaren die niet worden opgehaald komen "
    "hieruit).",
)
@click.pass_context
def update(
    ctx: click.Context, years: str | None, dry_run: bool, home: str | None, data_dir: str | None
) -> None:
    """Haal de nieuwste grenzen (PDOK) en bevolkingscijfers (CBS) op en neem ze in gebruik."""
    wanted = parse_years(years)
    workspace = getattr(ctx.find_root().obj, "workspace", None)
    home_path = workspace.home if home is None and workspace is not None else home_dir(home)
    source = _current_source(home_path, data_dir)
    bar = ProgressBar()
    try:
        result = update_data(home_path, source, wanted, dry_run=dry_run, progress=bar)
    except AdaptatieError:
        bar.close()
        raise
    bar.close()
    _report(result, source)


def _report(result: UpdateResult, source: Path | None) -> None:
    if result.dry_run:
        click.echo("Proefdraai: er wordt niets opgehaald of gewijzigd. Plan:")
        for layer in result.planned:
            click.echo(f"  - {layer.describe()}")
        return
    assert result.release is not None and result.manifest is not None
    click.echo(f"Nieuwe gegevens in gebruik: {result.release}")
    if result.previous is not None:
        click.echo(f"Vorige gegevens blijven bewaard in {result.previous}")
    elif source is not None:
        click.echo(f"Tot nu toe in gebruik: {source}")
    for entry in result.manifest.layers:
        what = f"{entry.kind} {entry.year}" if entry.year is not None else entry.kind
        click.echo(f"  - {what:<20} {fmt.number(entry.features):>7} rijen  {entry.file}")
    if result.reused_pages:
        click.echo(
            f"Hergebruikt uit een eerdere, onderbroken poging: {result.reused_pages} pagina's"
        )
    for note in result.notes:
        click.echo(f"Let op: {note}")
    click.echo(f"Klaar op {fmt.date(dt.date.today())}.", file=sys.stdout)
