"""`adaptatie data update` against a local server that answers like PDOK and CBS."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
from pathlib import Path

import geopandas as gpd
import pytest

from adaptatie.io.manifest import read_manifest, verify_manifest
from adaptatie.io.store import SourceFolder
from adaptatie.io.update import DataUpdateError, HttpClient, current_release, update_data
from tests.update_server import (
    Fault,
    LocalServer,
    Services,
    build_services,
    copy_services,
    in_use_folder,
)

GEO = Path(__file__).resolve().parents[2] / "shared" / "geodata"
KEEP = "De gegevens die nu in gebruik zijn blijven ongewijzigd."


@pytest.fixture(scope="module")
def base_services(tmp_path_factory: pytest.TempPathFactory) -> Services:
    return build_services(tmp_path_factory.mktemp("ws"))


@pytest.fixture
def services(base_services: Services) -> Services:
    return copy_services(base_services)


@pytest.fixture
def server(services: Services):
    with LocalServer(services) as running:
        yield running


@pytest.fixture(scope="module")
def current_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return in_use_folder(tmp_path_factory.mktemp("in_gebruik"))


def client() -> HttpClient:
    return HttpClient(timeout=2.0, retries=1, backoff=0.0, sleep=lambda _s: None)


def run(server: LocalServer, home: Path, source: Path | None, **kwargs):
    kwargs.setdefault("years", [2023, 2024])
    return update_data(
        home,
        source,
        pdok_url=f"{server.base}/ogc",
        cbs_url=f"{server.base}/cbs",
        waterschappen_url=f"{server.base}/atom/waterschappen.gpkg",
        client=kwargs.pop("http", None) or client(),
        **kwargs,
    )


def state(home: Path, source: Path) -> tuple:
    """Everything that must not change when an update fails."""
    pointer = home / "data" / "current"
    files = sorted(
        p for p in (home / "data").rglob("*") if p.is_file() and ".partial" not in p.parts
    )
    digests = {str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    used = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in source.iterdir()}
    return (pointer.read_text() if pointer.is_file() else None, digests, used)


@pytest.fixture(scope="module")
def released_home(tmp_path_factory: pytest.TempPathFactory, base_services, current_source) -> Path:
    """A home folder with one good release in use (built once, copied per test)."""
    home = tmp_path_factory.mktemp("home_met_release")
    with LocalServer(base_services) as running:
        run(running, home, current_source)
    base_services.log.clear()
    return home


@pytest.fixture
def home(tmp_path: Path, released_home: Path) -> Path:
    target = tmp_path / "home"
    shutil.copytree(released_home, target)
    return target


def test_update_builds_complete_release_and_switches(tmp_path, server, services, current_source):
    home = tmp_path / "home"
    events = []
    result = run(server, home, current_source, progress=lambda *e: events.append(e))

    assert current_release(home) == result.release
    assert (home / "data" / "current").read_text().strip() == result.release.name
    manifest = verify_manifest(result.release)
    rows = {e.file: e.features for e in manifest.layers}
    n_2023 = sum(1 for r in services.tables[2023][1] if r["WijkenEnBuurten"].startswith("GM"))
    assert rows == {
        "cbs_gemeenten_2022.geojson": 344,  # carried over from the data in use
        "cbs_gemeenten_2023.gpkg": 342,
        "cbs_gemeenten_2024.gpkg": 342,
        "cbs_provincies_2024.gpkg": 12,
        "waterschappen.gpkg": 21,
        "cbs_kerncijfers_gemeenten_2023.csv": n_2023 - 1,  # one secret figure left out
        "cbs_kerncijfers_gemeenten_2024.csv": 342,
        "cbs_kerncijfers_gemeenten_2022.csv": 345,  # 2022 rows of the CSV in use
    }
    store = SourceFolder(result.release)
    assert store.years == (2022, 2023, 2024)
    population = store.population()
    assert population.for_year(2024)["GM0014"] == 243_000
    assert population.for_year(2024)["GM0034"] == 61_234
    assert "85984NED" in population.sources[2024]
    assert "PDOK" in store.gemeenten(2024).source
    assert {"WS17", "WS16", "WS30", "WS29", "WS23"} <= set(store.waterschappen().frame["code"])
    # 342 features at the server's 100 per page: 4 pages per year, followed by `next` links.
    assert len(services.requests_to("jaarcode=2024")) == 4 + 1  # pages + provinces 2024
    assert ("gemeentegrenzen 2024", 4, 4) in events
    assert not (home / "data" / ".partial").exists()


def test_dry_run_reports_plan_and_writes_nothing(tmp_path, server, current_source):
    home = tmp_path / "home"
    result = run(server, home, current_source, years=None, dry_run=True)
    described = [p.describe().split(":")[0] for p in result.planned]
    assert described == [
        "gemeenten 2022",
        "gemeenten 2023",
        "gemeenten 2024",
        "provincies 2024",
        "waterschappen",
        "bevolking 2023",
        "bevolking 2024",
    ]
    assert [p.action for p in result.planned][:2] == ["overnemen", "ophalen"]
    assert result.release is None
    assert not home.exists()


def test_http_500_keeps_previous_release(home, server, services, current_source):
    before = state(home, current_source)
    services.faults.append(Fault("jaarcode=2024", "status", status=500))
    with pytest.raises(DataUpdateError) as err:
        run(server, home, current_source)
    assert str(err.value) == (
        f"PDOK (CBS gebiedsindelingen) ({server.host}) antwoordde met een serverfout (HTTP 500, "
        f"na 2 pogingen). {KEEP} Oplossing: de dienst heeft een storing; probeer het later "
        "opnieuw."
    )
    assert state(home, current_source) == before
    assert current_release(home) is not None


def test_timeout_keeps_previous_release(home, server, services, current_source):
    before = state(home, current_source)
    services.faults.append(Fault("provincie_gegeneraliseerd", "slow", delay=1.5))
    slow_client = HttpClient(timeout=0.3, retries=1, backoff=0.0, sleep=lambda _s: None)
    with pytest.raises(DataUpdateError) as err:
        run(server, home, current_source, http=slow_client)
    assert str(err.value) == (
        f"PDOK (CBS gebiedsindelingen) ({server.host}) reageerde niet op tijd (na 2 pogingen). "
        f"{KEEP} Oplossing: probeer het later opnieuw; wat al binnen is wordt dan hergebruikt."
    )
    assert state(home, current_source) == before


def test_truncated_page_is_retried_once(tmp_path, server, services, current_source):
    services.faults.append(Fault("cursor=200", "truncate", times=1))
    result = run(server, tmp_path / "home", current_source)
    assert len([p for p, _ in services.requests_to("cursor=200") if "jaarcode=2023" in p]) == 2
    assert read_manifest(result.release).entry("cbs_gemeenten_2023.gpkg").features == 342


def test_truncated_page_every_time_fails(home, server, services, current_source):
    before = state(home, current_source)
    services.faults.append(Fault("cursor=200", "truncate"))
    with pytest.raises(DataUpdateError) as err:
        run(server, home, current_source)
    assert str(err.value).startswith(
        f"De download van PDOK (CBS gebiedsindelingen) ({server.host}) kwam onvolledig binnen ("
    )
    assert str(err.value).endswith(
        f"na 2 pogingen). {KEEP} Oplossing: voer 'adaptatie data update' opnieuw uit; de "
        "download gaat verder waar hij gebleven was."
    )
    assert state(home, current_source) == before


def test_wrong_crs_is_refused(home, server, services, current_source):
    before = state(home, current_source)
    services.faults.append(Fault("jaarcode=2024", "crs84"))
    with pytest.raises(DataUpdateError) as err:
        run(server, home, current_source)
    assert str(err.value) == (
        "gemeentegrenzen 2024: PDOK (CBS gebiedsindelingen) leverde coördinaten in "
        "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> in plaats van het gevraagde EPSG:28992 "
        f"(RD New). {KEEP} Oplossing: controleer ADAPTATIE_PDOK_URL; de dienst moet de "
        "parameter crs ondersteunen."
    )
    assert state(home, current_source) == before


def test_degrees_without_crs_header_are_refused(home, server, services, current_source):
    before = state(home, current_source)
    square = {
        "type": "Polygon",
        "coordinates": [[[6.5, 53.2], [6.6, 53.2], [6.6, 53.3], [6.5, 53.2]]],
    }
    services.gemeenten[2024] = [
        {
            "type": "Feature",
            "properties": {"statcode": "GM0014", "statnaam": "Groningen"},
            "geometry": square,
        }
    ]
    with pytest.raises(DataUpdateError) as err:
        run(server, home, current_source)
    assert str(err.value) == (
        "gemeentegrenzen 2024: de coördinaten (6.5, 53.2) – (6.6, 53.3) zijn geen RD "
        "New-meters (EPSG:28992); de dienst leverde een ander coördinatenstelsel. "
        f"{KEEP} Oplossing: controleer ADAPTATIE_PDOK_URL; de dienst moet de parameter crs "
        "ondersteunen."
    )
    assert state(home, current_source) == before


def test_empty_year_is_refused(home, server, current_source):
    before = state(home, current_source)
    with pytest.raises(DataUpdateError) as err:
        run(server, home, current_source, years=[2025])
    assert str(err.value) == (
        f"PDOK (CBS gebiedsindelingen) heeft geen gemeentegrenzen voor 2025. {KEEP} "
        "Oplossing: kies een jaar dat de dienst levert (laat --years weg om alle beschikbare "
        "jaren te nemen)."
    )
    assert state(home, current_source) == before


def test_default_years_are_those_the_service_offers(tmp_path, server, current_source):
    result = run(server, tmp_path / "home", current_source, years=None, dry_run=True)
    fetched = [p.year for p in result.planned if p.kind == "gemeenten" and p.action == "ophalen"]
    assert fetched == [2023, 2024]


def test_invalid_download_is_rejected_and_refetched_next_time(
    home, server, services, current_source
):
    before = state(home, current_source)
    bad = json.loads(json.dumps(services.gemeenten[2024][0]))
    bad["properties"]["statcode"] = "GM14"
    services.gemeenten[2024] = [bad, *services.gemeenten[2024][1:]]
    with pytest.raises(DataUpdateError) as err:
        run(server, home, current_source)
    assert str(err.value) == (
        f"Een opgehaald bestand is afgekeurd en niet in gebruik genomen. {KEEP} "
        "Bestand cbs_gemeenten_2024.gpkg: ongeldige code(s) in kolom 'statcode': GM14. "
        "Oplossing: codes hebben de vorm GM0014; controleer of de juiste kolom is gebruikt."
    )
    assert state(home, current_source) == before
    assert not (home / "data" / ".partial" / "pages" / "cbs_gemeenten_2024").exists()
    assert (home / "data" / ".partial" / "pages" / "cbs_gemeenten_2023" / "index.json").is_file()


def test_interrupted_download_resumes(home, server, services, current_source):
    before = state(home, current_source)
    services.faults.append(Fault("/atom/waterschappen.gpkg", "truncate"))
    with pytest.raises(DataUpdateError) as err:
        run(server, home, current_source)
    assert str(err.value).startswith(
        f"De download van PDOK (waterschapsgrenzen) ({server.host}) kwam onvolledig binnen"
    )
    assert state(home, current_source) == before
    part = home / "data" / ".partial" / "pages" / "waterschappen" / "waterschappen_bron.gpkg.part"
    size = len(services.waterschappen)
    # Attempt 1 got half the file; attempt 2 asked for the rest and got half of that.
    kept = size // 2 + (size - size // 2) // 2
    assert part.stat().st_size == kept

    services.faults.clear()
    services.log.clear()
    result = run(server, home, current_source)
    # Every page of the first run is reused: 4 + 4 municipal pages and 1 province page.
    assert result.reused_pages == 9
    assert services.requests_to("gemeente_gegeneraliseerd") == []
    ranges = [h.get("Range") for _, h in services.requests_to("/atom/waterschappen.gpkg")]
    assert ranges == [f"bytes={kept}-"]
    ws = result.release / "waterschappen.gpkg"
    assert len(gpd.read_file(ws)) == 21
    assert current_release(home) == result.release
    assert result.previous is not None and result.previous.is_dir()


def test_offline_message(home, current_source):
    before = state(home, current_source)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DataUpdateError) as err:
        update_data(
            home,
            current_source,
            [2024],
            pdok_url=f"http://127.0.0.1:{port}/ogc",
            cbs_url=f"http://127.0.0.1:{port}/cbs",
            client=client(),
        )
    assert str(err.value) == (
        f"Geen verbinding met CBS open data (OData) (127.0.0.1:{port}): [Errno 111] "
        f"Connection refused. {KEEP} Oplossing: controleer de internetverbinding (en een "
        "eventuele proxy) en voer 'adaptatie data update' opnieuw uit; wat al binnen is wordt "
        "dan hergebruikt."
    )
    assert state(home, current_source) == before


def test_read_only_home(home, server, current_source, monkeypatch):
    before = state(home, current_source)
    data = home / "data"
    data.chmod(0o555)
    if os.geteuid() == 0:
        # root ignores file modes; make the write probe fail the way a read-only disk does
        import adaptatie.io.update.release as release

        def refuse(*_a, **_k):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(release.tempfile, "mkstemp", refuse)
    try:
        with pytest.raises(DataUpdateError) as err:
            run(server, home, current_source)
    finally:
        data.chmod(0o755)
    assert str(err.value) == (
        f"De werkmap {home} is niet beschrijfbaar (Permission denied). Er is niets opgehaald. "
        f"{KEEP} Oplossing: geef schrijfrechten op {data} of kies een andere werkmap met --home "
        "of ADAPTATIE_HOME."
    )
    assert state(home, current_source) == before


def test_prunes_to_three_releases_and_keeps_the_previous(home, server, current_source):
    first = current_release(home)
    names = []
    for _ in range(3):
        names.append(run(server, home, current_source, years=[2024]).release.name)
    kept = sorted(p.name for p in (home / "data" / "releases").iterdir())
    assert kept == sorted(names)  # the oldest (first) was pruned, the newest three stay
    assert not first.exists()


def test_broken_release_in_use_is_replaced_but_never_copied(home, server, current_source):
    broken = current_release(home)
    (broken / "cbs_gemeenten_2024.gpkg").write_bytes(b"kapot")
    with pytest.raises(DataUpdateError) as err:
        run(server, home, broken)  # carrying 2022 over from the broken release is refused
    assert str(err.value).startswith(
        f"De gegevens in gebruik ({broken}) kloppen niet met hun manifest, dus er wordt niets "
        "uit overgenomen: Bestand cbs_gemeenten_2024.gpkg: de controlesom klopt niet"
    )
    result = run(server, home, current_source)  # a good folder as the base works
    assert current_release(home) == result.release
    assert any("de vorige release is beschadigd" in note for note in result.notes)
