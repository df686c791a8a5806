"""Object layers (buildings, roads, vital and vulnerable objects, population grid): read and check.

Every file is checked like a boundary file: a CRS (other CRSs are reprojected to RD New; metre
coordinates that claim degrees are refused), the columns the user mapped, the geometry type of the
kind (footprints and grid cells are polygons, roads lines or polygons, objects points or
polygons), no empty
geometries, unique ids. Problems are a :class:`DataFileError` naming the file, what is wrong and
the fix. The user maps their column names once (:class:`ColumnMap`); the defaults are the names
of the open-data schemas:

* BAG GeoPackage of PDOK (``bag-light.gpkg``): layer ``pand`` (``identificatie``) and layer
  ``verblijfsobject`` (``identificatie``, ``gebruiksdoel``, ``pand_identificatie``); dwellings and
  vulnerable uses per building are counted from the verblijfsobjecten in the same file.
* NWB wegvakken (Rijkswaterstaat): ``WVK_ID``, ``STT_NAAM``; lines (length per class).
* BGT wegdelen (PDOK): polygons (road *area* per class). The attribute names differ per PDOK
  delivery, so the first present of :data:`CANDIDATES` is taken (case-insensitive): the OGC API
  (``api.pdok.nl/lv/bgt/ogc/v1/collections/wegdeel``) gives ``lokaal_id``, ``functie`` and
  ``fysiek_voorkomen``; the download API's GML light gives ``bgt-functie``, ``plus-functie``
  and ``identificatie.lokaalID`` (as GeoTools names them: B3Partners brmo,
  ``nl.b3p.brmo.loader.gml.light.Wegdeel``); CityGML gives ``function`` (a TrafficArea).
  Sources: the Geonovum IMGeo objectenhandboek (``bgt-wegdeel.md``: ``functie``,
  ``fysiekVoorkomen``; ``identificatie/lokaalID``), PDOK's OGC API collection schemas
  (``lokaal_id``) and the brmo loader; looked up with a code search, not from a live file.
  A file mixing lines and polygons is refused (add NWB and BGT as two layers).
* CBS vierkantstatistieken 100 m: ``crs28992res100m``, ``aantal_inwoners`` (negative values such
  as -99997 are CBS's code for a suppressed value: kept as unknown, never as a count).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from adaptatie.errors import DataFileError
from adaptatie.exposure.files import chosen_layer, layer_names, read_layer
from adaptatie.limits import Limit, megabytes

RD_NEW = "EPSG:28992"
OBJECTS_MB = Limit("ADAPTATIE_MAX_OBJECTS_MB", 2000, "MB", "de bestandsgrootte")

KINDS = {
    "gebouwen": "Gebouwen (BAG-panden)",
    "wegen": "Wegen (NWB-wegvakken of BGT-wegdelen)",
    "objecten": "Vitale en kwetsbare objecten",
    "bevolking": "Bevolking (CBS-vierkanten 100 m)",
}
#: Columns per kind: role -> (default column name, required, Dutch description).
ROLES: dict[str, dict[str, tuple[str, bool, str]]] = {
    "gebouwen": {"id": ("identificatie", True, "pand-id")},
    "wegen": {
        "id": ("WVK_ID", True, "wegvak-id (NWB) of lokaal_id (BGT-wegdeel)"),
        "name": ("STT_NAAM", False, "straatnaam (NWB)"),
        "function": ("functie", False, "functie (BGT-wegdeel, bijv. rijbaan lokale weg)"),
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
#: Other names a role's column has in the open-data deliveries (matched case-insensitively,
#: after the default); see the module docstring for where the BGT names come from.
CANDIDATES: dict[tuple[str, str], tuple[str, ...]] = {
    ("wegen", "id"): (
        "lokaal_id",
        "lokaalID",
        "identificatie.lokaalID",
        "identificatie_lokaalid",
        "identificatie_lokaal_id",
        "identificatie",
    ),
    ("wegen", "function"): ("bgt-functie", "bgt_functie", "function"),
}
#: Dutch role names for a command line (``--column naam=STT_NAAM``).
ROLE_WORDS = {
    "id": "id",
    "name": "naam",
    "category": "categorie",
    "inhabitants": "inwoners",
    "function": "functie",
}
GEOMETRY = {  # shapely type ids allowed per kind, and the Dutch name of what is needed
    "gebouwen": ((3, 6), "vlakken (polygonen, de pandcontouren)"),
    "wegen": ((1, 5, 3, 6), "lijnen (NWB-wegvakken) of vlakken (BGT-wegdelen)"),
    "objecten": ((0, 3, 4, 6), "punten of vlakken"),
    "bevolking": ((3, 6), "vlakken (de vierkanten)"),
}
LINES, AREAS = "lijnen", "vlakken"  # the two shapes of a road layer
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


def default_column(kind: str, role: str, found: Sequence[str]) -> str | None:
    """The column of ``found`` a role takes when the user maps none: the kind's default or one
    of its :data:`CANDIDATES` (case-insensitive, in that order), else None."""
    by_lower = {str(c).lower(): str(c) for c in found}
    for name in (ROLES[kind][role][0], *CANDIDATES.get((kind, role), ())):
        if name.lower() in by_lower:
            return by_lower[name.lower()]
    return None


def expected_names(kind: str, role: str) -> str:
    """``WVK_ID (wegvak-id ...; ook herkend: lokaal_id, ...)`` for a message."""
    default, _, desc = ROLES[kind][role]
    others = CANDIDATES.get((kind, role), ())
    also = f"; ook herkend: {', '.join(others)}" if others else ""
    return f"{default} ({desc}{also})"


@dataclass(frozen=True)
class LoadedObjects:
    """A checked object layer in RD New with the standard columns of its kind."""

    kind: str
    frame: gpd.GeoDataFrame  # id, geometry, + kind columns (see _standard)
    notes: tuple[str, ...]

    @property
    def shape(self) -> str:
        """Roads: :data:`LINES` (NWB) or :data:`AREAS` (BGT wegdelen); other kinds: ""."""
        return road_shape(self.frame) if self.kind == "wegen" else ""


def road_shape(frame: gpd.GeoDataFrame) -> str:
    """:data:`AREAS` when the roads are polygons (BGT wegdelen), else :data:`LINES` (a road
    file never mixes the two, see :func:`read_objects`)."""
    types = shapely.get_type_id(frame.geometry.to_numpy())
    return AREAS if np.isin(types, (3, 6)).any() else LINES


def read_objects(path: Path, columns: ColumnMap) -> LoadedObjects:
    """Read and check an object file (``.gpkg``, ``.geojson``/``.json`` or a shapefile ``.zip``)."""
    path = Path(path)
    if not path.is_file():
        raise DataFileError(
            path,
            "het bestand bestaat niet (of is een map).",
            "controleer het pad en de naam van het bestand.",
        )
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
    layers = layer_names(path)
    layer = chosen_layer(path, layers, columns.layer)
    frame = read_layer(path, layer)
    notes: list[str] = []
    frame = _check_crs(frame, path, notes)
    frame = _standard(frame, path, columns)
    if columns.kind == "gebouwen" and "verblijfsobject" in layers:
        frame = _with_uses(frame, read_layer(path, "verblijfsobject"), path, notes)
    return LoadedObjects(columns.kind, frame, tuple(notes))


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
    found = [str(c) for c in frame.columns if c != frame.geometry.name]
    unknown = sorted(set(columns.columns) - set(ROLES[kind]))
    if unknown:
        raise DataFileError(
            path,
            f"onbekende rol(len) voor '{KINDS[kind]}': {', '.join(unknown)}.",
            f"gebruik {', '.join(ROLE_WORDS[r] for r in ROLES[kind])}.",
        )
    chosen: dict[str, str | None] = {}
    missing = []
    for role, (_, required, desc) in ROLES[kind].items():
        mapped = columns.columns.get(role)
        if mapped:  # mapped by the user: it must be there
            chosen[role] = mapped if mapped in found else None
            if chosen[role] is None:
                missing.append(f"{mapped} ({desc})")
        else:
            chosen[role] = default_column(kind, role, found)
            if chosen[role] is None and required:
                missing.append(expected_names(kind, role))
    if missing:
        raise DataFileError(
            path,
            f"kolom(men) ontbreken: {', '.join(missing)}. Gevonden: {', '.join(found)}.",
            "wijs bij het toevoegen de kolommen van uw bestand toe (op de pagina, of met "
            "--column ROL=KOLOM).",
        )
    id_column = str(chosen["id"])
    ids = frame[id_column].astype(str).str.strip()
    if (ids == "").any() or frame[id_column].isna().any():
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
    types = shapely.get_type_id(geoms)
    wrong = ~np.isin(types, allowed)
    if wrong.any():
        kinds = ", ".join(sorted(set(types[wrong].astype(str))))
        raise DataFileError(
            path,
            f"{int(wrong.sum())} object(en) hebben het verkeerde geometrietype (bijv. "
            f"{', '.join(ids[wrong][:5])}; typecode {kinds}); nodig zijn {needed}.",
            f"lever voor '{KINDS[kind]}' een bestand met {needed}.",
        )
    if kind == "wegen" and np.isin(types, (1, 5)).any() and np.isin(types, (3, 6)).any():
        raise DataFileError(
            path,
            "het bestand mengt lijnen (wegvakken) en vlakken (wegdelen).",
            "voeg NWB-wegvakken (lijnen) en BGT-wegdelen (vlakken) als twee objectlagen toe.",
        )
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    out = gpd.GeoDataFrame({"id": ids.to_numpy()}, geometry=geoms, crs=RD_NEW)

    def text(role: str) -> np.ndarray | str:
        name = chosen.get(role)
        return frame[name].fillna("").astype(str).to_numpy() if name else ""

    if kind == "objecten":
        out["category"] = frame[str(chosen["category"])].fillna("onbekend").astype(str).to_numpy()
    if kind in ("wegen", "objecten"):
        out["name"] = text("name")
    if kind == "wegen":
        out["function"] = text("function")
    if kind == "bevolking":
        raw = pd.to_numeric(frame[str(chosen["inhabitants"])], errors="coerce")
        out["inhabitants"] = raw.where(raw >= 0).to_numpy()  # CBS suppressed (-99997): unknown
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
