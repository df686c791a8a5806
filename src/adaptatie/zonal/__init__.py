"""Zonal statistics of one value raster over polygon zones: one streaming pass, mergeable partials.

What it computes
----------------
Per zone: the covered weight (valid plus invalid pixels), the valid weight, the weighted sum and
the maximum of the valid values, the weight per value class and the weight above each
threshold. The weights are in pixel units: 1 for a pixel counted whole, the coverage fraction
for a pixel counted in part. These :class:`Partials` add up: two windows of one raster are
merged with :meth:`Partials.merge`, zones are united into regions with
:meth:`Partials.combine`, and :func:`summary_table` turns them into means, maxima, areas and
shares.

How (modules by role)
---------------------
* ``sources``: :class:`RasterSource` and its implementations (array, file, window of another
  source), each giving values plus the masked pixels (numpy masks, GDAL mask and alpha bands).
* ``coverage``: exact coverage fractions and the pixel-centre rule, both straight from the
  zone's boundary segments on the pixel grid (no clipping, so no invalid pieces).
* ``zones``: checked zones, their pixel windows and the rule each zone follows.
* ``engine``: the plan of windows, the threads that read and accumulate them window by window
  (``accumulate``); one window in, totals out, so windows of a mosaic can run anywhere and
  their :class:`Partials` be merged.
* ``kernels``: the compiled (numba) loops that reduce the centre rule's runs, without the GIL.

The two rules: zones that are large relative to the pixel follow the pixel-centre rule (a pixel
counts wholly for the zone that holds its centre: fast, run by run); small and thin zones get
exact coverage fractions (area of pixel ∩ zone / pixel area). On every pixel that an exact
zone covers in part, all zones get their exact fractions, so no pixel is counted twice or lost
where zones of the two rules meet. ``exact_below_pixels=0`` sends every zone to the centre rule,
``math.inf`` every zone to exact fractions.

Definitions
-----------
* Invalid pixels are those equal to the raster's nodata value (compared in the raster's own
  dtype), NaN, or masked (a numpy mask, a GDAL per-dataset mask or alpha band). They count in
  ``total`` (reported as nodata area) and nowhere else. Pixels outside the raster are not
  covered at all.
* Values are compared with class edges and thresholds in the raster's own precision: for a
  float32 raster the edge 0.15 is ``np.float32(0.15)``. For integer rasters the comparison is
  exact. Sums are accumulated in float64.
* Class ``i`` holds ``edges[i] <= v < edges[i + 1]``; a last edge of ``inf`` includes ``inf``.
  Values outside ``[edges[0], edges[-1])`` belong to no class, so shares then sum to less than 100.
* Only band 1 is read, raw (scale and offset are not applied), from a north-up raster.
* Zones may overlap: every zone gets what it would get alone, on both rules. Regions made with
  :meth:`Partials.combine` must be made of zones that do not overlap (else the overlap counts
  twice).

Not included: reprojection (zones must be in the raster's CRS, EPSG:28992 in this project).
GDAL's block cache does not speed this pass up (every block is used once); processes that care
about their memory should bound it, e.g. ``GDAL_CACHEMAX=64`` (MB).
"""

from adaptatie.zonal.coverage import coverage_fractions
from adaptatie.zonal.engine import zonal_partials
from adaptatie.zonal.results import (
    ClassScheme,
    Partials,
    ZonalInputError,
    summary_table,
    threshold_column,
)
from adaptatie.zonal.sources import ArraySource, FileSource, RasterSource, WindowSource

__all__ = [
    "ArraySource",
    "ClassScheme",
    "FileSource",
    "Partials",
    "RasterSource",
    "WindowSource",
    "ZonalInputError",
    "coverage_fractions",
    "summary_table",
    "threshold_column",
    "zonal_partials",
]
