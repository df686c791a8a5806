"""Boundaries prepared for the browser: simplified without gaps or overlaps, in WGS84.

Municipalities of a year are simplified as one coverage (shared edges stay shared), in RD New,
before reprojection. Clusters, cooperations, werkregio's and provinces are then dissolved from the
simplified municipalities, so their edges coincide exactly with the municipal edges on the map.
Water boards, clipped to the map area, are simplified as a coverage of their own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from adaptatie.io.boundaries import RD_NEW
from adaptatie.regions.atlas import Atlas, dissolve
from adaptatie.regions.models import RegionKind

WGS84 = "EPSG:4326"
DEFAULT_TOLERANCE_M = 40.0
COORDINATE_DECIMALS = 5  # about 1 m
# Drawing order on the map, bottom first.
DRAW_ORDER = (
    RegionKind.GEMEENTE,
    RegionKind.WATERSCHAP,
    RegionKind.PROVINCIE,
    RegionKind.WERKREGIO,
    RegionKind.SAMENWERKINGSVERBAND,
    RegionKind.CLUSTER,
)


@dataclass(frozen=True)
class MapLayer:
    """One layer ready for the map: GeoJSON text plus what the legend and panel need."""

    kind: RegionKind
    year: int
    geojson: str  # FeatureCollection in EPSG:4326, properties id, kind, naam, soort, jaar
    count: int
    bounds: tuple[float, float, float, float]  # lon/lat: west, south, east, north

    @property
    def size_bytes(self) -> int:
        return len(self.geojson.encode("utf-8"))


def simplify_coverage(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Topology-preserving simplification of polygons that tile without overlap.

    The input is snapped to a millimetre grid first: ``coverage_simplify`` silently leaves an
    invalid coverage under-simplified, and snapping removes the tiny mismatches that make it so.
    """
    snapped = shapely.set_precision(geoms, 0.001)
    return shapely.coverage_simplify(snapped, tolerance, simplify_boundary=True)


def map_layers(
    atlas: Atlas, year: int, tolerance: float = DEFAULT_TOLERANCE_M
) -> dict[RegionKind, MapLayer]:
    """Every boundary layer of ``year`` for the map, in drawing order (bottom first)."""
    gemeenten = atlas.gemeenten(year)
    simple = simplify_coverage(gemeenten.geometry.to_numpy(), tolerance)
    by_code = dict(zip(gemeenten["code"], simple, strict=True))
    layers: dict[RegionKind, MapLayer] = {}
    for kind in DRAW_ORDER:
        regions = atlas.regions(year, kind)
        if kind is RegionKind.WATERSCHAP:
            geoms = _waterschappen(atlas, regions, shapely.union_all(simple), tolerance)
        else:
            geoms = [dissolve(r, by_code) for r in regions]
        frame = gpd.GeoDataFrame(
            {
                "id": [r.id for r in regions],
                "kind": [kind.value for _ in regions],
                "naam": [r.name for r in regions],
                "soort": [kind.label for _ in regions],
                "jaar": [year for _ in regions],
            },
            geometry=geoms,
            crs=RD_NEW,
        )
        frame = frame[~frame.geometry.is_empty]
        west, south, east, north = (float(v) for v in frame.to_crs(WGS84).total_bounds)
        layers[kind] = MapLayer(
            kind, year, to_geojson(frame), len(frame), (west, south, east, north)
        )
    return layers


def _waterschappen(
    atlas: Atlas, regions: tuple, outline: shapely.Geometry, tolerance: float
) -> list[shapely.Geometry]:
    boards = atlas.waterschappen()
    full = dict(zip(boards["code"], boards.geometry, strict=True))
    clipped = np.array([shapely.intersection(full[r.id], outline) for r in regions], dtype=object)
    return list(simplify_coverage(clipped, tolerance))


def to_geojson(frame: gpd.GeoDataFrame) -> str:
    """Reproject to WGS84, round coordinates and write compact GeoJSON."""
    wgs = frame.to_crs(WGS84)
    rounded = shapely.transform(
        wgs.geometry.to_numpy(), lambda xy: np.round(xy, COORDINATE_DECIMALS)
    )
    features = [
        {
            "type": "Feature",
            "properties": {k: _plain(v) for k, v in row.items()},
            "geometry": json.loads(shapely.to_geojson(geom)),
        }
        for row, geom in zip(
            wgs.drop(columns="geometry").to_dict(orient="records"), rounded, strict=True
        )
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value
