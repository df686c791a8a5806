"""The pass: plan the windows to read; threads that each read and accumulate whole windows.

The unit of work is one window of the raster (a strip, or a group of zones within a strip):
values in, totals of that window out (an :class:`~adaptatie.zonal.accumulate.Accumulator`),
added up in window order. A whole raster is the sum of its windows, so a window of a mosaic
(:class:`~adaptatie.zonal.sources.WindowSource`) gives :class:`Partials` that merge with those
of the other windows. A thread reduces the window it has just decoded, so that no thread
waits for a single accumulating one and two cores are two busy threads, not three: on the
benchmark raster (bench/zonal.py) the pass takes 1.6-1.8 s where decoding alone in two
threads takes 1.5 s.

Per window, the zones of the centre rule are cut into runs by :func:`~adaptatie.zonal.coverage.
centre_runs` and reduced run by run; the exact zones get their coverage fractions. On the
pixels that an exact zone covers only in part, every centre-rule zone that reaches them gets
its exact fraction too (and not its centre-rule 0 or 1): so a pixel is never counted twice nor
lost next to an exact zone, whichever rule each zone follows. Zones may overlap: each zone gets
what it would get alone (a pixel whose centre lies in two centre-rule zones counts for both),
but regions combined from overlapping zones count the overlap twice.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import rasterio
import shapely

from adaptatie.zonal import accumulate
from adaptatie.zonal.accumulate import Accumulator, Pending, native_nodata, to_work
from adaptatie.zonal.coverage import Edges, centre_count, centre_runs, edges_of, exact_fractions
from adaptatie.zonal.cuts import make_cuts
from adaptatie.zonal.results import ClassScheme, Partials, ZonalInputError
from adaptatie.zonal.sources import RasterSource, SourceLike, open_source
from adaptatie.zonal.zones import choose_exact, pixel_windows, zone_arrays

if TYPE_CHECKING:
    import geopandas as gpd

EXACT_PIXELS = 1 << 20  # pixels of an exact zone's window handled at a time


@dataclass(frozen=True)
class Window:
    row0: int
    row1: int
    col0: int
    col1: int
    large: np.ndarray  # indices of centre-rule zones whose bounds meet the window
    small: np.ndarray  # indices of exact zones whose bounds meet the window

    @property
    def zones(self) -> np.ndarray:
        """Every zone the window's accumulation may touch."""
        return np.concatenate((self.large, self.small))


