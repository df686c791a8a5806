"""Object layers (buildings, roads, vital and vulnerable objects, population grid): read and check.

Every file is checked like a boundary file: a CRS (other CRSs are reprojected to RD New; metre
coordinates that claim degrees are refused), the columns the user mapped, the geometry type of the
kind (footprints and grid cells are polygons, roads lines, objects points or polygons), no empty
geometries, unique ids. Problems are a :class:`DataFileError` naming the file, what is wrong and
the fix. The user maps their column names once (:class:`ColumnMap`); the defaults are the names
of the open-data schemas:

* BAG GeoPackage of PDOK (``bag-light.gpkg``): layer ``pand`` (``identificatie``) and layer
  ``verblijfsobject`` (``identificatie``, ``gebruiksdoel``, ``pand_identificatie``); dwellings and
  vulnerable uses per building are counted from the verblijfsobjecten in the same file.
* NWB wegvakken (Rijkswaterstaat): ``WVK_ID``, ``STT_NAAM``; lines.
* CBS vierkantstatistieken 100 m: ``crs28992res100m``, ``aantal_inwoners`` (negative values such
  as -99997 are CBS's code for a suppressed value: kept as unknown, never as a count).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from adaptatie.errors import DataFileError
from adaptatie.limits import Limit, megabytes

RD_NEW = "EPSG:28992"
OBJECTS_MB = Limit("ADAPTATIE_MAX_OBJECTS_MB", 2000, "MB", "de bestandsgrootte")

KINDS = {
    "gebouwen": "Gebouwen (BAG-panden)",
    "wegen": "Wegen (NWB-wegvakken)",
    "objecten": "Vitale en kwetsbare objecten",
    "bevolking": "Bevolking (CBS-vierkanten 100 m)",
}
#: Columns per kind: role -> (default column name, required, Dutch description).
ROLES: dict[str, dict[str, tuple[str, bool, str]]] = {
    "gebouwen": {"id": ("identificatie", True, "pand-id")},
    "wegen": {
        "id": ("WVK_ID", True, "wegvak-id"),
        "name": ("STT_NAAM", False, "straatnaam"),
    },
    "objecten": {
        "id": ("id", True, "object-id"),
        "category": ("categorie", True, "categorie (school, zorginstelling, gemaal, ...)"),
        "name": ("naam", False, "naam"),
    },
    "bevolking": {
        "id": ("crs28992res100m", True, "vierkant-id"),
        "inhabitants": ("aantal_inwoners", True, "aantal inwoners"),
    },
}
GEOMETRY = {  # shapely type ids allowed per kind, and the Dutch name of what is needed
    "gebouwen": ((3, 6), "vlakken (polygonen, de pandcontouren)"),
    "wegen": ((1, 5), "lijnen (wegvakken)"),
    "objecten": ((0, 3, 4, 6), "punten of vlakken"),
    "bevolking": ((3, 6), "vlakken (de vierkanten)"),
}
BAG_LAYERS = ("pand", "verblijfsobject")
VBO_COLUMNS = ("identificatie", "gebruiksdoel", "pand_identificatie")
DWELLING_USE = "woonfunctie"
VULNERABLE_USES = ("gezondheidszorgfunctie", "onderwijsfunctie", "celfunctie")


@dataclass(frozen=True)
class ColumnMap:
    """The user's column names per role; missing roles take the kind's defaults."""

    kind: str
    columns: dict[str, str] = field(default_factory=dict)
    layer: str = ""  # GeoPackage layer; "" = the first (``pand`` for a BAG GeoPackage)

    def column(self, role: str) -> str:
        return self.columns.get(role) or ROLES[self.kind][role][0]


@dataclass(frozen=True)
class LoadedObjects:
    """A checked object layer in RD New with the standard columns of its kind."""

    kind: str
    frame: gpd.GeoDataFrame  # id, geometry, + kind columns (see _standard)
    notes: tuple[str, ...]


def read_objects(path: Path, columns: ColumnMap) -> LoadedObjects:
    """Read and check an object file (``.gpkg``, ``.geojson``/``.json`` or a shapefile ``.zip``)."""
    path = Path(path)
    if columns.kind not in KINDS:
        raise DataFileError(
            path, f"onbekende soort objectlaag '{columns.kind}'.", f"kies uit {', '.join(KINDS)}."
        )
    OBJECTS_MB.check(
        megabytes(path.stat().st_size),
        "knip het bestand bij tot het studiegebied (bijv. met ogr2ogr -clipsrc).",
    )
    suffix = path.suffix.lower()
    if suffix not in (".gpkg", ".geojson", ".json", ".zip"):
        raise DataFileError(
            path,
            f"bestandssoort '{suffix}' wordt niet gelezen.",
            "lever een GeoPackage (.gpkg), GeoJSON of een shapefile als .zip.",
        )
    layers = _layers(path)
    layer = columns.layer or ("pand" if "pand" in layers else (layers[0] if layers else None))
    if columns.layer and columns.layer not in layers:
        raise DataFileError(
            path,
            f"de laag '{columns.layer}' staat niet in het bestand (wel: {', '.join(layers)}).",
            "kies een van de lagen uit de lijst.",
        )
    frame = _read(path, layer)
    notes: list[str] = []
    frame = _check_crs(frame, path, notes)
    frame = _standard(frame, path, columns)
    if columns.kind == "gebouwen" and "verblijfsobject" in layers:
        frame = _with_uses(frame, _read(path, "verblijfsobject"), path, notes)
    return LoadedObjects(columns.kind, frame, tuple(notes))


def _layers(path: Path) -> list[str]:
    import pyogrio

    try:
        return [str(name) for name in pyogrio.list_layers(_vsi(path))[:, 0]]
    except Exception as exc:  # pyogrio raises its own DataSourceError family
        raise DataFileError(
            path,
            "het bestand is geen leesbaar geobestand.",
            "controleer of het volledig gedownload is en open het in QGIS.",
        ) from exc


def _vsi(path: Path) -> str:
    return f"/vsizip/{path}" if path.suffix.lower() == ".zip" else str(path)


def _read(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    try:
        return gpd.read_file(_vsi(path), layer=layer, engine="pyogrio")
    except Exception as exc:
        raise DataFileError(
            path,
            f"de laag {layer or ''} kan niet gelezen worden.",
            "controleer het bestand in QGIS of download het opnieuw.",
        ) from exc


def _check_crs(frame: gpd.GeoDataFrame, path: Path, notes: list[str]) -> gpd.GeoDataFrame:
    if frame.crs is None:
        raise DataFileError(
            path,
            "het bestand heeft geen coördinatenstelsel (CRS).",
            "sla het opnieuw op met een CRS, bij voorkeur EPSG:28992 (RD New).",
        )
    if len(frame) and frame.crs.is_geographic:
        minx, miny, maxx, maxy = frame.total_bounds
        if max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90:
            raise DataFileError(
                path,
                f"het bestand zegt graden ({frame.crs.to_string()}) te gebruiken, maar de "
                f"coördinaten ({minx:.0f}, {miny:.0f}) zijn meters.",
                "geef het juiste CRS aan: ogr2ogr -a_srs EPSG:28992 uit.gpkg in.gpkg.",
            )
    if frame.crs.to_epsg() != 28992:
        notes.append(f"{path.name}: omgerekend van {frame.crs.to_string()} naar EPSG:28992.")
        frame = frame.to_crs(RD_NEW)
    return frame


def _standard(frame: gpd.GeoDataFrame, path: Path, columns: ColumnMap) -> gpd.GeoDataFrame:
    kind = columns.kind
    if frame.empty:
        raise DataFileError(
            path, "het bestand bevat geen objecten.", "kies het juiste bestand of de juiste laag."
        )
    roles = ROLES[kind]
    missing = [
        f"{columns.column(r)} ({desc})"
        for r, (_, required, desc) in roles.items()
        if required and columns.column(r) not in frame.columns
    ]
    if missing:
        found = ", ".join(str(c) for c in frame.columns if c != frame.geometry.name)
        raise DataFileError(
            path,
            f"kolom(men) ontbreken: {', '.join(missing)}. Gevonden: {found}.",
            "wijs bij het toevoegen de kolommen van uw bestand toe.",
        )
    ids = frame[columns.column("id")].astype(str).str.strip()
    if (ids == "").any() or frame[columns.column("id")].isna().any():
        raise DataFileError(path, "er zijn objecten zonder id.", "geef elk object een id.")
    duplicate = ids[ids.duplicated()].unique().tolist()
    if duplicate:
        raise DataFileError(
            path,
            f"dubbele id's: {', '.join(duplicate[:10])}.",
            "geef elk object een eigen id of verwijder de dubbele objecten.",
        )
    geoms = frame.geometry.to_numpy()
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.any():
        raise DataFileError(
            path,
            f"objecten zonder geometrie: {', '.join(ids[empty][:10])}.",
            "verwijder deze objecten of gebruik een volledige download.",
        )
    allowed, needed = GEOMETRY[kind]
    wrong = ~np.isin(shapely.get_type_id(geoms), allowed)
    if wrong.any():
        kinds = ", ".join(sorted(set(shapely.get_type_id(geoms[wrong]).astype(str))))
        raise DataFileError(
            path,
            f"{int(wrong.sum())} object(en) hebben het verkeerde geometrietype (bijv. "
            f"{', '.join(ids[wrong][:5])}; typecode {kinds}); nodig zijn {needed}.",
            f"lever voor '{KINDS[kind]}' een bestand met {needed}.",
        )
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    out = gpd.GeoDataFrame({"id": ids.to_numpy()}, geometry=geoms, crs=RD_NEW)
    if kind == "objecten":
        out["category"] = frame[columns.column("category")].fillna("onbekend").astype(str)
    if kind in ("wegen", "objecten"):
        name = columns.column("name")
        out["name"] = frame[name].fillna("").astype(str) if name in frame.columns else ""
    if kind == "bevolking":
        raw = pd.to_numeric(frame[columns.column("inhabitants")], errors="coerce")
        out["inhabitants"] = raw.where(raw >= 0)  # CBS suppressed (-99997) and blanks: unknown
    if kind == "gebouwen":
        out["dwellings"] = 0
        out["vulnerable"] = 0
    return out


def _with_uses(
    panden: gpd.GeoDataFrame, vbo: pd.DataFrame, path: Path, notes: list[str]
) -> gpd.GeoDataFrame:
    missing = [c for c in VBO_COLUMNS if c not in vbo.columns]
    if missing:
        raise DataFileError(
            path,
            f"de laag verblijfsobject mist kolom(men) {', '.join(missing)}.",
            "gebruik de BAG-GeoPackage van PDOK (bag-light.gpkg) ongewijzigd.",
        )
    uses = vbo["gebruiksdoel"].fillna("").astype(str).str.lower()
    pand = vbo["pand_identificatie"].fillna("").astype(str).str.split(",")
    rows = pd.DataFrame({"pand": pand, "uses": uses}).explode("pand")
    rows["pand"] = rows["pand"].str.strip()
    dwelling = rows["uses"].str.contains(DWELLING_USE, regex=False)
    vulnerable = rows["uses"].apply(lambda u: any(v in u for v in VULNERABLE_USES))
    counts = pd.DataFrame({"dwellings": dwelling, "vulnerable": vulnerable}).groupby(rows["pand"])
    totals = counts.sum()
    panden = panden.copy()
    panden["dwellings"] = panden["id"].map(totals["dwellings"]).fillna(0).astype(int)
    panden["vulnerable"] = panden["id"].map(totals["vulnerable"]).fillna(0).astype(int)
    orphans = len(set(rows["pand"]) - set(panden["id"]) - {""})
    if orphans:
        notes.append(
            f"{path.name}: {orphans} pand-id('s) van verblijfsobjecten niet gevonden "
            "in de laag pand (buiten het bestand); niet meegeteld."
        )
    return panden
