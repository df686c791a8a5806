"""Object files before they are read: their layers, columns, geometry type and CRS.

The add form (its column choices) and ``adaptatie objects columns`` show this, and
:func:`adaptatie.exposure.layers.read_objects` reads through the same helpers, so every file
is opened one way: GeoPackage, GeoJSON, or a zipped shapefile through GDAL's ``/vsizip/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from adaptatie.errors import DataFileError


@dataclass(frozen=True)
class FileInfo:
    """What the add form and ``adaptatie objects columns`` show of a file before adding it."""

    layers: tuple[str, ...]
    layer: str  # the layer read by default (``pand`` in a BAG GeoPackage, else the first)
    columns: tuple[str, ...]
    geometry_type: str  # as GDAL names it, e.g. "MultiPolygon"
    crs: str  # e.g. "EPSG:28992"; "" when the file has none
    count: int


def file_info(path: Path, layer: str = "") -> FileInfo:
    """Layers, columns, geometry type, CRS and size of a layer of an object file (read from the
    header only). Raises :class:`DataFileError` for unreadable files and unknown layers."""
    import pyogrio

    path = Path(path)
    if not path.is_file():
        raise DataFileError(path, "het bestand bestaat niet.", "controleer het pad.")
    layers = layer_names(path)
    chosen = chosen_layer(path, layers, layer)
    try:
        info = pyogrio.read_info(vsi(path), layer=chosen)
    except Exception as exc:
        raise DataFileError(
            path, f"de laag {chosen} kan niet gelezen worden.", "controleer het bestand in QGIS."
        ) from exc
    crs = info.get("crs") or ""
    return FileInfo(
        layers=tuple(layers),
        layer=chosen or "",
        columns=tuple(str(c) for c in info["fields"]),
        geometry_type=str(info.get("geometry_type") or ""),
        crs=str(crs),
        count=int(info.get("features") or 0),
    )


def chosen_layer(path: Path, layers: list[str], layer: str) -> str | None:
    if layer and layer not in layers:
        raise DataFileError(
            path,
            f"de laag '{layer}' staat niet in het bestand (wel: {', '.join(layers)}).",
            "kies een van de lagen uit de lijst.",
        )
    return layer or ("pand" if "pand" in layers else (layers[0] if layers else None))


def layer_names(path: Path) -> list[str]:
    import pyogrio

    try:
        return [str(name) for name in pyogrio.list_layers(vsi(path))[:, 0]]
    except Exception as exc:  # pyogrio raises its own DataSourceError family
        raise DataFileError(
            path,
            "het bestand is geen leesbaar geobestand.",
            "controleer of het volledig gedownload is en open het in QGIS.",
        ) from exc


def vsi(path: Path) -> str:
    return f"/vsizip/{path}" if path.suffix.lower() == ".zip" else str(path)


def read_layer(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    try:
        frame = gpd.read_file(vsi(path), layer=layer, engine="pyogrio")
    except Exception as exc:
        raise DataFileError(
            path,
            f"de laag {layer or ''} kan niet gelezen worden.",
            "controleer het bestand in QGIS of download het opnieuw.",
        ) from exc
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        raise DataFileError(
            path,
            f"de laag {layer or ''} heeft geen geometrie (alleen een tabel).",
            "kies de laag met de objecten zelf.",
        )
    return frame
