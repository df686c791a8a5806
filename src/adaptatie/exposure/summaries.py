"""Exposure per region: objects of a layer against a stress-test layer, from per-atom partials.

Per object layer kind (see :mod:`adaptatie.exposure.partials` for the unit of weight):

* ``gebouwen``: buildings per class of the value at the façade (Bijsluiter "water tegen de
  gevel"), and the same for the dwellings and the vulnerable uses in them (BAG gebruiksdoel);
* ``wegen``: road length per passability class (water > 15 cm: impassable; > 30 cm: not even
  for emergency vehicles), from pieces cut at the pixel edges (NWB lines); for BGT wegdelen
  (polygons) the road *area* per class instead, from exact pixel fractions
  (:mod:`adaptatie.exposure.areas`);
* ``objecten``: vital and vulnerable objects per category above each threshold (points: the
  pixel under them; polygons: their façade);
* ``bevolking``: inhabitants of the CBS 100 m cells exposed, each cell's inhabitants spread over
  its area (the cell's class shares from the zonal engine); suppressed cells are unknown.

Partials are stored per (stress-test layer, object layer, boundary year) under
``<home>/results/<layer>/exposure-*.npz`` while the fingerprints hold.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import rasterio
import shapely

from adaptatie import fmt
from adaptatie.diskmemo import temporary_beside
from adaptatie.exposure.areas import road_area_partials
from adaptatie.exposure.layers import AREAS, road_shape
from adaptatie.exposure.partials import (
    atom_index,
    atom_index_xy,
    object_partials,
    weighted_partials,
)
from adaptatie.exposure.sampling import (
    FACADE_BUFFER_M,
    facade_samples,
    line_pieces,
    object_values,
)
from adaptatie.exposure.store import ObjectRecord, ObjectStore
from adaptatie.io.analysis import GDAL_CACHE_MB
from adaptatie.regions.models import REGION_SETS
from adaptatie.regions.sets import region_groups, region_names
from adaptatie.stresstest.results import ResultsStore
from adaptatie.stresstest.themes import LayerRecord
from adaptatie.zonal import ClassScheme, Partials, zonal_partials

EXPOSURE_VERSION = "1"
PASSABLE = 0.15  # m: roads impassable above this (Bijsluiter: > 15 cm)
EMERGENCY = 0.30  # m: not even for emergency vehicles above this
METHODS = {
    "gebouwen": f"Hoogste waarde langs de rand van de pandcontour + {FACADE_BUFFER_M:g} m "
    "('water tegen de gevel'), bemonsterd om de halve pixel; per atoom geteld en opgeteld",
    "wegen": "Wegvakken (lijnen) geknipt op de pixelranden; lengte per klasse van de pixelwaarde",
    "objecten": "Punt: pixelwaarde onder het object; vlak: hoogste waarde langs de gevel",
    "bevolking": "Inwoners per CBS-vierkant verdeeld naar het oppervlak per klasse (zonale "
    "statistiek per vierkant); geheimgehouden vierkanten tellen als onbekend",
}
ROAD_AREA_METHOD = (
    "Wegdelen (vlakken, BGT) geknipt op de regiogrenzen; oppervlakte (m²) per klasse van de "
    "pixelwaarde uit de exacte bedekking van elke pixel; alle wegdelen tellen mee (ook voetpad, "
    "fietspad en parkeervlak)"
)
#: The partials of a road layer: length (m) of lines, area (m²) of polygons.
ROAD_LENGTH, ROAD_AREA = "weglengte", "wegoppervlak"


def method_of(record: ObjectRecord) -> str:
    """How the counts of an object layer are made (for the provenance line)."""
    return ROAD_AREA_METHOD if record.road_areas else METHODS[record.kind]


@dataclass(frozen=True)
class ExposureSummary:
    layer: LayerRecord
    objects: ObjectRecord
    region_set: str
    year: int
    table: pd.DataFrame
    computed_at: str

    @property
    def method(self) -> str:
        return method_of(self.objects)

    @property
    def measure(self) -> str:
        """What a number of this layer is, in words (for the page and the CLI)."""
        return {
            "gebouwen": "aantallen panden, woningen en panden met een kwetsbare functie",
            "wegen": "wegoppervlak in m² (BGT-wegdelen)"
            if self.objects.road_areas
            else "weglengte in m (NWB-wegvakken)",
            "objecten": "aantallen objecten per categorie",
            "bevolking": "aantallen inwoners",
        }[self.objects.kind]

    def display_frame(self) -> pd.DataFrame:
        """The table as the page and the CLI show it: Dutch column names, nl-NL numbers."""
        frame = self.table.drop(columns=["region_code"]).rename(columns={"region_name": "Regio"})
        for column in frame.columns:
            if pd.api.types.is_numeric_dtype(frame[column]):
                frame[column] = [fmt.number(v, 0) for v in frame[column]]
        return frame

    def csv_frame(self) -> pd.DataFrame:
        """The table for people: Dutch column names, whole objects, metres and inhabitants."""
        frame = self.table.rename(columns={"region_code": "Regiocode", "region_name": "Regio"})
        numbers = frame.select_dtypes("number").columns
        frame[numbers] = frame[numbers].round(0).astype("int64")
        return frame

    @property
    def provenance(self) -> str:
        synthetic = " SYNTHETISCH." if self.layer.synthetic or self.objects.synthetic else ""
        return (
            f"Objecten: {self.objects.citation}. "
            f"Stresstest: {self.layer.source}, {fmt.date_text(self.layer.date)}. "
            f"Methode: {self.method}. {REGION_SETS[self.region_set]}, grensjaar {self.year}."
            f"{synthetic}"
        )


def passability(layer: LayerRecord) -> tuple[float, ...]:
    """Thresholds of the road classes: passability for water depths in m, else the layer's."""
    return (PASSABLE, EMERGENCY) if layer.unit == "m" else layer.thresholds


