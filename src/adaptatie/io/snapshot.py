"""The embedded snapshot of the source data: a compact copy that ships with adaptatie.

``geodata/snapshot/`` holds the CBS municipal boundaries of every year, the provinces, the water
boards and the population table in the same layout as any source folder (one GeoPackage per
layer, one CSV), plus a ``manifest.json`` with source, date, licence, feature count and SHA-256
per file. It is built from a source folder (``../shared/geodata`` in development) by
``scripts/build_snapshot.py``; every layer is read through the same validation as any other
source before it is written, and the app validates it again when it loads it.

Compact means: only the columns the app reads (code, name, year, provenance), no spatial index
(GeoPackage R-trees are larger than these generalised boundaries), and a fixed timestamp in the
GeoPackage metadata so that rebuilding from the same source gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from adaptatie.io.boundaries import GEMEENTEN, PROVINCIES, WATERSCHAPPEN, LayerSpec, LoadedLayer
from adaptatie.io.manifest import Manifest, ManifestEntry, entry_for, write_manifest
from adaptatie.io.store import SourceFolder

LICENCE_CBS = "CC-BY 4.0 (CBS, Kadaster)"
LICENCE_WATERSCHAPPEN = "open data (Het Waterschapshuis, via PDOK)"
ORIGIN = "momentopname meegeleverd met adaptatie"


def build_snapshot(source: Path, target: Path, today: dt.date | None = None) -> Manifest:
    """Write the snapshot of the source folder ``source`` into ``target`` (replaced whole).

    The new snapshot is assembled in a temporary folder beside ``target`` and moved into place
    only when every layer has been validated and written.
    """
    day = today or dt.date.today()
    folder = SourceFolder(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".snapshot-", dir=target.parent))
    try:
        entries: list[ManifestEntry] = []
        for year in folder.years:
            layer = folder.gemeenten(year)
            entries.append(_write_layer(layer, GEMEENTEN, staging, f"cbs_gemeenten_{year}",
                                        "gemeenten", year, day))
        provincies = folder.provincies()
        entries.append(
            _write_layer(provincies, PROVINCIES, staging, provincies.path.stem, "provincies",
                         _year_of(provincies.path.stem), day)
        )
        entries.append(
            _write_layer(folder.waterschappen(), WATERSCHAPPEN, staging, "waterschappen",
                         "waterschappen", None, day)
        )
        entries.extend(_write_population(folder, staging, day))
        manifest = Manifest(1, dt.datetime.combine(day, dt.time()).isoformat(), ORIGIN,
                            tuple(entries))
        write_manifest(staging, manifest)
        staging.chmod(0o755)  # mkdtemp and mkstemp create private folders and files
        for path in staging.iterdir():
            path.chmod(0o644)
        if target.exists():
            shutil.rmtree(target)
        staging.replace(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _write_layer(
    layer: LoadedLayer,
    spec: LayerSpec,
    folder: Path,
    name: str,
    kind: str,
    year: int | None,
    day: dt.date,
) -> ManifestEntry:
    frame = layer.frame.rename(columns={"code": spec.code_column, "name": spec.name_column})
    if year is not None:
        frame["jaar"] = year
    frame["bron"] = layer.source
    columns = [spec.code_column, spec.name_column, *(["jaar"] if year else []), "bron"]
    frame = frame[[*columns, "geometry"]].sort_values(spec.code_column).reset_index(drop=True)
    path = folder / f"{name}.gpkg"
    stamp = dt.datetime.combine(day, dt.time()).strftime("%Y-%m-%dT%H:%M:%SZ")
    previous = os.environ.get("OGR_CURRENT_DATE")
    os.environ["OGR_CURRENT_DATE"] = stamp  # GDAL writes this into gpkg_contents
    try:
        frame.to_file(path, driver="GPKG", engine="pyogrio", layer=name, SPATIAL_INDEX="NO")
    finally:
        if previous is None:
            os.environ.pop("OGR_CURRENT_DATE", None)
        else:
            os.environ["OGR_CURRENT_DATE"] = previous
    with sqlite3.connect(path) as db:
        db.execute("VACUUM")
    licence = LICENCE_WATERSCHAPPEN if kind == "waterschappen" else LICENCE_CBS
    return entry_for(path, kind, year, layer.source, _url(layer.path), day, licence, len(frame))


def _write_population(folder: SourceFolder, target: Path, day: dt.date) -> list[ManifestEntry]:
    table = folder.population()
    if not table.years:
        return []
    frame = table.frame.rename(
        columns={"code": "statcode", "year": "jaar", "inhabitants": "aantal_inwoners"}
    ).sort_values(["jaar", "statcode"])
    frame["bron"] = frame["jaar"].map(table.sources)
    years = "_".join(str(y) for y in table.years)
    path = target / f"cbs_kerncijfers_gemeenten_{years}.csv"
    frame[["statcode", "jaar", "aantal_inwoners", "bron"]].to_csv(
        path, index=False, encoding="utf-8", lineterminator="\n"
    )
    sources = "; ".join(dict.fromkeys(table.sources[y] for y in table.years))
    urls = ", ".join(_url(p) for p in table.paths)
    return [entry_for(path, "bevolking", None, sources, urls, day, LICENCE_CBS, len(frame))]


def _url(path: Path) -> str:
    """Where a layer was taken from: the file name in the source folder."""
    return f"bronmap/{path.name}"


def _year_of(stem: str) -> int | None:
    tail = stem.rsplit("_", 1)[-1]
    return int(tail) if tail.isdigit() else None
