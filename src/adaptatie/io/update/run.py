"""``update_data``: plan, fetch, carry over, validate and switch one new release."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from adaptatie.errors import DataFileError
from adaptatie.io.datahome import current_release
from adaptatie.io.manifest import (
    FORMAT_VERSION,
    MANIFEST_NAME,
    Manifest,
    ManifestEntry,
    entry_for,
    verify_manifest,
)
from adaptatie.io.population import read_population
from adaptatie.io.update import cbs, pdok, release
from adaptatie.io.update.http import KEEP, DataUpdateError, HttpClient
from adaptatie.io.update.release import PlannedLayer
from adaptatie.io.update.staging import clear

PDOK_URL_ENV = "ADAPTATIE_PDOK_URL"
CBS_URL_ENV = "ADAPTATIE_CBS_URL"
WATERSCHAPPEN_URL_ENV = "ADAPTATIE_WATERSCHAPPEN_URL"
FIRST_YEAR = 2017

Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class UpdateResult:
    """What an update did (or, with ``dry_run``, would do)."""

    dry_run: bool
    planned: tuple[PlannedLayer, ...]
    release: Path | None = None
    previous: Path | None = None
    manifest: Manifest | None = None
    reused_pages: int = 0
    notes: tuple[str, ...] = ()


def _urls(pdok_url: str | None, cbs_url: str | None, ws_url: str | None) -> tuple[str, str, str]:
    return (
        pdok_url or os.environ.get(PDOK_URL_ENV) or pdok.PDOK_GEBIEDSINDELINGEN,
        cbs_url or os.environ.get(CBS_URL_ENV) or cbs.CBS_OPENDATA,
        ws_url or os.environ.get(WATERSCHAPPEN_URL_ENV) or pdok.PDOK_WATERSCHAPPEN,
    )


def update_data(
    home: Path,
    current_source: Path | None,
    years: Sequence[int] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    pdok_url: str | None = None,
    cbs_url: str | None = None,
    *,
    waterschappen_url: str | None = None,
    client: HttpClient | None = None,
    now: dt.datetime | None = None,
) -> UpdateResult:
    """Fetch the newest boundaries and population into a new release and switch to it.

    Boundary years not fetched are copied from ``current_source`` so the release is complete.
    Raises :class:`DataUpdateError` (Dutch, with the fix) when anything fails; the data in use
    are then unchanged.
    """
    home = Path(home)
    pdok_base, cbs_base, ws_url = _urls(pdok_url, cbs_url, waterschappen_url)
    client = client or HttpClient()
    now = now or dt.datetime.now(dt.UTC)
    today = now.date()
    if not dry_run:
        release.check_writable(home)
    notes: list[str] = []
    try:
        previous = current_release(home)
    except DataFileError as exc:
        previous = None
        notes.append(f"de vorige release is beschadigd en wordt vervangen ({exc})")
    _check_source(current_source)

    if years is None:
        wanted = pdok.available_years(client, pdok_base, FIRST_YEAR, today.year + 1)
        if not wanted:
            raise DataUpdateError(
                f"{pdok.SERVICE} levert geen gemeentegrenzen vanaf {FIRST_YEAR}. {KEEP} "
                "Oplossing: controleer ADAPTATIE_PDOK_URL of probeer het later opnieuw."
            )
    else:
        wanted = tuple(sorted({int(y) for y in years}))
    tables = cbs.catalogue(client, cbs_base, FIRST_YEAR)
    pop_years = [y for y in tables if years is None or y in wanted]

    plan = _plan(current_source, wanted, pop_years, tables, pdok_base, cbs_base, ws_url)
    if dry_run:
        return UpdateResult(True, plan, previous=previous)

    build = release.partial_dir(home) / "release"
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir(parents=True)
    entries: list[ManifestEntry] = []
    pages = release.partial_dir(home) / "pages"
    stores: list[Path] = []
    reused = 0
    try:
        for layer in plan:
            stage = pages / Path(layer.file).stem
            stores.append(stage)
            entry, pages_reused = _build_layer(
                layer, build, stage, client, tables, progress, today, notes
            )
            entries.append(entry)
            reused += pages_reused
        entries.extend(_carry_population(current_source, set(pop_years), build, notes))
        if progress:
            progress("controleren", 0, 1)
        release.validate_folder(build, entries)
        if progress:
            progress("controleren", 1, 1)
    except DataFileError as exc:
        bad = next((s for s in stores if s.name == exc.path.stem), None)
        if bad is not None:
            clear(bad)  # a rejected download must be fetched afresh next time
        raise DataUpdateError(
            f"Een opgehaald bestand is afgekeurd en niet in gebruik genomen. {KEEP} {exc}"
        ) from exc
    except OSError as exc:
        raise DataUpdateError(
            f"Schrijven in {release.partial_dir(home)} mislukte ({exc.strerror or exc}). {KEEP} "
            "Oplossing: maak ruimte vrij of kies een andere werkmap met --home of "
            "ADAPTATIE_HOME en probeer het opnieuw."
        ) from exc
    manifest = Manifest(
        FORMAT_VERSION,
        now.isoformat(timespec="seconds"),
        f"adaptatie data update ({pdok_base}; {cbs_base}; {ws_url})",
        tuple(entries),
    )
    target = release.publish(home, build, manifest, now)
    removed = release.prune(home)
    if removed:
        notes.append(f"oude releases opgeruimd: {', '.join(removed)}")
    clear(release.partial_dir(home))
    return UpdateResult(False, plan, target, previous, manifest, reused, tuple(notes))


def _check_source(current: Path | None) -> None:
    """Refuse to carry files over from a folder whose manifest no longer matches its files."""
    if current is None or not (current / MANIFEST_NAME).is_file():
        return
    try:
        verify_manifest(current)
    except DataFileError as exc:
        raise DataUpdateError(
            f"De gegevens in gebruik ({current}) kloppen niet met hun manifest, dus er wordt "
            f"niets uit overgenomen: {exc} Of: haal alle jaren opnieuw op (laat --years weg) "
            "of geef met --data-dir een map met goede gegevens op."
        ) from exc


def _plan(
    current: Path | None,
    years: tuple[int, ...],
    pop_years: list[int],
    tables: dict[int, str],
    pdok_base: str,
    cbs_base: str,
    ws_url: str,
) -> tuple[PlannedLayer, ...]:
    plan: list[PlannedLayer] = []
    have = release.boundary_files(current, "gemeenten")
    for year in sorted(set(have) - set(years)):
        plan.append(PlannedLayer("gemeenten", year, have[year].name, "overnemen", str(have[year])))
    for year in years:
        url = pdok.items_url(pdok_base, pdok.GEMEENTE_COLLECTION, year)
        plan.append(PlannedLayer("gemeenten", year, f"cbs_gemeenten_{year}.gpkg", "ophalen", url))
    provinces = release.boundary_files(current, "provincies")
    newest = max(provinces) if provinces else None
    if newest is not None and newest > max(years):
        path = provinces[newest]
        plan.append(PlannedLayer("provincies", newest, path.name, "overnemen", str(path)))
    else:
        year = max(years)
        url = pdok.items_url(pdok_base, pdok.PROVINCIE_COLLECTION, year)
        plan.append(PlannedLayer("provincies", year, f"cbs_provincies_{year}.gpkg", "ophalen", url))
    plan.append(PlannedLayer("waterschappen", None, "waterschappen.gpkg", "ophalen", ws_url))
    for year in pop_years:
        url = f"{cbs_base.rstrip('/')}/ODataFeed/odata/{tables[year]}/TypedDataSet"
        plan.append(
            PlannedLayer("bevolking", year, f"cbs_kerncijfers_gemeenten_{year}.csv", "ophalen", url)
        )
    return tuple(plan)


def _build_layer(
    layer: PlannedLayer,
    build: Path,
    stage: Path,
    client: HttpClient,
    tables: dict[int, str],
    progress: Progress | None,
    today: dt.date,
    notes: list[str],
) -> tuple[ManifestEntry, int]:
    target = build / layer.file
    if layer.action == "overnemen":
        source = Path(layer.origin)
        shutil.copy2(source, target)
        return release.carried_entry(source, target, layer.kind, layer.year), 0
    day = today.isoformat()
    reused = 0
    if layer.kind in ("gemeenten", "provincies"):
        assert layer.year is not None
        collection = (
            pdok.GEMEENTE_COLLECTION if layer.kind == "gemeenten" else (pdok.PROVINCIE_COLLECTION)
        )
        what = "gemeentegrenzen" if layer.kind == "gemeenten" else "provinciegrenzen"
        base = layer.origin.split("/collections/")[0]
        features, reused = pdok.fetch_features(
            client, base, collection, layer.year, what, stage, progress
        )
        source = (
            f"CBS/Kadaster gebiedsindeling {layer.kind} {layer.year}, gegeneraliseerd "
            f"(CC-BY 4.0); PDOK OGC API {collection}, opgehaald {day}"
        )
        frame = pdok.features_frame(features, layer.year, f"{what} {layer.year}", source)
        count = pdok.write_gpkg(frame, target)
    elif layer.kind == "waterschappen":
        source = f"Het Waterschapshuis, waterschapsgrenzen (IMSO) via PDOK, opgehaald {day}"
        if progress:
            progress("waterschapsgrenzen", 0, 1)
        count = pdok.fetch_waterschappen(client, layer.origin, stage, target, source)
        if progress:
            progress("waterschapsgrenzen", 1, 1)
    else:
        assert layer.year is not None
        table = tables[layer.year]
        base = layer.origin.split("/ODataFeed/")[0]
        result = cbs.fetch_population(client, base, table, layer.year, stage, progress)
        source = (
            f"CBS Kerncijfers wijken en buurten {layer.year} (tabel {table}, CC-BY 4.0); "
            f"CBS open data, opgehaald {day}"
        )
        count = _write_population(target, result.rows, layer.year, source)
        reused = result.reused
        if result.skipped:
            notes.append(
                f"bevolking {layer.year}: {len(result.skipped)} gemeente(n) zonder aantal "
                f"inwoners bij CBS ({', '.join(result.skipped[:5])})"
            )
    entry = entry_for(
        target,
        layer.kind,
        layer.year,
        source,
        layer.origin,
        day,
        release.licence(layer.kind),
        count,
    )
    return entry, reused


def _write_population(
    target: Path, rows: Sequence[tuple[str, str, int]], year: int, source: str
) -> int:
    frame = pd.DataFrame(
        {
            "statcode": [r[0] for r in rows],
            "statnaam": [r[1] for r in rows],
            "jaar": year,
            "aantal_inwoners": [r[2] for r in rows],
            "bron": source,
        }
    )
    frame.to_csv(target, index=False, encoding="utf-8", lineterminator="\n")
    return len(frame)


def _carry_population(
    current: Path | None, fetched: set[int], build: Path, notes: list[str]
) -> list[ManifestEntry]:
    """Population years not fetched, copied row by row from the current source."""
    files = release.population_files(current)
    if not files:
        return []
    table = read_population(files)
    entries = []
    for year in sorted(set(table.years) - fetched):
        rows = table.frame[table.frame["year"] == year].sort_values("code")
        target = build / f"cbs_kerncijfers_gemeenten_{year}.csv"
        source = table.sources[year]
        count = _write_population(
            target,
            list(zip(rows["code"], [""] * len(rows), rows["inhabitants"], strict=True)),
            year,
            source,
        )
        day = dt.date.fromtimestamp(files[0].stat().st_mtime)
        entries.append(
            entry_for(
                target, "bevolking", year, source, "", day, release.licence("bevolking"), count
            )
        )
        notes.append(f"bevolking {year}: overgenomen uit {files[0].parent}")
    return entries