def compute_partials(
    raster: Path, layer: LayerRecord, kind: str, objects: pd.DataFrame, atoms: pd.DataFrame
) -> dict[str, Partials]:
    """Per-atom partials of one object layer (names: ``panden``, ``woningen``, ``kwetsbaar``,
    ``weglengte`` or ``wegoppervlak``, ``objecten:<categorie>``, ``inwoners``)."""
    ids = list(atoms["id"])
    scheme = ClassScheme(layer.classes.bounds, layer.classes.labels)
    geoms = objects.geometry.to_numpy()
    if kind == "gebouwen":
        samples, cx, cy = facade_samples(raster, geoms)
        zone = atom_index_xy(cx, cy, atoms)  # a building lies in the atom of its vertices' mean
        weights = {
            "panden": np.ones(len(geoms)),
            "woningen": objects["dwellings"].to_numpy(dtype=float),
            "kwetsbaar": objects["vulnerable"].to_numpy(dtype=float),
        }
        return weighted_partials(
            zone, samples.values, weights, ids, scheme, layer.thresholds, samples.dtype
        )
    if kind == "wegen" and road_shape(objects) == AREAS:
        return {ROAD_AREA: road_area_partials(raster, geoms, atoms, scheme, passability(layer))}
    if kind == "wegen":
        pieces = line_pieces(raster, geoms)
        zone = atom_index(shapely.points(pieces.x, pieces.y), atoms)
        return {
            ROAD_LENGTH: object_partials(
                zone,
                pieces.samples.values,
                pieces.length,
                ids,
                scheme,
                passability(layer),
                pieces.samples.dtype,
            )
        }
    if kind == "objecten":
        sampled = object_values(raster, geoms)
        values, dtype = sampled.values, sampled.dtype
        zone = atom_index(shapely.point_on_surface(geoms), atoms)
        categories = objects["category"].to_numpy()
        return {
            f"objecten:{cat}": object_partials(
                np.where(categories == cat, zone, -1),
                values,
                np.ones(len(geoms)),
                ids,
                scheme,
                layer.thresholds,
                dtype,
            )
            for cat in sorted(set(categories))
        }
    if kind == "bevolking":
        return {"inwoners": _population(raster, layer, objects, atoms, scheme)}
    raise ValueError(kind)


def _population(
    raster: Path,
    layer: LayerRecord,
    cells: pd.DataFrame,
    atoms: pd.DataFrame,
    scheme: ClassScheme,
) -> Partials:
    known = cells["inhabitants"].notna().to_numpy()
    cells = cells.loc[known]
    with rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB):
        per_cell = zonal_partials(raster, cells[["id", "geometry"]], scheme, layer.thresholds)
    people = cells["inhabitants"].to_numpy(dtype=float)
    share = np.where(
        per_cell.total > 0, people / np.where(per_cell.total > 0, per_cell.total, 1), 0
    )
    zone = atom_index(shapely.point_on_surface(cells.geometry.to_numpy()), atoms)
    n = len(atoms)
    inside = zone >= 0

    def per_atom(values: np.ndarray) -> np.ndarray:
        out = np.zeros((n, *values.shape[1:]))
        np.add.at(out, zone[inside], values[inside])
        return out

    value_max = np.full(n, np.nan)
    np.fmax.at(value_max, zone[inside], per_cell.value_max[inside])
    return Partials(
        zone_ids=tuple(atoms["id"]),
        pixel_area_m2=1.0,
        thresholds=layer.thresholds,
        scheme=scheme,
        total=per_atom(np.where(per_cell.total > 0, people, 0.0)),
        valid=per_atom(per_cell.valid * share),
        value_sum=per_atom(per_cell.value_sum * share),
        value_max=value_max,
        class_weight=per_atom(per_cell.class_weight * share[:, None]),
        above=per_atom(per_cell.above * share[:, None]),
    )


