"""A stress-test raster as the user gives it: one GeoTIFF, a folder of GeoTIFF tiles (map
sheets) or a GDAL VRT over tiles, checked and described as one grid of tiles.

Tiles must share CRS, resolution, data type and nodata value, lie on one pixel grid and not
overlap; a part of the grid that no tile covers (a missing map sheet) is nodata, and
:attr:`Mosaic.hole_pixels` says how much. A VRT is read as the list of its source files (each
used whole); its own settings (scaling, per-source nodata) are not supported. The mosaic is
written as a GDAL VRT (:meth:`Mosaic.vrt_xml`) over the tiles, read by the engine and GDAL as
one raster.

Only the headers are read here; the pixel values are checked by the caller's streaming pass.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import rasterio
import shapely
from rasterio.errors import RasterioIOError
from rasterio.transform import Affine

from adaptatie import fmt
from adaptatie.errors import DataFileError

TILE_SUFFIXES = (".tif", ".tiff")
_GRID_TOLERANCE = 1e-6  # of a pixel: offsets between tiles must be whole pixels


class RasterInputError(DataFileError):
    """A stress-test raster that cannot be added as it is."""


@dataclass(frozen=True)
class Tile:
    """One source file and its place in the mosaic grid."""

    path: Path
    col0: int
    row0: int
    width: int
    height: int
    size_bytes: int
    cog: bool  # a tiled GeoTIFF with the cloud-optimised layout (overviews in front)
    block_shape: tuple[int, int]


@dataclass(frozen=True)
class Mosaic:
    """Tiles on one grid (a single file is a mosaic of one tile)."""

    source: Path  # what the user gave: a file, a folder or a VRT
    kind: str  # "file", "folder" or "vrt"
    tiles: tuple[Tile, ...]
    width: int
    height: int
    transform: Affine
    crs: rasterio.crs.CRS
    dtype: str
    nodata: float | None
    count: int  # bands per tile

    @property
    def pixels(self) -> int:
        return self.width * self.height

    @property
    def hole_pixels(self) -> int:
        """Pixels of the grid that no tile covers (nodata)."""
        return self.pixels - sum(t.width * t.height for t in self.tiles)

    @property
    def size_bytes(self) -> int:
        return sum(t.size_bytes for t in self.tiles)

    @property
    def block_shape(self) -> tuple[int, int]:
        return self.tiles[0].block_shape

    def hole_note(self) -> str | None:
        """Dutch note on the part of the grid without tiles, or None when there is none."""
        if not self.hole_pixels:
            return None
        share = 100.0 * self.hole_pixels / self.pixels
        area_ha = self.hole_pixels * abs(self.transform.a * self.transform.e) / 10_000.0
        return (
            f"{fmt.number(share, 1)} % van het rastervlak ({fmt.number(area_ha, 0)} ha) heeft "
            "geen tegel en telt als 'geen gegevens'."
        )

    def vrt_xml(
        self,
        *,
        scale: float = 1.0,
        dtype: str | None = None,
        nodata: float | None = None,
        overviews: Sequence[Path] = (),
    ) -> str:
        """A GDAL VRT over the tiles (absolute paths). With ``scale``, ``dtype`` or ``nodata``
        the values are converted on reading (source nodata stays nodata, as ``nodata``).
        ``overviews``: files with the band's overview levels (finest first), already
        converted."""
        out_dtype = _GDAL_TYPES[np.dtype(dtype or self.dtype).name]
        out_nodata = self.nodata if nodata is None else nodata
        converted = scale != 1.0 or nodata is not None or dtype is not None
        t = self.transform
        lines = [
            f'<VRTDataset rasterXSize="{self.width}" rasterYSize="{self.height}">',
            f"  <SRS>{escape(self.crs.to_wkt())}</SRS>" if self.crs else "",
            f"  <GeoTransform>{t.c!r}, {t.a!r}, {t.b!r}, {t.f!r}, {t.d!r}, {t.e!r}</GeoTransform>",
            f'  <VRTRasterBand dataType="{out_dtype}" band="1" '
            f'blockXSize="{self.block_shape[1]}" blockYSize="{self.block_shape[0]}">',
        ]
        if out_nodata is not None:
            lines.append(f"    <NoDataValue>{_number(out_nodata)}</NoDataValue>")
        source_type = _GDAL_TYPES[np.dtype(self.dtype).name]
        for tile in self.tiles:
            kind = "ComplexSource" if converted else "SimpleSource"
            lines += [
                f"    <{kind}>",
                '      <SourceFilename relativeToVRT="0">'
                f"{escape(str(tile.path))}</SourceFilename>",
                "      <SourceBand>1</SourceBand>",
                f'      <SourceProperties RasterXSize="{tile.width}" RasterYSize="{tile.height}" '
                f'DataType="{source_type}" BlockXSize="{tile.block_shape[1]}" '
                f'BlockYSize="{tile.block_shape[0]}"/>',
                f'      <SrcRect xOff="0" yOff="0" xSize="{tile.width}" ySize="{tile.height}"/>',
                f'      <DstRect xOff="{tile.col0}" yOff="{tile.row0}" xSize="{tile.width}" '
                f'ySize="{tile.height}"/>',
            ]
            if converted:
                if self.nodata is not None:
                    lines.append(f"      <NODATA>{_number(self.nodata)}</NODATA>")
                if scale != 1.0:
                    lines.append(f"      <ScaleRatio>{scale!r}</ScaleRatio>")
            lines.append(f"    </{kind}>")
        for level in overviews:
            lines += [
                "    <Overview>",
                '      <SourceFilename relativeToVRT="0">'
                f"{escape(str(level))}</SourceFilename>",
                "      <SourceBand>1</SourceBand>",
                "    </Overview>",
            ]
        lines += ["  </VRTRasterBand>", "</VRTDataset>", ""]
        return "\n".join(lines)


_GDAL_TYPES = {
    "uint8": "Byte",
    "int8": "Int8",
    "uint16": "UInt16",
    "int16": "Int16",
    "uint32": "UInt32",
    "int32": "Int32",
    "uint64": "UInt64",
    "int64": "Int64",
    "float32": "Float32",
    "float64": "Float64",
}


def _number(value: float) -> str:
    return "nan" if math.isnan(value) else repr(float(value))


def open_mosaic(path: Path) -> Mosaic:
    """The tiles of ``path`` (a GeoTIFF, a folder of GeoTIFFs or a VRT), checked to form one
    grid. Raises :class:`RasterInputError` with the problem and the fix."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in TILE_SUFFIXES)
        if not files:
            raise RasterInputError(
                path,
                "de map bevat geen GeoTIFF-tegels (.tif of .tiff).",
                "geef een map met de kaartbladen als GeoTIFF, of één GeoTIFF-bestand.",
            )
        return _from_files(path, "folder", files)
    if not path.is_file():
        raise RasterInputError(path, "het bestand of de map bestaat niet.", "controleer het pad.")
    if path.suffix.lower() == ".vrt":
        return _from_files(path, "vrt", _vrt_sources(path))
    return _from_files(path, "file", [path])


