"""The zonal pass on a Dask distributed cluster: strips of the raster as tasks, partials merged
on the client.

A strip is a band of whole block rows across the raster (about ``TASK_PIXELS`` pixels); each
task reads only its strip and returns the partials of the zones whose bounds meet it; the
client adds them up per zone. A task reads its strip in its own thread, so a worker uses as
many cores as it has threads (a local cluster: one per worker). Tasks are pure functions of
their arguments: when a worker dies, the scheduler runs its tasks again elsewhere
(``distributed``'s own recovery), so the run goes on. The raster must be readable under the
same path on every worker (checked before the run).
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import shapely

from adaptatie.errors import AdaptatieError
from adaptatie.scale.tasks import StripTask, probe, strip_partials
from adaptatie.zonal import ClassScheme, FileSource, Partials
from adaptatie.zonal.zones import choose_exact, pixel_windows, zone_arrays

if TYPE_CHECKING:
    import geopandas as gpd
    from distributed import Client, Future

SCHEDULER_SETTING = "ADAPTATIE_DASK_SCHEDULER"
TASK_PIXELS = 64 * 1024 * 1024  # pixels per task (256 MiB of float32, read in 64 MiB windows)
WORKER_MEMORY = "2GiB"  # memory limit of each worker of a local cluster started here
CONNECT_TIMEOUT_S = 10
RETRIES = 2  # reruns of a task that raised (a worker's death is recovered by the scheduler)


class ClusterError(AdaptatieError, RuntimeError):
    """The Dask cluster cannot be reached or cannot run the summary."""


@contextlib.contextmanager
def connect(
    scheduler: str | None = None,
    workers: int | None = None,
    *,
    memory_limit: str = WORKER_MEMORY,
    timeout_s: float | None = None,
) -> Iterator[Client]:
    """A client of the cluster at ``scheduler``, or of a local cluster of ``workers`` processes
    (one thread each, on loopback), closed afterwards."""
    from distributed import Client, LocalCluster

    timeout_s = CONNECT_TIMEOUT_S if timeout_s is None else timeout_s
    if scheduler and workers:
        raise ClusterError(
            "Geef een scheduler óf een aantal workers, niet allebei. Oplossing: laat --workers "
            "weg om het bestaande cluster te gebruiken, of --scheduler (en "
            f"{SCHEDULER_SETTING}) om een lokaal cluster te starten."
        )
    if scheduler:
        try:
            client = Client(scheduler, timeout=f"{timeout_s}s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(
                f"Het Dask-cluster op {scheduler} is niet bereikbaar ({type(exc).__name__}). "
                "Oplossing: controleer het adres (tcp://HOST:POORT) en of de scheduler draait "
                f"('dask scheduler'), of laat --scheduler en {SCHEDULER_SETTING} weg om in één "
                "proces te rekenen."
            ) from exc
        with client:
            _wait_for_workers(client, scheduler, timeout_s)
            yield client
        return
    count = int(workers or 1)
    if count < 1:
        raise ClusterError(
            f"--workers moet minstens 1 zijn, niet {count}. Oplossing: geef 1 of meer."
        )
    with (
        LocalCluster(
            n_workers=count,
            threads_per_worker=1,
            processes=True,
            memory_limit=memory_limit,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # its HTTP server: loopback, a free port
        ) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        yield client


def _wait_for_workers(client: Client, scheduler: str, timeout_s: float) -> None:
    try:
        client.wait_for_workers(1, timeout=timeout_s)
    except TimeoutError as exc:
        raise ClusterError(
            f"Het Dask-cluster op {scheduler} heeft geen workers. Oplossing: start er een of "
            f"meer ('dask worker {scheduler}') en probeer het opnieuw."
        ) from exc


def worker_count(client: Client) -> int:
    return len(client.scheduler_info(n_workers=-1)["workers"])


@dataclass(frozen=True)
class Plan:
    tasks: tuple[StripTask, ...]
    zone_ids: tuple[str, ...]


def plan_strips(
    path: Path,
    zones: gpd.GeoDataFrame,
    scheme: ClassScheme,
    thresholds: Sequence[float],
    *,
    task_pixels: int = TASK_PIXELS,
    exact_below_pixels: float = 10_000.0,
) -> Plan:
    """The strips of ``path`` that zones meet, with those zones and their rule (chosen once
    for the whole raster, as the single-process engine does)."""
    ids, geoms = zone_arrays(zones)
    source = FileSource(path)
    try:
        height, width, transform = source.height, source.width, source.transform
        block = source.block_shape[0]
        crs = source.crs
    finally:
        source.close()
    rows, _ = pixel_windows(geoms, transform, height, width)
    exact = choose_exact(geoms, transform, height, width, exact_below_pixels)
    active = rows[:, 1] > rows[:, 0]
    wkb = shapely.to_wkb(geoms)
    strip = max(block, task_pixels // max(width, 1) // block * block)
    tasks = []
    if active.any():
        start = int(rows[active, 0].min()) // block * block
        stop = int(rows[active, 1].max())
        for top in range(start, stop, strip):
            bottom = min(top + strip, height)
            meets = np.flatnonzero(active & (rows[:, 0] < bottom) & (rows[:, 1] > top))
            if not meets.size:
                continue
            tasks.append(
                StripTask(
                    path=str(path),
                    rows=(top, bottom),
                    zone_ids=tuple(ids[i] for i in meets),
                    wkb=tuple(bytes(wkb[i]) for i in meets),
                    exact=tuple(bool(exact[i]) for i in meets),
                    crs_wkt=None if crs is None or zones.crs is None else zones.crs.to_wkt(),
                    scheme=scheme,
                    thresholds=tuple(float(t) for t in thresholds),
                )
            )
    return Plan(tuple(tasks), ids)


PROBE_TIMEOUT_S = 60.0  # a worker that cannot even answer a file probe in this time is stuck


def check_workers_can_read(client: Client, path: Path) -> None:
    """Raise :class:`ClusterError` when a worker cannot read the raster under ``path``."""
    source = FileSource(path)
    shape = (source.height, source.width)
    source.close()
    def probe_on(worker: str) -> Future:
        return client.submit(probe, str(path), shape, workers=[worker], pure=False)

    futures = {worker: probe_on(worker) for worker in client.scheduler_info()["workers"]}
    deadline = time.monotonic() + PROBE_TIMEOUT_S
    while time.monotonic() < deadline:
        if all(f.done() for f in futures.values()):  # (no workers: at once)
            break
        time.sleep(0.2)
        # A worker that left meanwhile (died, or restarted under a new address) is not stuck:
        # its probe would never run. One that joined is probed too.
        current = set(client.scheduler_info()["workers"])
        for worker in [w for w in futures if w not in current]:
            futures.pop(worker).cancel()
        for worker in current - futures.keys():
            futures[worker] = probe_on(worker)
    pending = [f for f in futures.values() if not f.done()]
    if pending or not futures:
        for future in pending:
            future.cancel()
        raise ClusterError(
            f"{len(pending)} van de {len(futures)} workers van het Dask-cluster gaven binnen "
            f"{PROBE_TIMEOUT_S:g} s geen antwoord op de leesproef. Oplossing: controleer of de "
            "workers draaien en niet overbelast zijn, en probeer het opnieuw."
        )
    answers = {worker: future.result() for worker, future in futures.items()}
    wrong = {worker: problem for worker, problem in answers.items() if problem}
    if wrong:
        worker, problem = next(iter(wrong.items()))
        raise ClusterError(
            f"{len(wrong)} van de {len(answers)} workers van het Dask-cluster kunnen het raster "
            f"niet lezen (bijv. {worker}: {problem}). Oplossing: zet de lagenmap "
            "(ADAPTATIE_HOME) op een gedeelde schijf die op elke worker onder hetzelfde pad "
            "staat, of gebruik --workers N voor een lokaal cluster."
        )


def dask_partials(
    client: Client,
    path: Path,
    zones: gpd.GeoDataFrame,
    scheme: ClassScheme,
    thresholds: Sequence[float] = (),
    *,
    task_pixels: int = TASK_PIXELS,
    progress: Callable[[int, int], None] | None = None,
    timeout_s: float | None = None,
) -> Partials:
    """The partials of every zone over ``path``, computed by the cluster's workers; equal to
    :func:`~adaptatie.zonal.zonal_partials` (counts identical, sums to float64 rounding).
    ``progress(done, total)`` follows the tasks; ``timeout_s`` bounds the whole run."""
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    check_workers_can_read(client, path)
    plan = plan_strips(path, zones, scheme, thresholds, task_pixels=task_pixels)
    total = _Totals(plan.zone_ids, scheme, tuple(float(t) for t in thresholds))
    run = uuid.uuid4().hex[:12]
    futures = [
        client.submit(strip_partials, task, key=f"adaptatie-strip-{run}-{i}", retries=RETRIES)
        for i, task in enumerate(plan.tasks)
    ]
    try:
        finished = as_completed(futures, loop=client.loop, timeout=timeout_s)
        for done, future in enumerate(finished, start=1):
            total.add(future.result())
            future.release()
            if progress is not None:
                progress(done, len(futures))
    except TimeoutError as exc:
        raise ClusterError(
            f"De berekening op het Dask-cluster duurde langer dan {timeout_s:g} s. Oplossing: "
            "controleer of de workers draaien en bij het raster kunnen, of gebruik er meer."
        ) from exc
    except KilledWorker as exc:
        raise ClusterError(
            "Een deel van de berekening liet telkens een worker vastlopen of sterven (te weinig "
            "geheugen?). Oplossing: geef de workers meer geheugen of gebruik meer, kleinere "
            "workers, en probeer het opnieuw."
        ) from exc
    finally:
        client.cancel(futures)
    if not plan.tasks:
        source = FileSource(path)
        pixel_area = abs(source.transform.a * source.transform.e)
        source.close()
        total.pixel_area = pixel_area
    return total.partials()


class _Totals:
    """Per-zone sums of the strips' partials (each strip holds a subset of the zones)."""

    def __init__(self, ids: tuple[str, ...], scheme: ClassScheme, thresholds: tuple) -> None:
        n = len(ids)
        self.ids, self.scheme, self.thresholds = ids, scheme, thresholds
        self.index = {zone: i for i, zone in enumerate(ids)}
        self.pixel_area = 0.0
        self.total, self.valid, self.value_sum = np.zeros(n), np.zeros(n), np.zeros(n)
        self.value_max = np.full(n, np.nan)
        self.class_weight = np.zeros((n, len(scheme.labels)))
        self.above = np.zeros((n, len(thresholds)))

    def add(self, part: Partials) -> None:
        at = np.array([self.index[z] for z in part.zone_ids], dtype=np.intp)
        self.pixel_area = part.pixel_area_m2
        self.total[at] += part.total
        self.valid[at] += part.valid
        self.value_sum[at] += part.value_sum
        self.value_max[at] = np.fmax(self.value_max[at], part.value_max)
        self.class_weight[at] += part.class_weight
        self.above[at] += part.above

    def partials(self) -> Partials:
        return Partials(
            zone_ids=self.ids,
            pixel_area_m2=self.pixel_area,
            thresholds=self.thresholds,
            scheme=self.scheme,
            total=self.total,
            valid=self.valid,
            value_sum=self.value_sum,
            value_max=self.value_max,
            class_weight=self.class_weight,
            above=self.above,
        )


@dataclass(frozen=True)
class DaskRunner:
    """Computes the partials of a layer on a cluster (for the results store)."""

    scheduler: str | None = None
    workers: int | None = None

    @classmethod
    def from_settings(cls, scheduler: str | None, workers: int | None) -> DaskRunner | None:
        """A runner when the options or ``ADAPTATIE_DASK_SCHEDULER`` ask for Dask, else None."""
        scheduler = scheduler or os.environ.get(SCHEDULER_SETTING, "").strip() or None
        if scheduler is None and not workers:
            return None
        return cls(scheduler, workers)

    def __call__(
        self,
        path: Path,
        zones: gpd.GeoDataFrame,
        scheme: ClassScheme,
        thresholds: Sequence[float],
    ) -> tuple[Partials, dict]:
        with connect(self.scheduler, self.workers) as client:
            n = worker_count(client)
            result = dask_partials(client, path, zones, scheme, thresholds)
        where = self.scheduler or f"lokaal cluster ({n} workers)"
        return result, {"method": "dask", "workers": n, "scheduler": where}
