"""Add a stress-test GeoTIFF to the catalogue: validate, store an analysis copy, prepare display.

Validation (each failure is a Dutch message naming the problem and the fix): the file is a
readable GeoTIFF with one band, a CRS and a nodata value; every block can be read (a truncated
file fails here); it has valid values; the values are plausible for the theme and the declared
unit (water depth in cm declared as m is caught); and it overlaps the map area.

The analysis copy is float32 in EPSG:28992 (reprojected when needed), in the theme's unit, tiled
512 x 512, DEFLATE-compressed, with overviews. The display image is a palette PNG in Web Mercator
from the overview level that fits the screen. Everything is written in a staging folder first and
moved into the catalogue in one step, so a failed add leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
import shapely
from rasterio.enums import Resampling
from rasterio.errors import RasterioError, RasterioIOError
from rasterio.vrt import WarpedVRT
from rasterio.warp import transform_bounds

from adaptatie import fmt, limits
from adaptatie.errors import AdaptatieError, DataFileError
from adaptatie.io.catalogue import Catalogue
from adaptatie.io.render import render
from adaptatie.stresstest.themes import LayerRecord, Theme

NODATA = -9999.0
BLOCK = 512
RD_NEW = "EPSG:28992"


class RasterInputError(DataFileError):
    """A stress-test raster that cannot be added as it is."""


@dataclass(frozen=True)
class LayerRequest:
    """What the user says about a raster when adding it."""

    layer_id: str
    theme: Theme
    scenario: str
    unit: str
    source: str = ""
    date: str = ""  # ISO date of the data
    licence: str = ""
    synthetic: bool = False


def add_layer(
    catalogue: Catalogue, path: Path, request: LayerRequest, study_area: shapely.Geometry
) -> LayerRecord:
    """Validate ``path`` and register it; nothing is stored when any check fails."""
    _check_request(catalogue, path, request)
    staged = catalogue.staging()
    try:
        with _open(path) as src:
            _check_size(src, path)
            stats = _inspect(src, path, request, study_area)
            analysis = staged / "analysis.tif"
            _write_analysis_copy(src, analysis, request)
        display_bounds = _write_display(analysis, staged / "display.png", request)
        with rasterio.open(analysis) as copy:
            resolution = float(abs(copy.transform.a))
        record = LayerRecord(
            id=request.layer_id,
            theme=request.theme.key,
            scenario=request.scenario,
            quantity=request.theme.quantity,
            unit=request.theme.unit,
            classes=request.theme.classes,
            thresholds=request.theme.thresholds,
            threshold_labels=request.theme.threshold_labels,
            source=request.source or path.name,
            date=request.date,
            licence=request.licence,
            resolution_m=round(resolution, 3),
            synthetic=request.synthetic,
            analysis_file="analysis.tif",
            display_file="display.png",
            display_bounds=display_bounds,
            checksum=_sha256(analysis),
            added_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            original_name=path.name,
            original_crs=stats.crs,
            notes=stats.notes,
        )
        catalogue.register(record, staged)
        return record
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise


def _check_request(catalogue: Catalogue, path: Path, request: LayerRequest) -> None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{1,47}", request.layer_id):
        raise AdaptatieError(
            f"De laag-id '{request.layer_id}' is ongeldig. Oplossing: gebruik 2 tot 48 kleine "
            "letters, cijfers, '-' of '_', bijvoorbeeld wateroverlast-70mm."
        )
    if any(r.id == request.layer_id for r in catalogue.layers()):
        raise AdaptatieError(
            f"Er is al een laag met id '{request.layer_id}'. Oplossing: kies een andere id of "
            f"verwijder eerst de bestaande laag (adaptatie layers remove {request.layer_id})."
        )
    if request.unit not in request.theme.units:
        raise AdaptatieError(
            f"Eenheid '{request.unit}' past niet bij thema {request.theme.key}. Oplossing: kies "
            f"uit {', '.join(request.theme.units)}."
        )
    if not request.scenario.strip():
        raise AdaptatieError(
            "Het scenario ontbreekt. Oplossing: beschrijf het, bijv. '70 mm in 2 uur'."
        )
    if not path.is_file():
        raise RasterInputError(path, "het bestand bestaat niet.", "controleer het pad.")
    size = limits.megabytes(path.stat().st_size)
    if limits.RASTER_MB.exceeded(size):
        raise RasterInputError(
            path,
            limits.RASTER_MB.message(size, "knip de kaart bij tot het kaartgebied").rstrip("."),
            "of gebruik een grovere resolutie (gdalwarp -tr 5 5).",
        )


def _check_size(src: rasterio.DatasetReader, path: Path) -> None:
    """Refuse rasters with more pixels than the limit, before any block is read."""
    mpx = src.width * src.height / 1e6
    if limits.RASTER_MPX.exceeded(mpx):
        raise RasterInputError(
            path,
            f"de kaart is {src.width:_} x {src.height:_} pixels: ".replace("_", ".")
            + limits.RASTER_MPX.message(
                round(mpx, 1), "knip de kaart bij tot het kaartgebied"
            ).rstrip("."),
            "of gebruik een grovere resolutie, bijv. gdalwarp -tr 5 5 in.tif uit.tif.",
        )


def _open(path: Path) -> rasterio.DatasetReader:
    try:
        src = rasterio.open(path)
    except RasterioIOError as exc:
        raise RasterInputError(
            path,
            "het bestand is geen leesbaar rasterbestand (GeoTIFF).",
            "exporteer de stresstestkaart als GeoTIFF (.tif) met waarden, niet als afbeelding.",
        ) from exc
    if src.driver not in ("GTiff", "COG"):
        src.close()
        raise RasterInputError(
            path,
            f"het bestand is een {src.driver}-bestand, geen GeoTIFF.",
            "exporteer de kaart als GeoTIFF (.tif), bijvoorbeeld met gdal_translate -of GTiff.",
        )
    return src


@dataclass(frozen=True)
class _Stats:
    crs: str
    notes: tuple[str, ...]


def _inspect(
    src: rasterio.DatasetReader, path: Path, request: LayerRequest, study_area: shapely.Geometry
) -> _Stats:
    if src.count != 1:
        raise RasterInputError(
            path,
            f"het bestand heeft {src.count} banden; een stresstestlaag heeft er één (de waarde).",
            "lever één band met de waarde (bijv. waterdiepte), geen RGB-kaartbeeld.",
        )
    if src.crs is None:
        raise RasterInputError(
            path,
            "het bestand heeft geen coördinatenstelsel (CRS).",
            "geef het CRS aan, bijv.: gdal_edit.py -a_srs EPSG:28992 bestand.tif",
        )
    if src.nodata is None:
        raise RasterInputError(
            path,
            "er is geen nodata-waarde vastgelegd, dus 'geen gegevens' is niet te onderscheiden "
            "van een echte waarde.",
            "leg de nodata-waarde vast, bijv.: gdal_edit.py -a_nodata -9999 bestand.tif",
        )
    footprint = shapely.box(*transform_bounds(src.crs, RD_NEW, *src.bounds))
    if not footprint.intersects(study_area):
        raise RasterInputError(
            path,
            "de kaart ligt helemaal buiten het kaartgebied (Groningen, Drenthe, Overijssel).",
            "controleer het CRS van het bestand; een verkeerd CRS verschuift de kaart.",
        )
    low, high = math.inf, -math.inf
    valid = 0
    try:
        for _, window in src.block_windows(1):
            data = src.read(1, window=window, masked=True)
            values = data.compressed()
            values = values[np.isfinite(values)]
            if values.size:
                valid += values.size
                low, high = min(low, float(values.min())), max(high, float(values.max()))
    except (RasterioIOError, RasterioError) as exc:
        raise RasterInputError(
            path,
            "het bestand is beschadigd of onvolledig: niet alle blokken zijn te lezen (het is "
            "waarschijnlijk afgebroken bij het kopiëren of downloaden).",
            "download of exporteer het bestand opnieuw.",
        ) from exc
    if valid == 0:
        raise RasterInputError(
            path,
            "het bestand bevat alleen nodata (geen enkele waarde).",
            "controleer de export en de nodata-waarde.",
        )
    lo, hi = request.theme.units[request.unit]
    tolerance = 0.01 * (hi - lo)
    if high > hi + tolerance or low < lo - tolerance:
        hint = _range_hint(src, request, low, high, lo - tolerance)
        raise RasterInputError(
            path,
            f"de waarden lopen van {_nl(low)} tot {_nl(high)} {request.unit}; voor "
            f"{request.theme.quantity} in {request.unit} is {_nl(lo)} tot {_nl(hi)} aannemelijk."
            + hint,
            "controleer de eenheid en het thema, of de nodata-waarde.",
        )
    notes = []
    if _rotated(src):
        notes.append("Gedraaide kaart noord-boven gezet (opnieuw bemonsterd in EPSG:28992).")
    if src.crs.to_epsg() != 28992:
        notes.append(f"Omgerekend van {src.crs.to_string()} naar EPSG:28992 (RD New).")
    if request.unit != request.theme.unit:
        notes.append(f"Omgerekend van {request.unit} naar {request.theme.unit}.")
    return _Stats(src.crs.to_string(), tuple(notes))


def _write_analysis_copy(src: rasterio.DatasetReader, target: Path, request: LayerRequest) -> None:
    factor = request.theme.factor(request.unit)
    resampling = Resampling.nearest if request.theme.categorical else Resampling.bilinear
    needs_warp = src.crs.to_epsg() != 28992 or _rotated(src)  # the warp also turns north-up
    reader = (
        WarpedVRT(src, crs=RD_NEW, resampling=resampling, src_nodata=src.nodata, nodata=NODATA)
        if needs_warp
        else src
    )
    try:
        profile = {
            "driver": "GTiff",
            "dtype": "float32",
            "count": 1,
            "width": reader.width,
            "height": reader.height,
            "crs": RD_NEW,
            "transform": reader.transform,
            "nodata": NODATA,
            "tiled": True,
            "blockxsize": BLOCK,
            "blockysize": BLOCK,
            "compress": "deflate",
            "predictor": 3,
            "BIGTIFF": "IF_SAFER",
        }
        with rasterio.open(target, "w", **profile) as dst:
            for _, window in dst.block_windows(1):
                data = reader.read(1, window=window, masked=True).astype("float32")
                invalid = np.ma.getmaskarray(data) | ~np.isfinite(data.filled(0))
                out = np.where(invalid, NODATA, data.filled(0) * factor).astype("float32")
                dst.write(out, 1, window=window)
            factors = [
                f for f in (2, 4, 8, 16, 32, 64, 128) if max(dst.width, dst.height) / f >= 64
            ]
            if factors:
                overview = Resampling.nearest if request.theme.categorical else Resampling.average
                dst.build_overviews(factors, overview)
                dst.update_tags(ns="rio_overview", resampling=overview.name)
    finally:
        if needs_warp:
            reader.close()


def _rotated(src: rasterio.DatasetReader) -> bool:
    """True when the pixel grid is rotated or sheared (not north-up)."""
    t = src.transform
    return t.b != 0 or t.d != 0 or t.e >= 0


_NODATA_LIKE = (-9999.0, -32768.0, -3.4028234663852886e38, -99999.0, -999.0)


def _range_hint(
    src: rasterio.DatasetReader, request: LayerRequest, low: float, high: float, floor: float
) -> str:
    """The likely cause of implausible values: a nodata value not declared, negative values,
    or centimetres declared as metres (only when nothing is below the plausible range)."""
    if low < floor:
        if any(math.isclose(low, v, rel_tol=1e-6) for v in _NODATA_LIKE):
            return (
                f" De laagste waarde {_nl(low)} lijkt een nodata-waarde, maar vastgelegd is "
                f"{_nl(float(src.nodata))}: leg de juiste vast met gdal_edit.py -a_nodata "
                f"{low:g} bestand.tif."
            )
        return (
            f" Er zijn negatieve waarden (laagste {_nl(low)}); {request.theme.quantity} kan niet "
            "negatief zijn. Is de nodata-waarde juist vastgelegd, of is de kaart een verschil "
            "(bijv. een hoogtemodel) in plaats van een diepte?"
        )
    if (
        request.unit == "m"
        and "cm" in request.theme.units
        and high <= 100 * request.theme.units["m"][1]
    ):
        return " De waarden lijken in centimeters te staan: geef --unit cm op."
    return ""


def _write_display(analysis: Path, target: Path, request: LayerRequest) -> tuple[float, ...]:
    """Palette PNG of the whole layer in EPSG:3857; returns its lat/lon bounds."""
    rendered = render(analysis, request.theme.classes, request.theme.categorical)
    target.write_bytes(rendered.png)
    return rendered.bounds


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _nl(value: float) -> str:
    return fmt.number(value, 2)