def _vrt_sources(path: Path) -> list[Path]:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise RasterInputError(
            path, "het VRT-bestand is geen leesbare XML.", "maak de VRT opnieuw met gdalbuildvrt."
        ) from exc
    bands = root.findall("VRTRasterBand")
    names = [e for band in bands[:1] for e in band.iter("SourceFilename")]
    if root.tag != "VRTDataset" or len(bands) != 1 or not names:
        raise RasterInputError(
            path,
            "het VRT-bestand beschrijft geen mozaïek van één band met brontegels.",
            "maak de VRT met gdalbuildvrt over GeoTIFF-tegels van één band.",
        )
    files = []
    for element in names:
        name = Path(element.text or "")
        relative = element.get("relativeToVRT", "0") == "1" or not name.is_absolute()
        files.append((path.parent / name) if relative else name)
    missing = [f for f in files if not f.is_file()]
    if missing:
        shown = ", ".join(str(f) for f in missing[:3])
        raise RasterInputError(
            path,
            f"{len(missing)} van de {len(files)} tegels van de VRT ontbreken, bijv. {shown}.",
            "zet de ontbrekende tegels terug of maak de VRT opnieuw met gdalbuildvrt over de "
            "tegels die er zijn (ontbrekende kaartbladen tellen dan als 'geen gegevens').",
        )
    return files


@dataclass(frozen=True)
class _Header:
    path: Path
    crs: rasterio.crs.CRS | None
    transform: Affine
    width: int
    height: int
    dtype: str
    nodata: float | None
    count: int
    cog: bool
    block_shape: tuple[int, int]


