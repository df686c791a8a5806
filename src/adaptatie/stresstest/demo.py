"""SYNTHETIC demonstration rasters for all four stress-test themes (clearly labelled).

No real stress-test rasters are available offline, so the demo generates deterministic fields
over the whole map area at 25 m: smooth "terrain" built from seeded plane waves, depressions that
fill with water, heat islands around the larger towns, drought classes and a flood corridor.
They look plausible on a map and exercise every code path, but they are NOT measurements: every
layer is registered with ``synthetic=True`` and the UI, tables and downloads say "synthetisch".
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
import shapely
from rasterio.features import geometry_mask
from rasterio.transform import from_origin

from adaptatie.io.catalogue import Catalogue
from adaptatie.io.ingest import NODATA, LayerRequest, add_layer
from adaptatie.stresstest.themes import LayerRecord, Theme

RESOLUTION = 25.0
SEED = 20261127
STRIP_ROWS = 512
SOURCE = "SYNTHETISCH: gegenereerd door 'adaptatie demo' (geen meting, alleen voor demonstratie)"
# Town centres (RD New) that get a heat island: Groningen, Assen, Emmen, Hoogeveen, Meppel,
# Zwolle, Almelo, Hengelo, Enschede, Veendam, Hardenberg.
TOWNS = (
    (233_500, 582_000, 1.0),
    (234_000, 557_000, 0.7),
    (256_000, 532_000, 0.7),
    (233_000, 527_500, 0.5),
    (209_000, 522_000, 0.5),
    (203_000, 502_500, 0.9),
    (240_500, 487_000, 0.7),
    (250_500, 475_500, 0.8),
    (257_500, 471_500, 0.9),
    (252_500, 569_000, 0.4),
    (237_000, 510_500, 0.4),
)


@dataclass(frozen=True)
class DemoLayer:
    layer_id: str
    theme: str
    scenario: str
    generate: Callable[[np.ndarray, np.ndarray], np.ndarray]


def _waves(seed: int, count: int, shortest: float, longest: float) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, np.pi, count)
    wavelength = np.exp(rng.uniform(np.log(shortest), np.log(longest), count))
    k = 2 * np.pi / wavelength
    amplitude = wavelength / longest
    return k * np.cos(angle), k * np.sin(angle), rng.uniform(0, 2 * np.pi, count), amplitude


def terrain(
    x: np.ndarray,
    y: np.ndarray,
    seed: int = SEED,
    shortest: float = 800.0,
    longest: float = 25_000.0,
) -> np.ndarray:
    """Smooth field with values roughly in -1..1 (deterministic for a seed)."""
    kx, ky, phase, amplitude = _waves(seed, 24, shortest, longest)
    total = np.zeros(np.broadcast_shapes(x.shape, y.shape), dtype="float64")
    for i in range(len(kx)):
        total += amplitude[i] * np.sin(kx[i] * x + ky[i] * y + phase[i])
    return total / np.sqrt((amplitude**2).sum() / 2)


def _water_depth(rain_mm: float) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    def generate(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        # Many small depressions (street and field scale) that fill with more rain.
        low = -terrain(x, y, SEED, 150.0, 4_000.0)
        level = 1.95 - rain_mm / 140.0 * 0.45
        return np.clip((low - level) * 0.5, 0.0, None)

    return generate


def _heat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    pet = 27.0 + 3.0 * terrain(x, y, SEED + 1)
    for tx, ty, strength in TOWNS:
        distance2 = (x - tx) ** 2 + (y - ty) ** 2
        pet = pet + 14.0 * strength * np.exp(-distance2 / (2 * 2_500.0**2))
    return np.clip(pet, 18.0, 48.0)


def _drought(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    field = terrain(x, y, SEED + 2) - (y - 540_000) / 60_000  # drier on the sandy south
    return np.clip(np.round(3 + 1.6 * field), 1, 5)


def _flood(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    # A corridor following a meandering line (a river valley), deepest in the middle.
    centre = 236_000 + 9_000 * np.sin((y - 460_000) / 21_000)
    distance = np.abs(x - centre) + 1_500 * terrain(x, y, SEED + 3)
    return np.clip(3.0 - distance / 1_200.0, 0.0, None)


DEMO_LAYERS = (
    DemoLayer("demo-wateroverlast-70mm", "wateroverlast", "70 mm in 2 uur", _water_depth(70)),
    DemoLayer("demo-wateroverlast-140mm", "wateroverlast", "140 mm in 2 uur", _water_depth(140)),
    DemoLayer("demo-hitte", "hitte", "hete dag 12-18 uur", _heat),
    DemoLayer("demo-droogte", "droogte", "droog jaar", _drought),
    DemoLayer("demo-overstroming", "overstroming", "kans 1/1000 per jaar", _flood),
)


def write_raster(
    target: Path,
    area: shapely.Geometry,
    generate: Callable[[np.ndarray, np.ndarray], np.ndarray],
    resolution: float = RESOLUTION,
) -> None:
    """Write a tiled float32 GeoTIFF of ``generate`` over ``area``'s bounding box, strip by strip.

    Pixels outside ``area`` are nodata.
    """
    minx, miny, maxx, maxy = area.bounds
    minx, maxy = np.floor(minx / resolution) * resolution, np.ceil(maxy / resolution) * resolution
    width = int(np.ceil((maxx - minx) / resolution))
    height = int(np.ceil((maxy - miny) / resolution))
    transform = from_origin(minx, maxy, resolution, resolution)
    profile = {
        "driver": "GTiff",
        "dtype": "float32",
        "count": 1,
        "width": width,
        "height": height,
        "crs": "EPSG:28992",
        "transform": transform,
        "nodata": NODATA,
        "tiled": True,
        "blockxsize": 512,
        "blockysize": 512,
        "compress": "deflate",
        "predictor": 3,
    }
    x = minx + (np.arange(width) + 0.5) * resolution
    with rasterio.open(target, "w", **profile) as dst:
        for row in range(0, height, STRIP_ROWS):
            rows = min(STRIP_ROWS, height - row)
            y = maxy - (row + np.arange(rows) + 0.5) * resolution
            values = generate(x[np.newaxis, :], y[:, np.newaxis]).astype("float32")
            window = rasterio.windows.Window(0, row, width, rows)
            outside = geometry_mask(
                [area],
                out_shape=(rows, width),
                transform=rasterio.windows.transform(window, transform),
            )
            values[outside] = NODATA
            dst.write(values, 1, window=window)


def install_demo(
    catalogue: Catalogue,
    themes: dict[str, Theme],
    area: shapely.Geometry,
    resolution: float = RESOLUTION,
    progress: Callable[[str], None] = lambda _message: None,
) -> list[LayerRecord]:
    """Generate and register the synthetic layers that are not in the catalogue yet."""
    existing = {r.id for r in catalogue.layers()}
    added = []
    with tempfile.TemporaryDirectory() as folder:
        for layer in DEMO_LAYERS:
            if layer.layer_id in existing:
                continue
            progress(f"{layer.layer_id}: genereren ({resolution:g} m)…")
            path = Path(folder) / f"{layer.layer_id}.tif"
            theme = themes[layer.theme]
            write_raster(path, area, layer.generate, resolution)
            request = LayerRequest(
                layer_id=layer.layer_id,
                theme=theme,
                scenario=layer.scenario,
                unit=theme.unit,
                source=SOURCE,
                date="2026-11-27",
                licence="geen (synthetisch)",
                synthetic=True,
            )
            added.append(add_layer(catalogue, path, request, area))
            progress(f"{layer.layer_id}: toegevoegd")
    return added
