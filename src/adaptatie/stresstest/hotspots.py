"""Hotspots: connected areas of a stress-test layer above a threshold, ranked per region.

A hotspot is a 4-connected set of valid pixels with a value above the threshold (compared in the
raster's own precision, as the zonal engine does), at least ``min_area_m2`` large. Its polygon
follows the pixel edges; its area, maximum and mean come from the zonal engine over that polygon
(so they agree with every other number of the layer). It lies in the atom it overlaps most, and
so in that atom's municipality, cluster, cooperation, werkregio and water board.

Results are stored per (layer, boundary year, threshold, minimum area) under
``<home>/results/<layer>/`` and reused while the fingerprint of the layer's statistics holds
(:meth:`adaptatie.stresstest.results.ResultsStore.fingerprint`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
from rasterio.features import shapes

from adaptatie import fmt
from adaptatie.diskmemo import temporary_beside
from adaptatie.exposure.errors import HotspotError
from adaptatie.io.analysis import GDAL_CACHE_MB
from adaptatie.limits import RASTER_MPX
from adaptatie.regions.sets import region_groups, region_names
from adaptatie.stresstest.results import ResultsStore
from adaptatie.stresstest.themes import LayerRecord
from adaptatie.zonal import ClassScheme, summary_table, zonal_partials

HOTSPOT_VERSION = "1"
DEFAULT_MIN_AREA_M2 = 2_500.0  # four 25 m pixels
METHOD = (
    "Aaneengesloten pixels (4-buren) boven de drempel, vanaf een minimale oppervlakte; "
    "oppervlakte, maximum en gemiddelde met de zonale statistiek over de hotspot"
)


@dataclass(frozen=True)
class HotspotSet:
    """The hotspots of one layer above one threshold, in one boundary year."""

    layer: LayerRecord
    threshold: float
    min_area_m2: float
    year: int
    frame: gpd.GeoDataFrame  # hotspot_id, area_m2, max, mean, atom, gemeente, geometry
    computed_at: str
    method: str = METHOD

    @property
    def label(self) -> str:
        synthetic = " — SYNTHETISCH" if self.layer.synthetic else ""
        limit = f"{fmt.number_g(self.threshold)} {self.layer.unit}"
        return f"{self.layer.title}: boven {limit}{synthetic}"


def find_hotspots(
    raster: Path, threshold: float, min_area_m2: float, atoms: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Hotspot polygons with ``area_m2``, ``max``, ``mean``, ``atom`` and ``gemeente``, largest
    first, ids ``H1``, ``H2``, ... in that order."""
    with rasterio.open(raster) as src:
        RASTER_MPX.check(src.width * src.height / 1e6, "gebruik een grovere laag.")
        block = src.read(1, masked=True)
        transform, dtype = src.transform, np.dtype(src.dtypes[0])
        pixel_area = abs(transform.a * transform.e)
    data = np.ma.getdata(block)
    kind = dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)
    with np.errstate(invalid="ignore"):
        above = ~np.ma.getmaskarray(block) & (data.astype(kind) > np.array(threshold, dtype=kind))
    del block, data
    polygons = [
        shapely.geometry.shape(geom)
        for geom, _ in shapes(above.view(np.uint8), mask=above, connectivity=4, transform=transform)
    ]
    del above
    geoms = np.array(polygons, dtype=object) if polygons else np.array([], dtype=object)
    if len(geoms):
        geoms = geoms[shapely.area(geoms) >= max(min_area_m2, pixel_area) - 1e-6]
    columns = ["hotspot_id", "area_m2", "max", "mean", "atom", "gemeente"]
    if not len(geoms):
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs="EPSG:28992")
    geoms = geoms[np.argsort(-shapely.area(geoms), kind="stable")]
    ids = [f"H{i + 1}" for i in range(len(geoms))]
    zones = gpd.GeoDataFrame({"id": ids}, geometry=list(geoms), crs="EPSG:28992")
    scheme = ClassScheme((-math.inf, math.inf), ("alle",))
    with rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB):
        stats = summary_table(zonal_partials(raster, zones, scheme, ()))
    atom_rows = _largest_overlap(geoms, atoms)
    atom_ids = np.array([atoms["id"].iloc[r] if r >= 0 else "" for r in atom_rows], dtype=object)
    return gpd.GeoDataFrame(
        {
            "hotspot_id": ids,
            "area_m2": stats["valid_area_ha"].to_numpy() * 10_000.0,
            "max": stats["max"].to_numpy(),
            "mean": stats["mean"].to_numpy(),
            "atom": atom_ids,
            "gemeente": [a.split("|")[0] if a else "" for a in atom_ids],
        },
        geometry=list(geoms),
        crs="EPSG:28992",
    )