def _header(path: Path) -> _Header:
    try:
        with rasterio.open(path) as ds:
            if ds.driver not in ("GTiff", "COG"):
                raise RasterInputError(
                    path,
                    f"het bestand is een {ds.driver}-bestand, geen GeoTIFF.",
                    "exporteer de kaart als GeoTIFF (.tif), bijvoorbeeld met gdal_translate -of "
                    "GTiff.",
                )
            layout = ds.tags(ns="IMAGE_STRUCTURE").get("LAYOUT", "")
            height, width = ds.block_shapes[0]
            tiled = width < ds.width or height < ds.height or ds.width <= 512
            return _Header(
                path, ds.crs, ds.transform, ds.width, ds.height, ds.dtypes[0], ds.nodata,
                ds.count, layout.upper() == "COG" and tiled, (int(height), int(width)),
            )  # fmt: skip
    except RasterioIOError as exc:
        raise RasterInputError(
            path,
            "het bestand is geen leesbaar rasterbestand (GeoTIFF).",
            "exporteer de stresstestkaart als GeoTIFF (.tif) met waarden, niet als afbeelding.",
        ) from exc


def _from_files(source: Path, kind: str, files: list[Path]) -> Mosaic:
    headers = [_header(f) for f in files]
    first = headers[0]
    for h in headers[1:]:
        for what, a, b in (
            ("coördinatenstelsel", first.crs, h.crs),
            ("resolutie", (first.transform.a, first.transform.e), (h.transform.a, h.transform.e)),
            ("gegevenstype", first.dtype, h.dtype),
            ("nodata-waarde", first.nodata, h.nodata),
            ("aantal banden", first.count, h.count),
        ):
            same = a == b or (
                isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)
            )
            if not same:
                raise RasterInputError(
                    source,
                    f"de tegels verschillen in {what}: {first.path.name} heeft {a}, "
                    f"{h.path.name} heeft {b}.",
                    "lever alle kaartbladen in hetzelfde coördinatenstelsel, dezelfde resolutie, "
                    "hetzelfde gegevenstype en met dezelfde nodata-waarde (bijv. gdalwarp -t_srs "
                    "EPSG:28992 -tr 0.5 0.5 -ot Float32 -dstnodata -9999).",
                )
    if len(headers) == 1:
        h = first
        tile = Tile(h.path, 0, 0, h.width, h.height, h.path.stat().st_size, h.cog, h.block_shape)
        return Mosaic(
            source, kind, (tile,), h.width, h.height, h.transform, h.crs, h.dtype, h.nodata, h.count
        )
    t = first.transform
    if t.b != 0 or t.d != 0 or t.e >= 0:
        raise RasterInputError(
            source,
            "de tegels zijn niet noord-boven (gedraaid of gespiegeld raster).",
            "zet de tegels eerst noord-boven met gdalwarp, of lever één GeoTIFF.",
        )
    left = min(h.transform.c for h in headers)
    top = max(h.transform.f for h in headers)
    places = []
    for h in headers:
        col, row = (h.transform.c - left) / t.a, (h.transform.f - top) / t.e
        if abs(col - round(col)) > _GRID_TOLERANCE or abs(row - round(row)) > _GRID_TOLERANCE:
            raise RasterInputError(
                source,
                f"tegel {h.path.name} ligt niet op hetzelfde pixelraster als de andere tegels "
                f"(verschoven met {fmt.number(col % 1, 3)} pixel).",
                "lijn de tegels uit op één raster, bijv. gdalwarp -tap -tr met de resolutie.",
            )
        places.append((round(col), round(row)))
    width = max(c + h.width for (c, _), h in zip(places, headers, strict=True))
    height = max(r + h.height for (_, r), h in zip(places, headers, strict=True))
    boxes = [
        shapely.box(c, r, c + h.width, r + h.height)
        for (c, r), h in zip(places, headers, strict=True)
    ]
    tree = shapely.STRtree(boxes)
    for i, j in zip(*tree.query(boxes, predicate="intersects"), strict=True):
        if i < j and shapely.intersection(boxes[i], boxes[j]).area > 0:
            raise RasterInputError(
                source,
                f"de tegels {headers[i].path.name} en {headers[j].path.name} overlappen.",
                "lever kaartbladen die elkaar niet overlappen (knip de randen af met "
                "gdal_translate -srcwin), zodat geen pixel dubbel telt.",
            )
    tiles = tuple(
        Tile(h.path, c, r, h.width, h.height, h.path.stat().st_size, h.cog, h.block_shape)
        for (c, r), h in zip(places, headers, strict=True)
    )
    transform = Affine(t.a, 0.0, left, 0.0, t.e, top)
    return Mosaic(
        source, kind, tiles, width, height, transform, first.crs, first.dtype, first.nodata,
        first.count,
    )  # fmt: skip