def plan(
    rows: np.ndarray,
    cols: np.ndarray,
    exact: np.ndarray,
    block_shape: tuple[int, int],
    max_block_pixels: int,
) -> list[Window]:
    """Windows to read: row strips aligned to the blocks; within a strip, one window per group
    of zones whose columns are less than a block (at least 256 pixels) apart, so that sparse
    zones do not make the whole width be decoded.

    A strip is as many whole block rows as fit in ``max_block_pixels`` across the zones. When
    not even one fits (a wide raster), the strip is one block row and a group wider than
    ``max_block_pixels / block height`` pixels is cut at block edges into as few windows of
    about equal width as fit: so no block is decoded twice (windows of part of a block row
    would each decode whole blocks, and GDAL's cache cannot be relied on to hold a row of
    blocks). The windows depend only on the strip and the zones that meet it, so a task on a
    cluster that reads some strips of the raster reads them in the same windows."""
    block_height, block_width = block_shape
    active = rows[:, 1] > rows[:, 0]
    if not active.any():
        return []
    row_lo, row_hi = int(rows[active, 0].min()), int(rows[active, 1].max())
    width = int(cols[active, 1].max() - cols[active, 0].min())
    per_strip = max(1, max_block_pixels // max(1, width))
    chunk = None
    if per_strip >= block_height:
        height = per_strip // block_height * block_height
    else:
        height = block_height
        chunk = max(block_width, max_block_pixels // block_height // block_width * block_width)
    start = row_lo // block_height * block_height
    gap = max(block_width, 256)
    windows = []
    for top in range(start, row_hi, height):
        row0, row1 = max(top, row_lo), min(top + height, row_hi)
        meets = np.flatnonzero(active & (rows[:, 0] < row1) & (rows[:, 1] > row0))
        meets = meets[np.argsort(cols[meets, 0], kind="stable")]
        groups, first, stop = [], 0, -1
        for i, zone in enumerate(meets):
            if i > first and cols[zone, 0] > stop + gap:
                groups.append(meets[first:i])
                first = i
            stop = cols[zone, 1] if i == first else max(stop, cols[zone, 1])
        if meets.size:
            groups.append(meets[first:])
        for group in groups:
            windows.extend(_windows((row0, row1), group, cols, exact, chunk, block_width))
    return windows


def _windows(
    rows: tuple[int, int],
    zones: np.ndarray,
    cols: np.ndarray,
    exact: np.ndarray,
    chunk: int | None,
    block_width: int,
) -> list[Window]:
    """The windows of one group of zones in a strip: one, or (``chunk`` pixels at most) cut."""
    row0, row1 = rows
    zones = np.sort(zones)
    col0, col1 = int(cols[zones, 0].min()), int(cols[zones, 1].max())
    parts = [(col0, col1)]
    if chunk is not None and col1 - col0 > chunk:
        # As few windows as fit, of about equal width, cut at block edges.
        first, last = col0 // block_width, -(-col1 // block_width)
        count = -(-(last - first) // (chunk // block_width))
        size = -(-(last - first) // count) * block_width
        cuts = [col0, *range(first * block_width + size, col1, size), col1]
        parts = list(itertools.pairwise(cuts))
    windows = []
    for c0, c1 in parts:
        here = zones[(cols[zones, 0] < c1) & (cols[zones, 1] > c0)]
        if here.size:
            large, small = here[~exact[here]], here[exact[here]]
            windows.append(Window(row0, row1, c0, c1, large=large, small=small))
    return windows


def run_windows(
    windows: list[Window],
    threads: int,
    work: Callable[[Window, Accumulator, np.ndarray | None], None],
    accumulators: Callable[[], Accumulator],
    buffer_size: int | None,
) -> Iterator[tuple[Window, Accumulator]]:
    """Each window with its totals, in window order: ``work(window, totals, buffer)`` reads
    and accumulates one window into ``totals`` (in which the window's zones are reset
    before; only they are meaningful) using ``buffer`` (``buffer_size`` bytes, reused per
    thread; None: no buffer). With ``threads`` >= 1 that many threads each read and
    accumulate whole windows, so that a window is reduced on the core that decoded it and
    nothing waits for a single accumulating thread; at most ``threads`` + 1 windows are in
    flight, so memory stays bounded. With 0 the calling thread does it all.

    The caller adds each window's totals in window order: the result does not depend on the
    number of threads nor on which finished first."""
    local = threading.local()

    def run(w: Window, totals: Accumulator) -> tuple[Window, Accumulator]:
        buffer = None
        if buffer_size is not None:
            buffer = getattr(local, "buffer", None)
            if buffer is None:  # one per thread, reused: a fresh one would fault per 4 KiB
                buffer = local.buffer = np.empty(buffer_size, dtype=np.uint8)
        totals.reset(w.zones)
        work(w, totals, buffer)
        return w, totals

    if threads < 1 or len(windows) < 2:
        totals = accumulators()
        for w in windows:
            yield run(w, totals)
        return
    pool_totals = [accumulators() for _ in range(min(threads + 1, len(windows)))]
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="zonal") as pool:
        pending = deque(
            pool.submit(run, windows[i], pool_totals[i]) for i in range(len(pool_totals))
        )
        for i in range(len(windows)):
            done = pending.popleft().result()
            yield done  # the caller is done with its totals when it asks for the next
            ahead = i + len(pool_totals)
            if ahead < len(windows):
                pending.append(pool.submit(run, windows[ahead], done[1]))


def zonal_partials(
    source: SourceLike,
    zones: gpd.GeoDataFrame,
    scheme: ClassScheme,
    thresholds: Sequence[float] = (),
    *,
    exact_below_pixels: float = 10_000.0,
    max_block_pixels: int = 16_777_216,
    read_threads: int = 2,
    exact_zones: np.ndarray | None = None,
    rows: tuple[int, int] | None = None,
) -> Partials:
    """Per-zone aggregates of band 1 of ``source`` in one streaming pass.

    ``source`` is a GeoTIFF path, ``(array, transform, nodata)`` (a masked array keeps its
    mask) or a :class:`~adaptatie.zonal.sources.RasterSource` (e.g. a window of a mosaic).
    ``zones`` has columns ``id`` (unique text) and ``geometry`` (polygons, in the raster's
    CRS; each zone gets what it would get alone, also where zones overlap); zones are returned
    in their order. Which zones get exact coverage fractions and which the pixel-centre rule:
    see :func:`~adaptatie.zonal.zones.choose_exact` (0 = centre rule for every zone,
    ``math.inf`` = exact for every zone). A window holds at most ``max_block_pixels`` pixels
    (at least one row, or one block row of a wide raster, cut into windows of whole blocks);
    a file is read and accumulated by ``read_threads`` threads, window by window (0: in the
    calling thread, as a task on a cluster does, whose threads are the parallelism); the
    result does not depend on their number.
    ``exact_zones`` (one bool per zone) replaces the choice of rule: a window of a larger
    raster (a task on a cluster) passes the choice made for the whole raster, so that every
    window counts alike. ``rows``
    restricts the pass to rows [start, stop) of the raster (a strip of a larger run): pixel
    coordinates stay those of the whole raster, so the strips of a raster add up to exactly
    what one pass over it counts. Raises
    :class:`ZonalInputError` for unusable input.
    """
    thresholds = tuple(float(t) for t in thresholds)
    if any(math.isnan(t) for t in thresholds) or len(set(thresholds)) != len(thresholds):
        raise ZonalInputError(
            f"Drempels {thresholds} moeten verschillende getallen zijn. Oplossing: laat dubbele "
            "en lege drempels weg."
        )
    if max_block_pixels < 1:
        raise ZonalInputError(
            f"max_block_pixels moet minstens 1 zijn, niet {max_block_pixels}. Oplossing: geef "
            "een positief aantal pixels."
        )
    try:
        ids, geoms = zone_arrays(zones)
        # One GDAL environment for the whole pass. The engine's threads are the parallelism:
        # GDAL's own threads for the sources of a VRT (3.10: VRT_NUM_THREADS) would only
        # oversubscribe the cores.
        with rasterio.Env(VRT_NUM_THREADS=1):
            raster, opened = open_source(source)
            try:
                return _zonal(
                    raster, zones, ids, geoms, scheme, thresholds, exact_below_pixels,
                    max_block_pixels, read_threads, exact_zones, rows,
                )  # fmt: skip
            finally:
                if opened:
                    raster.close()
    except shapely.errors.GEOSException as error:
        raise ZonalInputError(
            f"De geometrie van een zone kon niet verwerkt worden ({error}). Oplossing: "
            "herstel de zones (bijv. met shapely.make_valid of QGIS 'Geometrie repareren') "
            "en probeer het opnieuw."
        ) from error


def _zonal(
    raster: RasterSource,
    zones: gpd.GeoDataFrame,
    ids: tuple[str, ...],
    geoms: np.ndarray,
    scheme: ClassScheme,
    thresholds: tuple[float, ...],
    exact_below_pixels: float,
    max_block_pixels: int,
    read_threads: int,
    exact_zones: np.ndarray | None = None,
    row_range: tuple[int, int] | None = None,
) -> Partials:
    transform = raster.transform
    if not (transform.b == 0 and transform.d == 0 and transform.a > 0 and transform.e < 0):
        raise ZonalInputError(
            f"Het raster is niet noord-boven zonder rotatie ({tuple(transform)[:6]}). "
            "Oplossing: verschaal het eerst met gdalwarp."
        )
    crs = zones.crs
    if raster.crs is not None and crs is not None and not crs.equals(raster.crs.to_wkt()):
        raise ZonalInputError(
            f"De zones ({zones.crs.to_string()}) en het raster ({raster.crs}) hebben een "
            "ander coördinatenstelsel. Oplossing: projecteer de zones eerst naar dat van het "
            "raster."
        )
    if raster.dtype.kind not in "iuf" or raster.dtype.itemsize > 8:
        raise ZonalInputError(
            f"Rastertype {raster.dtype} wordt niet ondersteund. Oplossing: gebruik een geheel "
            "getal of float (bijv. gdal_translate -ot Float32)."
        )
    pixel_area = abs(transform.a * transform.e)
    cuts = make_cuts(raster.dtype, scheme.edges, thresholds)
    nodata = native_nodata(raster.nodata, raster.dtype)
    acc = Accumulator(len(ids), cuts)
    rows, cols = pixel_windows(geoms, transform, raster.height, raster.width)
    if row_range is not None:
        rows = np.clip(rows, *row_range)
        void = rows[:, 1] <= rows[:, 0]
        rows[void], cols[void] = 0, 0
    if exact_zones is None:
        exact = choose_exact(geoms, transform, raster.height, raster.width, exact_below_pixels)
    else:
        exact = np.asarray(exact_zones, dtype=bool)
        if exact.shape != (len(ids),):
            raise ZonalInputError(
                f"exact_zones heeft {exact.size} waarden voor {len(ids)} zones. Oplossing: geef "
                "één waarde per zone."
            )
    active = rows[:, 1] > rows[:, 0]
    edges = {int(i): edges_of(geoms[i], transform) for i in np.flatnonzero(active)}
    windows = plan(rows, cols, exact, raster.block_shape, max_block_pixels)
    context = _Context(edges, rows, cols)

    def work(w: Window, totals: Accumulator, buffer: np.ndarray | None) -> None:
        shape = (w.row1 - w.row0, w.col1 - w.col0)
        out = None
        if buffer is not None:
            out = buffer[: shape[0] * shape[1] * raster.dtype.itemsize]
            out = out.view(raster.dtype).reshape(shape)
        raw, mask, owned = raster.read((w.row0, w.row1), (w.col0, w.col1), out=out)
        values, pending = to_work(raw, mask, owned, cuts, nodata)
        context.window(w, values, pending, totals)

    size = max(((w.row1 - w.row0) * (w.col1 - w.col0) for w in windows), default=0)
    buffer_size = size * raster.dtype.itemsize if raster.threaded else None
    acc = Accumulator(len(ids), cuts)
    for w, totals in run_windows(
        windows,
        read_threads if raster.threaded else 0,
        work,
        lambda: Accumulator(len(ids), cuts),
        buffer_size,
    ):
        acc.add(totals, w.zones)
    return acc.partials(ids, pixel_area, scheme, thresholds)


@dataclass(frozen=True)
class _Context:
    """What every window's accumulation reads (the zones' edges and pixel bounds); shared by
    the threads, never written."""

    edges: dict[int, Edges]
    rows: np.ndarray
    cols: np.ndarray

    def window(self, w: Window, values: np.ndarray, pending: Pending, acc: Accumulator) -> None:
        """Accumulate one window into ``acc`` (``values`` in the work dtype; its invalid pixels
        are NaN or still ``pending``)."""
        if w.small.size:
            self._exact(w, values, pending, acc)  # first: the runs set invalid values to 0
        if w.large.size:
            height, width = w.row1 - w.row0, w.col1 - w.col0
            zone_edges = [self.edges[int(z)] for z in w.large]
            slots = np.arange(1, w.large.size + 1)
            starts, total, number = centre_runs(
                zone_edges, slots, (w.row0, w.row1), (w.col0, w.col1), accumulate.RUN_MAX
            )
            shared = number > 1
            if shared.any():
                lengths = np.diff(starts, append=height * width)
                image = np.repeat(shared, lengths).reshape(height, width)
                pending.apply(values, slice(None), slice(None))
                self._shared_centres(w, w.large, image, values, acc)
            slots = np.where(number == 1, total, 0)
            acc.add_runs(w.large, starts, slots, values, pending)

    def _shared_centres(
        self,
        w: Window,
        zones: np.ndarray,
        shared: np.ndarray,
        values: np.ndarray,
        acc: Accumulator,
    ) -> None:
        """Pixels whose centre lies in more than one (overlapping) zone count for each."""
        cols_with = np.flatnonzero(shared.any(axis=0))
        rows_with = np.flatnonzero(shared.any(axis=1))
        lo, hi = w.col0 + int(cols_with[0]), w.col0 + int(cols_with[-1]) + 1
        top, bottom = w.row0 + int(rows_with[0]), w.row0 + int(rows_with[-1]) + 1
        band = slice(top - w.row0, bottom - w.row0)
        for zone in zones:
            c0, c1 = max(int(self.cols[zone, 0]), lo), min(int(self.cols[zone, 1]), hi)
            if c0 >= c1:
                continue
            edges = self.edges[int(zone)]
            inside = centre_count(edges, (top, bottom), (c0, c1)) == 1
            local = slice(c0 - w.col0, c1 - w.col0)
            weights = (shared[band, local] & inside).astype(np.float64)
            acc.add_exact(int(zone), values[band, local], weights)

    def _exact(self, w: Window, values: np.ndarray, pending: Pending, acc: Accumulator) -> None:
        height, width = w.row1 - w.row0, w.col1 - w.col0
        claimed = np.zeros((height, width), dtype=bool) if w.large.size else None
        for zone in w.small:
            r0, r1 = max(int(self.rows[zone, 0]), w.row0), min(int(self.rows[zone, 1]), w.row1)
            c0, c1 = max(int(self.cols[zone, 0]), w.col0), min(int(self.cols[zone, 1]), w.col1)
            step = max(1, EXACT_PIXELS // max(1, c1 - c0))
            for top in range(r0, r1, step):
                bottom = min(top + step, r1)
                part = ((top, bottom), (c0, c1))
                self._exact_part(w, int(zone), *part, values, pending, claimed, acc)

    def _exact_part(
        self,
        w: Window,
        zone: int,
        rows: tuple[int, int],
        cols: tuple[int, int],
        values: np.ndarray,
        pending: Pending,
        claimed: np.ndarray | None,
        acc: Accumulator,
    ) -> None:
        """Exact fractions of one exact zone; on the pixels it covers in part, the centre-rule
        zones get their exact fraction instead of their centre-rule weight (a correction of
        fraction - [centre inside], as the runs count the centre-rule weight)."""
        local = (
            slice(rows[0] - w.row0, rows[1] - w.row0),
            slice(cols[0] - w.col0, cols[1] - w.col0),
        )
        fractions = exact_fractions(self.edges[zone], rows, cols)
        block = values[local]
        pending.apply(block, *local)
        acc.add_exact(zone, block, fractions)
        if claimed is None:
            return
        partial = (fractions > 0) & (fractions < 1) & ~claimed[local]
        if not partial.any():
            return
        claimed[local] |= partial
        # The corrections are nonzero on the partial pixels only: work within their bounds.
        hit_rows = np.flatnonzero(partial.any(axis=1))
        hit_cols = np.flatnonzero(partial.any(axis=0))
        r0, r1 = rows[0] + int(hit_rows[0]), rows[0] + int(hit_rows[-1]) + 1
        c0, c1 = cols[0] + int(hit_cols[0]), cols[0] + int(hit_cols[-1]) + 1
        sub = (slice(r0 - rows[0], r1 - rows[0]), slice(c0 - cols[0], c1 - cols[0]))
        partial, block = partial[sub], block[sub]
        large = w.large
        meets = (self.rows[large, 0] < r1) & (self.rows[large, 1] > r0)
        meets &= (self.cols[large, 0] < c1) & (self.cols[large, 1] > c0)
        for other in large[meets]:
            edges = self.edges[int(other)]
            inside = centre_count(edges, (r0, r1), (c0, c1)) == 1
            correction = exact_fractions(edges, (r0, r1), (c0, c1)) - inside
            acc.add_exact(int(other), block, np.where(partial, correction, 0.0))
