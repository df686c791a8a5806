"""Region results kept on disk between processes, invalidated by any change of their inputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import adaptatie.io.boundaries as boundaries
from adaptatie.diskmemo import DiskMemo
from adaptatie.regions.atlas import Atlas
from adaptatie.regions.models import RegionKind
from tests.synthetic import write_regions_file, write_source_folder


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path, Path]:
    """SYNTHETIC source folder, region definitions and an empty home folder."""
    return (
        write_source_folder(tmp_path / "bron"),
        write_regions_file(tmp_path / "regions.toml"),
        tmp_path / "home",
    )


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the boundary files read from here on."""
    seen: list[str] = []
    real = boundaries.read_boundaries

    def counting(path: Path, spec: boundaries.LayerSpec) -> boundaries.LoadedLayer:
        seen.append(path.name)
        return real(path, spec)

    monkeypatch.setattr(boundaries, "read_boundaries", counting)
    return seen


def _west_area(source: Path, regions: Path, home: Path) -> float:
    atlas = Atlas.open(source, regions, home)
    return atlas.profile(atlas.region(RegionKind.CLUSTER, "WEST", 2017)).area_km2


def test_a_second_process_reads_no_boundary_file(
    world: tuple[Path, Path, Path], reads: list[str]
) -> None:
    source, regions, home = world
    assert _west_area(source, regions, home) == pytest.approx(200.0)  # x 10-30 km, by hand
    assert "cbs_gemeenten_2017.geojson" in reads
    reads.clear()
    assert _west_area(source, regions, home) == pytest.approx(200.0)
    assert reads == []


def test_a_changed_boundary_file_is_read_again(
    world: tuple[Path, Path, Path], reads: list[str]
) -> None:
    source, regions, home = world
    _west_area(source, regions, home)
    path = source / "cbs_gemeenten_2017.geojson"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    reads.clear()
    assert _west_area(source, regions, home) == pytest.approx(200.0)
    assert "cbs_gemeenten_2017.geojson" in reads


def test_changed_region_definitions_are_resolved_again(
    world: tuple[Path, Path, Path], reads: list[str]
) -> None:
    source, regions, home = world
    _west_area(source, regions, home)
    text = regions.read_text()
    assert 'members = ["GM9002", "GM9003"]' in text
    # WEST becomes Beedorp alone: x 10-20 km.
    regions.write_text(text.replace('members = ["GM9002", "GM9003"]', 'members = ["GM9002"]'))
    assert _west_area(source, regions, home) == pytest.approx(100.0)


def test_a_damaged_cache_file_is_computed_again(tmp_path: Path) -> None:
    memo = DiskMemo(tmp_path, "abc")
    assert memo.get("sleutel", lambda: [1, 2, 3]) == [1, 2, 3]
    (stored,) = (tmp_path / "abc").iterdir()
    stored.write_bytes(b"geen pickle")
    assert DiskMemo(tmp_path, "abc").get("sleutel", lambda: [4]) == [4]
    assert DiskMemo(tmp_path, "abc").get("sleutel", lambda: [5]) == [4]  # stored again


def test_an_unwritable_cache_still_computes(tmp_path: Path) -> None:
    blocked = tmp_path / "bestand"
    blocked.write_text("geen map")
    memo = DiskMemo(blocked, "abc")  # the cache folder cannot be created under a file
    assert memo.get("sleutel", lambda: 42) == 42
    assert memo.get("sleutel", lambda: 43) == 43  # nothing was stored


def test_old_fingerprints_are_pruned(tmp_path: Path) -> None:
    for index in range(6):
        DiskMemo(tmp_path, f"fp{index}").get("x", lambda: 1)
        os.utime(tmp_path / f"fp{index}", (index, index))
    DiskMemo(tmp_path, "nieuw").get("x", lambda: 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fp3", "fp4", "fp5", "nieuw"]


def test_temporary_names_differ_per_thread_and_keep_the_suffix(tmp_path: Path) -> None:
    import threading

    from adaptatie.diskmemo import temporary_beside

    target = tmp_path / "partials.npz"
    names: list[Path] = []
    together = threading.Barrier(4)  # all alive at once, so no thread id is reused

    def name() -> None:
        together.wait()
        names.append(temporary_beside(target))
        together.wait()

    threads = [threading.Thread(target=name) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    names.append(temporary_beside(target))
    assert len(set(names)) == 5
    assert all(n.parent == tmp_path and n.name.endswith(".tmp.npz") for n in names)
    assert all(n.name.startswith(".partials-") for n in names)  # hidden, beside the target
