"""The embedded data snapshot and the choice of the data in use (issue: runs anywhere)."""

from __future__ import annotations

import datetime as dt
import errno
import re
import shutil
from pathlib import Path

import pytest
import shapely

from adaptatie.config import DATA_DIR_ENV, home_dir, resolve_data, snapshot_dir
from adaptatie.errors import DataFileError, DataSourceError, HomeFolderError
from adaptatie.io.manifest import verify_manifest
from adaptatie.io.snapshot import build_snapshot
from adaptatie.io.store import SourceFolder

# Feature counts of the shared source files (their README): 2017 ... 2024.
MUNICIPALITIES = dict(zip(range(2017, 2025), (388, 380, 355, 355, 352, 344, 342, 342), strict=True))


@pytest.fixture(autouse=True)
def no_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)


def _same_content(a: SourceFolder, b: SourceFolder) -> None:
    """Same years, codes, names and areas (to 1 m² in 10 km²) in two source folders."""
    assert a.years == b.years
    for year in a.years:
        left, right = a.gemeenten(year).frame, b.gemeenten(year).frame
        left, right = left.sort_values("code"), right.sort_values("code")
        assert left["code"].tolist() == right["code"].tolist()
        assert left["name"].tolist() == right["name"].tolist()
        assert shapely.area(left.geometry.to_numpy()) == pytest.approx(
            shapely.area(right.geometry.to_numpy()), rel=1e-7
        )
    assert sorted(a.waterschappen().frame["code"]) == sorted(b.waterschappen().frame["code"])
    assert a.population().frame.sort_values(["code", "year"])["inhabitants"].tolist() == (
        b.population().frame.sort_values(["code", "year"])["inhabitants"].tolist()
    )


def test_build_counts_every_layer_and_keeps_the_content(
    shared_geodata: Path, tmp_path: Path
) -> None:
    manifest = build_snapshot(shared_geodata, tmp_path / "snap", dt.date(2026, 12, 1))
    counts = {e.year: e.features for e in manifest.layers if e.kind == "gemeenten"}
    assert counts == MUNICIPALITIES
    other = {e.kind: e.features for e in manifest.layers if e.kind != "gemeenten"}
    assert other == {"provincies": 12, "waterschappen": 21, "bevolking": 687}
    assert {e.downloaded for e in manifest.layers} == {"2026-12-01"}
    assert all("CC-BY 4.0" in e.licence or "Waterschapshuis" in e.licence for e in manifest.layers)
    verify_manifest(tmp_path / "snap")
    _same_content(SourceFolder(tmp_path / "snap"), SourceFolder(shared_geodata))


def test_build_is_reproducible(shared_geodata: Path, tmp_path: Path) -> None:
    day = dt.date(2026, 12, 1)
    first = build_snapshot(shared_geodata, tmp_path / "a", day)
    second = build_snapshot(shared_geodata, tmp_path / "b", day)
    assert [e.sha256 for e in first.layers] == [e.sha256 for e in second.layers]


def test_the_shipped_snapshot_is_valid_and_holds_the_shared_data(shared_geodata: Path) -> None:
    manifest = verify_manifest(snapshot_dir())
    assert sum((snapshot_dir() / e.file).stat().st_size for e in manifest.layers) < 6_000_000
    _same_content(SourceFolder(snapshot_dir()), SourceFolder(shared_geodata))


def test_a_failed_build_leaves_the_old_snapshot(tmp_path: Path, shared_geodata: Path) -> None:
    target = tmp_path / "snap"
    build_snapshot(shared_geodata, target, dt.date(2026, 12, 1))
    before = sorted(p.name for p in target.iterdir())
    broken = tmp_path / "broken"
    shutil.copytree(shared_geodata, broken)
    (broken / "waterschappen.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(DataFileError, match="bevat geen waterschapsgrenzen"):
        build_snapshot(broken, target, dt.date(2026, 12, 2))
    assert sorted(p.name for p in target.iterdir()) == before
    verify_manifest(target)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".snapshot-")]


