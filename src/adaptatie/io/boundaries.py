"""Read and validate boundary files (CBS municipalities and provinces, water boards).

Every file is validated once, when it is loaded: it must have a CRS (it is reprojected to
EPSG:28992 when it has another one), the required columns, unique non-empty codes and polygon
geometries. Invalid geometries are repaired and the repair is reported in ``notes``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from adaptatie.errors import DataFileError

RD_NEW = "EPSG:28992"


@dataclass(frozen=True)
class LayerSpec:
    """How a kind of boundary file is laid out."""

    label: str  # Dutch, for messages
    code_column: str
    name_column: str
    code_pattern: str
    example_code: str


GEMEENTEN = LayerSpec("gemeentegrenzen", "statcode", "statnaam", r"GM\d{4}", "GM0014")
PROVINCIES = LayerSpec("provinciegrenzen", "statcode", "statnaam", r"PV\d{2}", "PV20")
WATERSCHAPPEN = LayerSpec("waterschapsgrenzen", "code", "naam", r"WS\d{2}|WBL", "WS17")


@dataclass(frozen=True)
class LoadedLayer:
    """A validated boundary layer in EPSG:28992 with columns ``code``, ``name``, ``geometry``.

    ``source`` is the provenance text of the file (its ``bron`` column, else the file name);
    ``notes`` lists repairs made on load (Dutch, for display).
    """

    frame: gpd.GeoDataFrame
    path: Path
    source: str
    notes: tuple[str, ...] = ()


def read_boundaries(path: Path, spec: LayerSpec) -> LoadedLayer:
    """Read a vector file and validate it against ``spec``."""
    if not path.is_file():
        raise DataFileError(
            path,
            f"het bestand met {spec.label} ontbreekt in {path.parent}.",
            "download het bestand opnieuw van PDOK/CBS of zet ADAPTATIE_DATA_DIR op de juiste map.",
        )
    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as exc:
        raise DataFileError(
            path,
            f"het bestand is geen leesbaar GeoJSON/GeoPackage-bestand ({_short(exc)}).",
            "controleer of de download volledig is en sla het opnieuw op als GeoJSON of "
            "GeoPackage.",
        ) from exc
    return validate_boundaries(frame, path, spec)


def validate_boundaries(frame: gpd.GeoDataFrame, path: Path, spec: LayerSpec) -> LoadedLayer:
    """Validate and normalise a boundary frame read from ``path``."""
    notes: list[str] = []
    if len(frame) == 0:
        raise DataFileError(
            path, f"het bestand bevat geen {spec.label}.", "gebruik een volledige download."
        )
    frame = _check_crs(frame, path, notes)
    missing = [c for c in (spec.code_column, spec.name_column) if c not in frame.columns]
    if missing:
        raise DataFileError(
            path,
            f"verplichte kolom(men) ontbreken: {', '.join(missing)} "
            f"(aanwezig: {', '.join(c for c in frame.columns if c != 'geometry')}).",
            f"zorg dat de code in kolom '{spec.code_column}' staat (bijv. {spec.example_code}) "
            f"en de naam in kolom '{spec.name_column}'.",
        )
    codes = frame[spec.code_column]
    if codes.isna().any() or (codes.astype(str).str.strip() == "").any():
        rows = [
            str(i + 1)
            for i in range(len(frame))
            if pd.isna(codes.iloc[i]) or not str(codes.iloc[i]).strip()
        ]
        raise DataFileError(
            path,
            f"lege code in kolom '{spec.code_column}' bij object(en) {', '.join(rows[:10])}.",
            "vul voor elk object de CBS- of waterschapscode in.",
        )
    codes = codes.astype(str).str.strip()
    bad = sorted({c for c in codes if not re.fullmatch(spec.code_pattern, c)})
    if bad:
        raise DataFileError(
            path,
            f"ongeldige code(s) in kolom '{spec.code_column}': {', '.join(bad[:10])}.",
            f"codes hebben de vorm {spec.example_code}; controleer of de juiste kolom is gebruikt.",
        )
    duplicated = sorted(set(codes[codes.duplicated()]))
    if duplicated:
        raise DataFileError(
            path,
            f"code(s) komen meer dan eens voor: {', '.join(duplicated[:10])}.",
            "elke code mag maar één keer voorkomen; voeg delen samen tot één multipolygoon.",
        )
    geometry = _check_geometry(frame, codes, path, notes)
    source = path.name
    if "bron" in frame.columns and frame["bron"].notna().any():
        source = str(frame["bron"].dropna().iloc[0])
    out = gpd.GeoDataFrame(
        {
            "code": codes.to_numpy(),
            "name": frame[spec.name_column].astype(str).str.strip().to_numpy(),
        },
        geometry=geometry,
        crs=RD_NEW,
    )
    return LoadedLayer(out, path, source, tuple(notes))


def _check_crs(frame: gpd.GeoDataFrame, path: Path, notes: list[str]) -> gpd.GeoDataFrame:
    if frame.crs is None:
        raise DataFileError(
            path,
            "het bestand heeft geen coördinatenstelsel (CRS).",
            "sla het bestand opnieuw op met een CRS, bij voorkeur EPSG:28992 (RD New), "
            "bijvoorbeeld met: ogr2ogr -a_srs EPSG:28992 uit.gpkg in.shp.",
        )
    minx, miny, maxx, maxy = frame.total_bounds
    if frame.crs.is_geographic and (
        abs(minx) > 180 or abs(maxx) > 180 or abs(miny) > 90 or abs(maxy) > 90
    ):
        raise DataFileError(
            path,
            f"het bestand zegt graden (lengte/breedte, {frame.crs.to_string()}) te gebruiken, "
            f"maar de coördinaten ({minx:.0f}, {miny:.0f}) zijn meters; vermoedelijk RD New "
            "zonder CRS-vermelding.",
            "geef het juiste CRS aan, bijvoorbeeld met: "
            "ogr2ogr -a_srs EPSG:28992 uit.gpkg in.geojson.",
        )
    if frame.crs.to_epsg() != 28992:
        notes.append(
            f"{path.name}: omgerekend van {frame.crs.to_string()} naar EPSG:28992 (RD New)."
        )
        frame = frame.to_crs(RD_NEW)
    return frame


def _check_geometry(
    frame: gpd.GeoDataFrame, codes: pd.Series, path: Path, notes: list[str]
) -> gpd.GeoSeries:
    geoms = frame.geometry.to_numpy()
    empty = [codes.iloc[i] for i, g in enumerate(geoms) if g is None or g.is_empty]
    if empty:
        raise DataFileError(
            path,
            f"object(en) zonder geometrie: {', '.join(empty[:10])}.",
            "verwijder deze objecten of gebruik een volledige download.",
        )
    geoms = geoms.copy()
    collections = shapely.get_type_id(geoms) == 7
    if collections.any():
        geoms[collections] = [polygonal_part(g) for g in geoms[collections]]
        names = ", ".join(codes[collections].tolist()[:10])
        notes.append(
            f"{path.name}: alleen de vlakken van een geometrieverzameling gebruikt voor {names}."
        )
    polygonal = shapely.get_type_id(geoms)
    not_polygon = [
        codes.iloc[i] for i, t in enumerate(polygonal) if t not in (3, 6) or geoms[i].is_empty
    ]
    if not_polygon:
        raise DataFileError(
            path,
            f"object(en) zijn geen vlak (polygoon): {', '.join(not_polygon[:10])}.",
            "gebruik een bestand met grensvlakken, geen punten of lijnen.",
        )
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        repaired = shapely.make_valid(geoms[invalid])
        geoms[invalid] = [polygonal_part(g) for g in repaired]
        names = ", ".join(codes[invalid].tolist()[:10])
        notes.append(f"{path.name}: ongeldige geometrie hersteld voor {names}.")
    return gpd.GeoSeries(geoms, crs=RD_NEW)


def polygonal_part(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep the polygons of a repaired geometry (make_valid may add lines or points)."""
    if shapely.get_type_id(geom) in (3, 6):
        return geom
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in (3, 6)]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
