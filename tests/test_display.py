"""Boundaries for the browser: simplified without gaps or overlaps."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from adaptatie.regions.atlas import Atlas
from adaptatie.regions.display import map_layers, simplify_coverage
from adaptatie.regions.models import RegionKind


def test_coverage_simplify_keeps_neighbours_together() -> None:
    # Two squares sharing a zig-zag edge: simplification must move the edge for both.
    zigzag = [(10, y) if y % 2 == 0 else (10.4, y) for y in range(0, 11)]
    left = shapely.Polygon([(0, 0), *zigzag, (0, 10)])
    right = shapely.Polygon([(20, 0), (20, 10), *reversed(zigzag)])
    simple = simplify_coverage(np.array([left, right]), tolerance=1.0)
    assert (
        shapely.get_num_coordinates(simple).sum() < shapely.get_num_coordinates([left, right]).sum()
    )
    union = shapely.union_all(simple)
    assert sum(shapely.area(simple)) == pytest.approx(union.area)  # no overlap
    assert union.area == pytest.approx(200.0)  # no gap: outline unchanged


def test_real_layers_have_no_overlaps_and_dissolve_from_municipalities(atlas: Atlas) -> None:
    layers = map_layers(atlas, 2019)
    municipalities = json.loads(layers[RegionKind.GEMEENTE].geojson)["features"]
    geoms = [shapely.from_geojson(json.dumps(f["geometry"])) for f in municipalities]
    union = shapely.union_all(geoms)
    assert sum(g.area for g in geoms) == pytest.approx(union.area, rel=1e-6)
    clusters = json.loads(layers[RegionKind.CLUSTER].geojson)["features"]
    assert {f["properties"]["naam"] for f in clusters} >= {"DAL", "GHT", "Kop van Drenthe"}
    assert all(f["properties"]["jaar"] == 2019 for f in clusters)
    by_name = {f["properties"]["naam"]: f for f in municipalities}
    ght = next(f for f in clusters if f["properties"]["id"] == "GHT")
    groningen = shapely.from_geojson(json.dumps(by_name["Groningen"]["geometry"]))
    assert shapely.from_geojson(json.dumps(ght["geometry"])).area == pytest.approx(groningen.area)


def test_coordinates_are_rounded_to_about_a_metre(atlas: Atlas) -> None:
    feature = json.loads(map_layers(atlas, 2024)[RegionKind.PROVINCIE].geojson)["features"][0]
    coords = shapely.get_coordinates(shapely.from_geojson(json.dumps(feature["geometry"])))
    assert np.allclose(coords, np.round(coords, 5), atol=0, rtol=0)
    assert 6.0 < coords[:, 0].mean() < 7.5  # longitude of the north-east Netherlands
