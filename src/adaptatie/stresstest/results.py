"""Stress-test statistics per region, computed once per (layer, boundary year) and stored.

The raster is read once per boundary year over the *atoms*: the pieces of each municipality of
that year inside each water board (and the piece outside every water board). Every region set is
a union of atoms, so municipalities, clusters, cooperations, werkregio's, water boards and
municipality x water board all come from the same mergeable partial aggregates; no region needs
its own pass over the raster.

Stored partials are reused while their fingerprint holds: the layer's checksum, the boundary and
water-board files (size and modification time), the region definitions and the engine version.
When any of them changes, the partials are recomputed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import rasterio

from adaptatie.diskmemo import temporary_beside
from adaptatie.io.analysis import GDAL_CACHE_MB
from adaptatie.io.catalogue import Catalogue
from adaptatie.memo import Memo
from adaptatie.regions.atlas import Atlas
from adaptatie.regions.models import REGION_SETS
from adaptatie.regions.sets import region_groups, region_names
from adaptatie.stresstest.themes import LayerRecord
from adaptatie.zonal import (
    ClassScheme,
    Partials,
    summary_table,
    threshold_column,
    zonal_partials,
)

if TYPE_CHECKING:
    import geopandas as gpd

#: Computes the partials of a raster over zones, and says how (``{"method", "workers", ...}``):
#: the single-process engine by default, a Dask cluster with ``adaptatie.scale.cluster``.
Runner = Callable[[Path, "gpd.GeoDataFrame", ClassScheme, Sequence[float]], tuple[Partials, dict]]

# 2: zonal engine of issue 12; 3: atoms never overlap. A new version recomputes stored partials.
ENGINE_VERSION = "3"
METHOD = (
    "Oppervlaktegewogen zonale statistiek op de waardenraster (pixelmiddelpunt voor grote "
    "gebieden, exacte dekkingsfracties voor gebieden klein ten opzichte van de pixel)"
)


@dataclass(frozen=True)
class RegionSummary:
    """Statistics of one layer for one region set, with everything needed to cite them."""

    layer: LayerRecord
    region_set: str
    year: int
    table: pd.DataFrame  # one row per region; see summary_columns
    computed_at: str
    method: str = METHOD
    boundaries: str = ""  # provenance of the boundary year's municipalities
    execution: dict = field(default_factory=dict)  # how: method, workers (and scheduler)

    @property
    def execution_text(self) -> str:
        """Dutch: where the partials were computed, e.g. 'Dask-cluster, 2 workers'."""
        if self.execution.get("method") == "dask":
            return f"Dask-cluster ({self.execution.get('scheduler', '')}), " + (
                f"{self.execution.get('workers', '?')} worker(s)"
            )
        return "één proces"

    @property
    def label(self) -> str:
        synthetic = " — SYNTHETISCH" if self.layer.synthetic else ""
        return (
            f"{self.layer.title}; {REGION_SETS[self.region_set].lower()}, grensjaar {self.year}"
            f"{synthetic}"
        )

    def share_column(self, index: int) -> str:
        return f"share_{self.layer.classes.labels[index]}"

    def above_column(self, index: int) -> str:
        return threshold_column(self.layer.thresholds[index])


class ResultsStore:
    """Partials per (layer, boundary year) on disk under ``<home>/results``."""

    def __init__(
        self, atlas: Atlas, catalogue: Catalogue, home: Path, runner: Runner | None = None
    ) -> None:
        self.runner = runner or single_process
        self.atlas = atlas
        self.catalogue = catalogue
        self.root = home / "results"
        self.root.mkdir(parents=True, exist_ok=True)
        self._memo = Memo()

    def fingerprint(self, layer: LayerRecord, year: int) -> str:
        source = self.atlas.source
        files = [source.gemeenten_files[year], source.waterschappen().path]
        parts = [
            ENGINE_VERSION,
            layer.checksum,
            json.dumps(layer.classes.edges),
            json.dumps(layer.thresholds),
        ]
        for path in files:
            stat = path.stat()
            parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
        parts.append(
            hashlib.sha256(Path(self.atlas.definitions.source_path).read_bytes()).hexdigest()
        )
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    def partials(self, layer: LayerRecord, year: int) -> tuple[Partials, str]:
        """Stored partials of the atoms when still valid, else computed now and stored."""
        result, computed_at, _ = self.partials_with_execution(layer, year)
        return result, computed_at

    def partials_with_execution(self, layer: LayerRecord, year: int) -> tuple[Partials, str, dict]:
        """As :meth:`partials`, with how they were computed (method, workers)."""
        self.atlas.source.check_year(year)
        folder = self.root / layer.id
        path = folder / f"{year}.npz"
        meta_path = folder / f"{year}.json"
        wanted = self.fingerprint(layer, year)
        if path.is_file() and meta_path.is_file():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("fingerprint") == wanted:
                execution = meta.get("execution", {"method": "single", "workers": 1})
                return _load(path, layer), meta["computed_at"], execution
        atom_frame = self.atlas.atoms(year)
        scheme = ClassScheme(layer.classes.bounds, layer.classes.labels)
        result, execution = self.runner(
            self.catalogue.file(layer, layer.analysis_file),
            atom_frame[["id", "geometry"]],
            scheme,
            layer.thresholds,
        )
        computed_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        _save(path, result)
        temporary = temporary_beside(meta_path)
        temporary.write_text(
            json.dumps(
                {
                    "fingerprint": wanted,
                    "computed_at": computed_at,
                    "layer": layer.id,
                    "year": year,
                    "execution": execution,
                }
            ),
            encoding="utf-8",
        )
        temporary.replace(meta_path)
        return result, computed_at, execution

    def summary(self, layer: LayerRecord, region_set: str, year: int) -> RegionSummary:
        """One row per region of the set, with mean, max, areas, class shares, threshold areas."""
        partials, computed_at, execution = self.partials_with_execution(layer, year)
        atom_frame = self.atlas.atoms(year)
        groups = region_groups(self.atlas, year, region_set, atom_frame)
        groups = {k: v for k, v in groups.items() if v}
        combined = partials.combine(groups)
        table = summary_table(combined)
        ids = table["zone_id"].tolist()
        table.insert(0, "region_name", region_names(self.atlas, year, region_set, ids))
        table.insert(0, "region_code", ids)
        table = table.drop(columns=["zone_id"])
        return RegionSummary(
            layer,
            region_set,
            year,
            table.reset_index(drop=True),
            computed_at,
            boundaries=self.atlas.boundary_provenance(year),
            execution=execution,
        )


def single_process(
    path: Path, zones: gpd.GeoDataFrame, scheme: ClassScheme, thresholds: Sequence[float]
) -> tuple[Partials, dict]:
    """The zonal engine in this process (two reader threads)."""
    with rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB):  # every block is read once
        result = zonal_partials(path, zones, scheme, thresholds)
    return result, {"method": "single", "workers": 1}


def _save(path: Path, partials: Partials) -> None:
    temporary = temporary_beside(path)
    np.savez(
        temporary,
        zone_ids=np.array(partials.zone_ids),
        pixel_area_m2=np.array(partials.pixel_area_m2),
        thresholds=np.array(partials.thresholds, dtype="float64"),
        total=partials.total,
        valid=partials.valid,
        value_sum=partials.value_sum,
        value_max=partials.value_max,
        class_weight=partials.class_weight,
        above=partials.above,
    )
    temporary.replace(path)


def _load(path: Path, layer: LayerRecord) -> Partials:
    with np.load(path) as data:
        return Partials(
            zone_ids=tuple(str(z) for z in data["zone_ids"]),
            pixel_area_m2=float(data["pixel_area_m2"]),
            thresholds=tuple(float(t) for t in data["thresholds"]),
            scheme=ClassScheme(layer.classes.bounds, layer.classes.labels),
            total=data["total"],
            valid=data["valid"],
            value_sum=data["value_sum"],
            value_max=data["value_max"],
            class_weight=data["class_weight"],
            above=data["above"],
        )
