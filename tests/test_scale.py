"""Summaries on a Dask cluster (SYNTHETIC rasters): the same partials as the single-process
engine, a worker killed mid-run costs only a retry, and bad clusters get a Dutch message.

The cluster is started here (processes, two workers, 1 GiB each, loopback only) and every run
has a time bound."""

from __future__ import annotations

import os
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from adaptatie.scale.cluster import (
    ClusterError,
    check_workers_can_read,
    connect,
    dask_partials,
    plan_strips,
)
from adaptatie.zonal import ClassScheme, Partials, zonal_partials

X0, Y0, PIXEL = 200_000.0, 600_000.0, 5.0
HEIGHT, WIDTH, BLOCK = 2048, 1024, 32
SCHEME = ClassScheme((0.0, 0.5, 1.0), ("laag", "hoog"))
THRESHOLDS = (0.25,)
RUN_TIMEOUT_S = 120
FIELDS = ("total", "valid", "value_sum", "value_max", "class_weight", "above")


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    with connect(workers=2, memory_limit="1GiB") as dask_client:
        dask_client.wait_for_workers(2, timeout=60)
        yield dask_client


@pytest.fixture(scope="module")
def raster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Random values in [0, 1); the top 96 rows nodata."""
    path = tmp_path_factory.mktemp("scale") / "random.tif"
    values = np.random.default_rng(13).random((HEIGHT, WIDTH), dtype="float32")
    values[:96] = -9999.0
    profile = {
        "driver": "GTiff", "dtype": "float32", "count": 1, "width": WIDTH, "height": HEIGHT,
        "crs": "EPSG:28992", "transform": from_origin(X0, Y0, PIXEL, PIXEL), "nodata": -9999.0,
        "tiled": True, "blockxsize": BLOCK, "blockysize": BLOCK, "compress": "deflate",
    }  # fmt: skip
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values, 1)
    return path


def zones() -> gpd.GeoDataFrame:
    """Large zones across many strips (centre rule), a small one (exact) and a thin one."""
    geoms = [
        shapely.box(X0 + 3.3, Y0 - 9_000, X0 + 2_500, Y0 - 3.3),
        shapely.Point(X0 + 3_500, Y0 - 6_000).buffer(1_200),
        shapely.Point(X0 + 1_000, Y0 - 5_000).buffer(9),  # inside the first: exact fractions
        shapely.box(X0 + 4_000, Y0 - 10_000, X0 + 4_012, Y0 - 100),  # thin: exact
    ]
    return gpd.GeoDataFrame({"id": ["a", "b", "c", "d"]}, geometry=geoms, crs="EPSG:28992")


def assert_same(dask: Partials, single: Partials) -> None:
    assert dask.zone_ids == single.zone_ids
    for name in FIELDS:
        np.testing.assert_allclose(getattr(dask, name), getattr(single, name), rtol=1e-12)


def test_aligned_zone_by_hand(client: object, tmp_path: Path) -> None:
    # 0.25 everywhere, the top 100 rows nodata; a zone on whole pixels: rows 50-650, cols 100-300.
    path = tmp_path / "flat.tif"
    values = np.full((1000, 400), 0.25, dtype="float32")
    values[:100] = -9999.0
    profile = {
        "driver": "GTiff", "dtype": "float32", "count": 1, "width": 400, "height": 1000,
        "crs": "EPSG:28992", "transform": from_origin(X0, Y0, PIXEL, PIXEL), "nodata": -9999.0,
        "tiled": True, "blockxsize": 64, "blockysize": 64,
    }  # fmt: skip
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values, 1)
    box = shapely.box(X0 + 100 * PIXEL, Y0 - 650 * PIXEL, X0 + 300 * PIXEL, Y0 - 50 * PIXEL)
    frame = gpd.GeoDataFrame({"id": ["z"]}, geometry=[box], crs="EPSG:28992")
    result = dask_partials(
        client, path, frame, SCHEME, THRESHOLDS, task_pixels=64 * 400, timeout_s=RUN_TIMEOUT_S
    )
    assert result.total[0] == 600 * 200  # covered pixels
    assert result.valid[0] == 550 * 200  # rows 100-650 have values
    assert result.value_sum[0] == pytest.approx(0.25 * 550 * 200, rel=1e-12)
    assert result.class_weight[0].tolist() == [550 * 200, 0]
    assert result.above[0, 0] == 0  # 0.25 is not above the threshold 0.25


def test_dask_equals_the_single_process_engine(client: object, raster: Path) -> None:
    plan = plan_strips(raster, zones(), SCHEME, THRESHOLDS, task_pixels=4 * BLOCK * WIDTH)
    assert len(plan.tasks) > 10  # the zones really are cut into many strips
    result = dask_partials(
        client, raster, zones(), SCHEME, THRESHOLDS, task_pixels=4 * BLOCK * WIDTH,
        timeout_s=RUN_TIMEOUT_S,
    )  # fmt: skip
    assert_same(result, zonal_partials(raster, zones(), SCHEME, THRESHOLDS))


def test_a_worker_killed_mid_run_costs_a_retry_not_the_run(client: object, raster: Path) -> None:
    pids = client.run(os.getpid)
    victim = next(iter(pids.values()))
    killed_at: list[tuple[int, int]] = []

    def kill_after_first(done: int, total: int) -> None:
        if not killed_at:
            os.kill(victim, signal.SIGKILL)
            killed_at.append((done, total))

    result = dask_partials(
        client, raster, zones(), SCHEME, THRESHOLDS, task_pixels=BLOCK * WIDTH,
        progress=kill_after_first, timeout_s=RUN_TIMEOUT_S,
    )  # fmt: skip
    done, total = killed_at[0]
    assert done < total  # the worker died while tasks were left
    assert victim not in client.run(os.getpid).values()
    assert_same(result, zonal_partials(raster, zones(), SCHEME, THRESHOLDS))
    client.restart(timeout=120)  # fresh workers for the next tests (no stale address left)
    client.wait_for_workers(2, timeout=60)


def test_the_read_check_goes_on_without_a_worker_that_left(
    client: object, raster: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker that died (or restarted under a new address) just before the check is still
    # listed the first time the scheduler is asked; a probe sent to it would never run. The
    # check must drop it when it is gone instead of waiting for it and calling the cluster
    # stuck. The departed worker is played by an address nobody listens on.
    real = client.scheduler_info
    gone = "tcp://127.0.0.1:9"
    calls: list[int] = []

    def first_with_a_departed_worker(*args: object, **kwargs: object) -> dict:
        info = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            info = {**info, "workers": {**info["workers"], gone: {}}}
        return info

    monkeypatch.setattr(client, "scheduler_info", first_with_a_departed_worker)
    check_workers_can_read(client, raster)  # raises ClusterError when it waits for `gone`
    assert len(calls) >= 2


def test_workers_that_cannot_read_the_raster_get_a_dutch_message(
    client: object, raster: Path
) -> None:
    # /proc/self/fd/N is this process's open file: readable here, not on the workers.
    fd = os.open(raster, os.O_RDONLY)
    try:
        with pytest.raises(ClusterError) as caught:
            dask_partials(client, Path(f"/proc/self/fd/{fd}"), zones(), SCHEME, THRESHOLDS)
    finally:
        os.close(fd)
    message = str(caught.value)
    assert "2 van de 2 workers" in message and "niet lezen" in message
    assert "Oplossing: zet de lagenmap" in message


def test_unreachable_scheduler_gets_a_dutch_message() -> None:
    with socket.socket() as sock:  # a free loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ClusterError) as caught, connect(f"tcp://127.0.0.1:{port}", timeout_s=2):
        pass
    message = str(caught.value)
    assert f"tcp://127.0.0.1:{port} is niet bereikbaar" in message and "Oplossing" in message


def test_cli_summary_on_a_local_cluster_and_an_unreachable_one(
    synthetic_dir: Path, tmp_path: Path, ramp_raster: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from click.testing import CliRunner

    from adaptatie.cli import main
    from tests.synthetic import write_regions_file

    base = [
        "--data-dir", str(synthetic_dir),
        "--regions-file", str(write_regions_file(tmp_path / "regions.toml")),
        "--home", str(tmp_path / "home"),
    ]  # fmt: skip
    add = [
        "layers", "add", str(ramp_raster(tmp_path / "hitte.tif")), "--id", "hitte-ramp",
        "--theme", "hitte", "--scenario", "SYNTHETISCHE helling", "--unit", "°C",
    ]  # fmt: skip
    added = CliRunner().invoke(main, [*base, *add])
    assert added.exit_code == 0, added.output
    summary = [*base, "summary", "--layer", "hitte-ramp", "--set", "gemeente", "--year", "2017"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("ADAPTATIE_DASK_SCHEDULER", f"tcp://127.0.0.1:{port}")
    monkeypatch.setattr("adaptatie.scale.cluster.CONNECT_TIMEOUT_S", 2)
    failed = CliRunner().invoke(main, summary)
    assert failed.exit_code == 1
    assert "is niet bereikbaar" in failed.stderr and "Oplossing" in failed.stderr
    assert not any((tmp_path / "home" / "results").rglob("*.npz"))  # nothing stored
    monkeypatch.delenv("ADAPTATIE_DASK_SCHEDULER")
    done = CliRunner().invoke(main, [*summary, "--workers", "2", "--format", "json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["workers"] == 2 and "Dask-cluster" in data["execution"]
    # The ramp is 10 + x (x in km): municipalities of 10 km wide strips have means 15, 25, 35.
    means = {row["region_code"]: row["mean"] for row in data["rows"]}
    assert means == {
        "GM9001": pytest.approx(15.0, abs=1e-4),
        "GM9002": pytest.approx(25.0, abs=1e-4),
        "GM9003": pytest.approx(35.0, abs=1e-4),
    }


def test_regions_commands_do_not_import_dask(synthetic_dir: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.synthetic import write_regions_file

    code = (
        "import sys; from adaptatie.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('dask' in sys.modules, 'distributed' in sys.modules)"
    )
    regions = write_regions_file(tmp_path / "regions.toml")
    args = ["--data-dir", str(synthetic_dir), "--regions-file", str(regions), "regions", "list"]
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")},
    )  # fmt: skip
    assert out.stdout.strip().splitlines()[-1] == "False False", out.stderr