class ExposureStore:
    """Exposure partials per (stress-test layer, object layer, year), kept on disk."""

    def __init__(self, results: ResultsStore, objects: ObjectStore) -> None:
        self.results = results
        self.objects = objects

    def partials(
        self, layer: LayerRecord, record: ObjectRecord, year: int
    ) -> tuple[dict[str, Partials], str]:
        fingerprint = hashlib.sha256(
            f"{EXPOSURE_VERSION}|{self.results.fingerprint(layer, year)}|{record.checksum}".encode()
        ).hexdigest()[:24]
        folder = self.results.root / layer.id
        path = folder / f"exposure-{record.id}-{year}-{fingerprint}.npz"
        scheme = ClassScheme(layer.classes.bounds, layer.classes.labels)
        if path.is_file():
            return _load(path, scheme)
        atoms = self.results.atlas.atoms(year)
        raster = self.results.catalogue.file(layer, layer.analysis_file)
        found = compute_partials(raster, layer, record.kind, self.objects.frame(record), atoms)
        computed_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        _save(path, found, computed_at)
        return found, computed_at

    def summary(
        self, layer: LayerRecord, record: ObjectRecord, region_set: str, year: int
    ) -> ExposureSummary:
        found, computed_at = self.partials(layer, record, year)
        atlas = self.results.atlas
        groups = {
            k: v for k, v in region_groups(atlas, year, region_set, atlas.atoms(year)).items() if v
        }
        combined = {name: p.combine(groups) for name, p in found.items()}
        codes = list(groups)
        table = pd.DataFrame(
            {
                "region_code": codes,
                "region_name": region_names(atlas, year, region_set, codes),
            }
        )
        for name, p in combined.items():
            table = pd.concat([table, _columns(name, p, layer, record.kind)], axis=1)
        return ExposureSummary(layer, record, region_set, year, table, computed_at)


def _columns(name: str, p: Partials, layer: LayerRecord, kind: str) -> pd.DataFrame:
    """Dutch column names: counts per class and above each threshold, and without data."""
    unit = layer.unit
    # Road area carries its unit in every column (m²); road length only in the passability
    # columns (m), as before BGT polygons were read, so earlier tables keep their names.
    area = " (m²)" if name == ROAD_AREA else ""
    columns: dict[str, np.ndarray] = {f"{name}{area}": p.total}
    if kind == "wegen" and p.thresholds == (PASSABLE, EMERGENCY):
        per = area or " (m)"
        columns[f"{name} begaanbaar{per}"] = p.valid - p.above[:, 0]
        columns[f"{name} onbegaanbaar >15 cm{per}"] = p.above[:, 0] - p.above[:, 1]
        columns[f"{name} ook niet voor hulpdiensten >30 cm{per}"] = p.above[:, 1]
    else:
        if kind in ("gebouwen", "bevolking"):
            for i, label in enumerate(p.scheme.labels):
                columns[f"{name} {label}"] = p.class_weight[:, i]
        for j, t in enumerate(p.thresholds):
            columns[f"{name} boven {fmt.number_g(t)} {unit}{area}"] = p.above[:, j]
    columns[f"{name} geen gegevens{area}"] = p.total - p.valid
    frame = pd.DataFrame(columns)
    if kind != "bevolking" and kind != "wegen":
        frame = frame.round(0).astype("int64")
    return frame


def _save(path: Path, found: dict[str, Partials], computed_at: str) -> None:
    arrays: dict[str, np.ndarray] = {}
    names = list(found)
    for i, p in enumerate(found.values()):
        for field in ("total", "valid", "value_sum", "value_max", "class_weight", "above"):
            arrays[f"{i}_{field}"] = getattr(p, field)
    first = next(iter(found.values()), None)
    meta = {
        "names": names,
        "computed_at": computed_at,
        "zone_ids": list(first.zone_ids) if first else [],
        "thresholds": [list(p.thresholds) for p in found.values()],
    }
    temporary = temporary_beside(path)
    np.savez(temporary, meta=np.array(json.dumps(meta)), **arrays)
    temporary.replace(path)


def _load(path: Path, scheme: ClassScheme) -> tuple[dict[str, Partials], str]:
    with np.load(path) as data:
        meta = json.loads(str(data["meta"]))
        found = {
            name: Partials(
                zone_ids=tuple(meta["zone_ids"]),
                pixel_area_m2=1.0,
                thresholds=tuple(meta["thresholds"][i]),
                scheme=scheme,
                **{
                    f: data[f"{i}_{f}"]
                    for f in ("total", "valid", "value_sum", "value_max", "class_weight", "above")
                },
            )
            for i, name in enumerate(meta["names"])
        }
    return found, meta["computed_at"]