def test_without_settings_the_snapshot_is_used(tmp_path: Path) -> None:
    choice = resolve_data(None, tmp_path / "home")
    assert choice.folder == snapshot_dir()
    assert choice.origin == "momentopname"
    assert re.fullmatch(r"momentopname meegeleverd met adaptatie \(\d\d-\d\d-\d{4}\)", choice.label)


def _release(home: Path, shared: Path, name: str) -> Path:
    """A release as `adaptatie data update` leaves it: a verified folder and the pointer."""
    folder = home / "data" / "releases" / name
    build_snapshot(shared, folder, dt.date(2026, 11, 30))
    (home / "data" / "current").write_text(f"{name}\n")
    return folder


def test_precedence_option_environment_release_snapshot(
    shared_geodata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    release = _release(home, shared_geodata, "20261130T120000")
    assert resolve_data(None, home).folder == release
    assert resolve_data(None, home).label == (
        "bijgewerkt met 'adaptatie data update' op 30-11-2026"
    )
    monkeypatch.setenv(DATA_DIR_ENV, str(shared_geodata))
    assert resolve_data(None, home).folder == shared_geodata
    assert resolve_data(None, home).origin == "omgeving"
    other = tmp_path / "eigen"
    shutil.copytree(shared_geodata, other)
    assert resolve_data(other, home).folder == other
    assert SourceFolder(other, home).origin == f"opgegeven map: {other}"


def test_a_damaged_release_is_refused_not_used(shared_geodata: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    release = _release(home, shared_geodata, "20261130T120000")
    with (release / "cbs_gemeenten_2024.gpkg").open("r+b") as handle:
        handle.seek(5000)
        handle.write(b"\x00\x01\x02")
    with pytest.raises(DataFileError, match="controlesom klopt niet met het manifest") as info:
        resolve_data(None, home)
    assert "adaptatie data update" in str(info.value)


def test_a_missing_folder_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="bestaat niet") as info:
        resolve_data(tmp_path / "nergens", tmp_path)
    assert "--data-dir of ADAPTATIE_DATA_DIR" in str(info.value)


def test_a_misnamed_source_file_is_refused(shared_geodata: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bron"
    shutil.copytree(shared_geodata, folder)
    (folder / "cbs_gemeenten_2024.geojson").rename(folder / "cbs_gemeenten_2o24.geojson")
    with pytest.raises(DataFileError) as info:
        SourceFolder(folder)
    assert str(info.value) == (
        "Bestand cbs_gemeenten_2o24.geojson: de bestandsnaam past niet in het patroon "
        "cbs_gemeenten_JJJJ.geojson, dus het bestand zou worden overgeslagen. Oplossing: hernoem "
        "het bestand naar de vorm cbs_gemeenten_JJJJ.geojson (met een jaartal van vier cijfers), "
        "of haal het uit de map."
    )


def test_home_folder_that_is_a_file_or_cannot_be_made(tmp_path: Path) -> None:
    afile = tmp_path / "bestand"
    afile.write_text("x")
    with pytest.raises(HomeFolderError) as info:
        home_dir(afile)
    assert str(info.value) == (
        f"De werkmap {afile} (opgegeven met --home) is een bestand, geen map. Oplossing: laat "
        "ADAPTATIE_HOME naar een map wijzen (die wordt zo nodig aangemaakt)."
    )
    with pytest.raises(HomeFolderError) as info:
        home_dir(afile / "sub")
    assert "een deel van het pad is geen map" in str(info.value)
    assert "Oplossing: kies met ADAPTATIE_HOME een map waarin u mag schrijven." in str(info.value)


def test_read_only_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As root a chmod does not stop writes, so the file system's answer is simulated.
    def read_only(self: Path, *args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", read_only)
    with pytest.raises(HomeFolderError) as info:
        home_dir(tmp_path / "home")
    assert str(info.value) == (
        f"De werkmap {tmp_path / 'home'} (opgegeven met --home) kan niet worden aangemaakt: de "
        "schijf is alleen-lezen. Oplossing: kies met ADAPTATIE_HOME een map waarin u mag "
        "schrijven."
    )
    assert "Read-only" not in str(info.value)