def _largest_overlap(geoms: np.ndarray, atoms: gpd.GeoDataFrame) -> np.ndarray:
    atom_geoms = atoms.geometry.to_numpy()
    tree = shapely.STRtree(atom_geoms)
    left, right = tree.query(geoms, predicate="intersects")
    best = np.full(len(geoms), -1, dtype=np.int64)
    if not len(left):
        return best
    overlap = shapely.area(shapely.intersection(geoms[left], atom_geoms[right]))
    order = np.lexsort((-overlap, left))
    left, right = left[order], right[order]
    first = np.ones(len(left), dtype=bool)
    first[1:] = left[1:] != left[:-1]
    best[left[first]] = right[first]
    return best


def hotspots(
    store: ResultsStore,
    layer: LayerRecord,
    threshold: float,
    year: int,
    min_area_m2: float = DEFAULT_MIN_AREA_M2,
) -> HotspotSet:
    """Stored hotspots when still valid, else computed now and stored."""
    if not math.isfinite(threshold) or not math.isfinite(min_area_m2) or min_area_m2 < 0:
        raise HotspotError(
            f"Drempel {threshold} of minimale oppervlakte {min_area_m2} m² is ongeldig. "
            "Oplossing: geef een eindig getal en een oppervlakte van 0 of meer."
        )
    store.atlas.source.check_year(year)
    wanted = hashlib.sha256(
        f"{HOTSPOT_VERSION}|{store.fingerprint(layer, year)}|{threshold!r}|{min_area_m2!r}".encode()
    ).hexdigest()[:24]
    folder = store.root / layer.id
    path = folder / f"hotspots-{year}-{wanted}.parquet"
    meta = path.with_suffix(".json")
    if path.is_file() and meta.is_file():
        computed_at = json.loads(meta.read_text(encoding="utf-8"))["computed_at"]
        frame = gpd.read_parquet(path)
    else:
        frame = find_hotspots(
            store.catalogue.file(layer, layer.analysis_file),
            threshold,
            min_area_m2,
            store.atlas.atoms(year),
        )
        computed_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        temporary = temporary_beside(path)
        frame.to_parquet(temporary)
        temporary.replace(path)
        written = temporary_beside(meta)
        written.write_text(json.dumps({"computed_at": computed_at}), encoding="utf-8")
        written.replace(meta)
    return HotspotSet(layer, threshold, min_area_m2, year, frame, computed_at)


def ranked(found: HotspotSet, store: ResultsStore, region_set: str) -> pd.DataFrame:
    """One row per (hotspot, region of the set it lies in), ranked by area within the region:
    ``region_code``, ``region_name``, ``rank``, ``hotspot_id``, ``area_m2``, ``max``, ``mean``."""
    atlas = store.atlas
    groups = region_groups(atlas, found.year, region_set, atlas.atoms(found.year))
    by_atom: dict[str, list[str]] = {}
    for region, members in groups.items():
        for atom in members:
            by_atom.setdefault(atom, []).append(region)
    rows = [
        (region, row.hotspot_id, row.area_m2, row.max, row.mean)
        for row in found.frame.itertuples()
        for region in by_atom.get(row.atom, [])
    ]
    table = pd.DataFrame(rows, columns=["region_code", "hotspot_id", "area_m2", "max", "mean"])
    if table.empty:
        table.insert(1, "region_name", [])
        table.insert(2, "rank", [])
        return table
    names = dict(
        zip(
            table["region_code"].unique(),
            region_names(atlas, found.year, region_set, list(table["region_code"].unique())),
            strict=True,
        )
    )
    table.insert(1, "region_name", table["region_code"].map(names))
    table = table.sort_values(["region_name", "area_m2"], ascending=[True, False], kind="stable")
    table.insert(2, "rank", table.groupby("region_code").cumcount() + 1)
    return table.reset_index(drop=True)
