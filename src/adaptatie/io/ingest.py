"""Add a stress-test raster to the catalogue: validate, store or register it, prepare display.

The raster is one GeoTIFF, a folder of GeoTIFF tiles (map sheets) or a GDAL VRT over tiles
(:mod:`adaptatie.io.mosaic`). Validation (each failure is a Dutch message naming the problem and
the fix): readable GeoTIFFs with one band, a CRS and a nodata value, tiles on one grid; every
block can be read (a truncated file fails here), streamed strip by strip (:mod:`adaptatie.io.
scan`) so memory does not grow with the raster; it has valid values, no infinite ones; the
values are plausible for the theme and the declared unit (water depth in cm declared as m is
caught); and it overlaps the map area.

Stored analysis raster:

* *registered in place* when every tile already is a tiled COG in EPSG:28992 (north-up) with a
  nodata value, in the theme's unit: the layer folder holds a VRT over the original files and
  the checksum covers the VRT and every tile (the originals must stay where they are);
* otherwise a COG (GDAL's COG driver: float32, the theme's unit, nodata -9999, 512 x 512 tiles,
  DEFLATE, overviews), read through a converting VRT; its overviews (of a continuous theme) are
  made from the strips of the validation pass (:mod:`adaptatie.io.overviews`), so the raster
  is decoded twice in all, not three times; reprojected or rotated rasters are warped to a
  tiled GeoTIFF with overviews as before.

Limits: ``ADAPTATIE_MAX_RASTER_MB`` and ``ADAPTATIE_MAX_RASTER_MPX`` apply to each file (each map
sheet), not to a mosaic as a whole: a mosaic of many sheets is what a user with a province
raster means to add. Its total is bounded by the free disk space, checked before a copy.

The display image is a palette PNG in Web Mercator from the overview level that fits the
screen. Everything is written in a staging folder first and moved into the catalogue in one
step, so a failed add leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import rasterio
import shapely
from rasterio.errors import RasterioError, RasterioIOError
from rasterio.warp import transform_bounds

from adaptatie import fmt, limits
from adaptatie.errors import AdaptatieError
from adaptatie.io.analysis import (
    BLOCK,
    GDAL_CACHE_MB,
    NODATA,
    RD_NEW,
    check_disk,
    checksum_in_place,
    sha256,
    write_cog,
    write_warped,
)
from adaptatie.io.catalogue import Catalogue
from adaptatie.io.mosaic import Mosaic, RasterInputError, open_mosaic
from adaptatie.io.overviews import OverviewWriter
from adaptatie.io.render import render
from adaptatie.io.scan import Progress, ScanResult, scan, strips
from adaptatie.stresstest.themes import LayerRecord, Theme

__all__ = ["BLOCK", "NODATA", "RD_NEW", "LayerRequest", "RasterInputError", "add_layer"]


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
    catalogue: Catalogue,
    path: Path,
    request: LayerRequest,
    study_area: shapely.Geometry,
    progress: Progress | None = None,
) -> LayerRecord:
    """Validate ``path`` (a GeoTIFF, a folder of tiles or a VRT) and register it; nothing is
    stored when any check fails. ``progress(label, done, total)`` follows the pixels."""
    _check_request(catalogue, path, request)
    mosaic = open_mosaic(path)
    _check_size(mosaic)
    staged = catalogue.staging()
    try:
        with rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB):
            return _stage(catalogue, path, request, study_area, progress, mosaic, staged)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise


def _stage(
    catalogue: Catalogue,
    path: Path,
    request: LayerRequest,
    study_area: shapely.Geometry,
    progress: Progress | None,
    mosaic: Mosaic,
    staged: Path,
) -> LayerRecord:
    """Validate and convert into ``staged``, then register (the caller cleans up on failure)."""
    categorical = request.theme.categorical
    source = staged / "source.vrt"
    source.write_text(mosaic.vrt_xml(), encoding="utf-8")
    with rasterio.open(source) as src:
        _check_header(src, mosaic, study_area)
        in_place = _registrable_in_place(mosaic, src, request)
        warp = src.crs.to_epsg() != 28992 or _rotated(src)
        factor = request.theme.factor(request.unit)
        overviews = None
        if not in_place:
            if not warp and not categorical:  # the COG's overviews come from the validation
                overviews = _overview_writer(staged, src, mosaic, factor)
            extra = 0 if overviews is None else 4 * src.width * src.height // 3
            check_disk(staged, mosaic, src, extra)
        try:
            stats = _inspect(src, mosaic, request, progress, overviews)
            levels = [] if overviews is None else overviews.finish()
        finally:
            if overviews is not None:
                overviews.close()
        if in_place:
            analysis = source.rename(staged / "analysis.vrt")
            checksum = checksum_in_place(analysis, mosaic, progress)
        elif warp:
            analysis = staged / "analysis.tif"
            write_warped(src, analysis, factor, categorical)
        else:
            analysis = staged / "analysis.tif"
            converted = staged / "converted.vrt"
            text = mosaic.vrt_xml(scale=factor, dtype="float32", nodata=NODATA, overviews=levels)
            converted.write_text(text, encoding="utf-8")
            write_cog(converted, analysis, categorical, src.width, src.height, progress)
            converted.unlink()
            for level in levels:
                level.unlink()
    if not in_place:
        source.unlink()
        checksum = sha256(analysis)
    display_bounds = _write_display(analysis, staged / "display.png", request)
    notes = stats.notes
    if in_place:
        notes += ("Op de oorspronkelijke plaats geregistreerd (al een COG in RD New): laat "
                  f"de {len(mosaic.tiles)} bestand(en) daar staan.",)  # fmt: skip
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
        resolution_m=round(float(abs(mosaic.transform.a)), 3)
        if not stats.warped
        else _resolution(analysis),
        synthetic=request.synthetic,
        analysis_file=analysis.name,
        display_file="display.png",
        display_bounds=display_bounds,
        checksum=checksum,
        added_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        original_name=path.name,
        original_crs=stats.crs,
        notes=notes,
    )
    catalogue.register(record, staged)
    return record


def _resolution(analysis: Path) -> float:
    with rasterio.open(analysis) as copy:
        return round(float(abs(copy.transform.a)), 3)


def _check_request(catalogue: Catalogue, path: Path, request: LayerRequest) -> None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{1,47}", request.layer_id):
        raise AdaptatieError(
            f"De laag-id '{request.layer_id}' is ongeldig. Oplossing: gebruik 2 tot 48 kleine "
            "letters, cijfers, '-' of '_', bijvoorbeeld wateroverlast-70mm."
        )
    if any(r.id == request.layer_id for r in catalogue.layers()):
        raise AdaptatieError(
            f"Er is al een laag met id '{request.layer_id}'. Oplossing: kies een andere id of "
            "verwijder eerst de bestaande laag met deze id."
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
    if not path.exists():
        raise RasterInputError(path, "het bestand of de map bestaat niet.", "controleer het pad.")


def _check_size(mosaic: Mosaic) -> None:
    """Refuse files larger or with more pixels than the limits (per file, i.e. per map sheet
    of a mosaic), before any block is read."""
    fix = "knip de kaart bij tot het kaartgebied of lever hem als kaartbladen (een map met tegels)"
    for tile in mosaic.tiles:
        size = limits.megabytes(tile.size_bytes)
        if limits.RASTER_MB.exceeded(size):
            raise RasterInputError(
                tile.path,
                limits.RASTER_MB.message(size, fix).rstrip("."),
                "of gebruik een grovere resolutie (gdalwarp -tr 5 5).",
            )
        mpx = tile.width * tile.height / 1e6
        if limits.RASTER_MPX.exceeded(mpx):
            raise RasterInputError(
                tile.path,
                f"de kaart is {tile.width:_} x {tile.height:_} pixels: ".replace("_", ".")
                + limits.RASTER_MPX.message(round(mpx, 1), fix).rstrip("."),
                "of gebruik een grovere resolutie, bijv. gdalwarp -tr 5 5 in.tif uit.tif.",
            )


@dataclass(frozen=True)
class _Stats:
    crs: str
    notes: tuple[str, ...]
    warped: bool


def _check_header(
    src: rasterio.DatasetReader, mosaic: Mosaic, study_area: shapely.Geometry
) -> None:
    """One band, a CRS, a nodata value and an overlap with the map area."""
    path = mosaic.source
    if mosaic.count != 1:
        raise RasterInputError(
            path,
            f"het bestand heeft {mosaic.count} banden; een stresstestlaag heeft er één (de "
            "waarde).",
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


def _overview_writer(
    staged: Path, src: rasterio.DatasetReader, mosaic: Mosaic, factor: float
) -> OverviewWriter | None:
    """The writer of the COG's overviews during validation, or None when the strips of the
    validation pass do not keep 2 x 2 blocks whole (then the COG driver makes them)."""
    windows = strips(src.height, src.width, max(1, mosaic.block_shape[0]))
    if not OverviewWriter.aligned(windows):
        return None
    return OverviewWriter(
        staged, src.width, src.height, src.transform, src.crs, src.nodata, factor, NODATA
    )


def _inspect(
    src: rasterio.DatasetReader,
    mosaic: Mosaic,
    request: LayerRequest,
    progress: Progress | None,
    overviews: OverviewWriter | None = None,
) -> _Stats:
    """Read every block once (``overviews`` gets every strip) and check the values."""
    path = mosaic.source
    try:
        sink = None if overviews is None else overviews.add
        found = scan(Path(src.name), mosaic.block_shape[0], progress, sink)
    except (RasterioIOError, RasterioError) as exc:
        raise RasterInputError(
            path,
            "het bestand is beschadigd of onvolledig: niet alle blokken zijn te lezen (het is "
            "waarschijnlijk afgebroken bij het kopiëren of downloaden).",
            "download of exporteer het bestand opnieuw.",
        ) from exc
    _check_values(src, path, request, found)
    notes = []
    hole = mosaic.hole_note()
    if hole:
        notes.append(hole)
    warped = _rotated(src) or src.crs.to_epsg() != 28992
    if _rotated(src):
        notes.append("Gedraaide kaart noord-boven gezet (opnieuw bemonsterd in EPSG:28992).")
    if src.crs.to_epsg() != 28992:
        notes.append(f"Omgerekend van {src.crs.to_string()} naar EPSG:28992 (RD New).")
    if request.unit != request.theme.unit:
        notes.append(f"Omgerekend van {request.unit} naar {request.theme.unit}.")
    return _Stats(src.crs.to_string(), tuple(notes), warped)


def _check_values(
    src: rasterio.DatasetReader, path: Path, request: LayerRequest, found: ScanResult
) -> None:
    if found.infinite:
        raise RasterInputError(
            path,
            f"{fmt.number(found.infinite)} pixel(s) hebben een oneindige waarde.",
            "zet ze op de nodata-waarde, bijv. met gdal_calc.py of in QGIS (Rasterberekening).",
        )
    if found.valid == 0:
        raise RasterInputError(
            path,
            "het bestand bevat alleen nodata (geen enkele waarde).",
            "controleer de export en de nodata-waarde.",
        )
    low, high = found.low, found.high
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


def _registrable_in_place(
    mosaic: Mosaic, src: rasterio.DatasetReader, request: LayerRequest
) -> bool:
    """Every tile a tiled COG in RD New, north-up, with nodata, in the theme's own unit."""
    return (
        all(t.cog for t in mosaic.tiles)
        and src.crs.to_epsg() == 28992
        and not _rotated(src)
        and src.nodata is not None
        and request.unit == request.theme.unit
    )


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
        return " De waarden lijken in centimeters te staan: kies als eenheid van de waarden cm."
    return ""


def _write_display(analysis: Path, target: Path, request: LayerRequest) -> tuple[float, ...]:
    """Palette PNG of the whole layer in EPSG:3857; returns its lat/lon bounds."""
    rendered = render(analysis, request.theme.classes, request.theme.categorical)
    target.write_bytes(rendered.png)
    return rendered.bounds


def _nl(value: float) -> str:
    return fmt.number(value, 2)
