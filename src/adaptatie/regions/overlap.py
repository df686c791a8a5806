"""Area overlap between two polygon layers (pure computation, EPSG:28992 metres)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely


def overlap_table(left: gpd.GeoDataFrame, right: gpd.GeoDataFrame) -> pd.DataFrame:
    """Intersection areas of every overlapping (left, right) pair.

    Both frames have columns ``code`` and ``geometry`` in the same projected CRS. Returns a frame
    with ``left``, ``right`` (codes), ``area`` (m², > 0), ``left_share`` (of the left polygon's
    area) and ``right_share`` (of the right polygon's area).
    """
    left_geoms = left.geometry.to_numpy()
    right_geoms = right.geometry.to_numpy()
    tree = shapely.STRtree(right_geoms)
    li, ri = tree.query(left_geoms, predicate="intersects")
    areas = shapely.area(shapely.intersection(left_geoms[li], right_geoms[ri]))
    keep = areas > 0
    li, ri, areas = li[keep], ri[keep], areas[keep]
    left_area = shapely.area(left_geoms)
    right_area = shapely.area(right_geoms)
    return pd.DataFrame(
        {
            "left": left["code"].to_numpy()[li],
            "right": right["code"].to_numpy()[ri],
            "area": areas,
            "left_share": areas / left_area[li],
            "right_share": areas / right_area[ri],
        }
    ).sort_values(["left", "area"], ascending=[True, False], ignore_index=True)


def area_by_code(frame: gpd.GeoDataFrame) -> dict[str, float]:
    """Area in m² per code."""
    return dict(zip(frame["code"], np.asarray(frame.geometry.area, dtype=float), strict=True))
