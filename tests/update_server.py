"""A local HTTP server that answers like PDOK (OGC API Features, Atom download) and CBS (OData v3).

Started by the tests on 127.0.0.1 with a free port; no network. Faults are switched on per
test: HTTP errors, slow answers, truncated bodies, a wrong CRS and years without data.
"""

from __future__ import annotations

import csv
import json
import shutil
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import geopandas as gpd

RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GEO = Path(__file__).resolve().parents[2] / "shared" / "geodata"


@dataclass
class Fault:
    """Applied to requests whose path+query contains ``match``; ``times`` None = always."""

    match: str
    kind: str  # "status" | "slow" | "truncate" | "crs84"
    status: int = 500
    delay: float = 0.0
    times: int | None = None


@dataclass
class Services:
    gemeenten: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    provincies: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    waterschappen: bytes = b""
    tables: dict[int, tuple[str, list[dict[str, Any]]]] = field(default_factory=dict)
    page_size: int = 100
    odata_page_size: int = 200
    faults: list[Fault] = field(default_factory=list)
    log: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base: str = ""

    def fault_for(self, target: str) -> Fault | None:
        for fault in self.faults:
            if fault.match in target and (fault.times is None or fault.times > 0):
                if fault.times is not None:
                    fault.times -= 1
                return fault
        return None

    def requests_to(self, fragment: str) -> list[tuple[str, dict[str, str]]]:
        return [entry for entry in self.log if fragment in entry[0]]


def _handler(services: Services) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # silence the test output
            return

        def do_GET(self) -> None:
            services.log.append((self.path, dict(self.headers.items())))
            fault = services.fault_for(urllib.parse.unquote(self.path))
            if fault and fault.kind == "status":
                self._send(fault.status, b'{"detail": "fout"}', "application/json")
                return
            if fault and fault.kind == "slow":
                time.sleep(fault.delay)
            parsed = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parsed.query))
            status, body, ctype, headers = self._route(parsed.path, query, fault)
            if fault and fault.kind == "truncate":
                self._send(status, body, ctype, headers, cut=len(body) // 2)
                return
            self._send(status, body, ctype, headers)

        def _route(
            self, path: str, query: dict[str, str], fault: Fault | None
        ) -> tuple[int, bytes, str, dict[str, str]]:
            if path.startswith("/ogc/collections/"):
                return self._items(path, query, fault)
            if path == "/atom/waterschappen.gpkg":
                return self._file(services.waterschappen)
            if path == "/cbs/ODataCatalog/Tables":
                rows = [
                    {"Identifier": ident, "Title": f"Kerncijfers wijken en buurten {year}"}
                    for year, (ident, _) in services.tables.items()
                ]
                rows.append({"Identifier": "99999ENG", "Title": "Key figures districts 2024"})
                return 200, json.dumps({"value": rows}).encode(), "application/json", {}
            if path.startswith("/cbs/ODataApi/odata/") and path.endswith("/DataProperties"):
                keys = ["ID", "WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2"]
                keys += ["Codering_3", "AantalInwoners_5", "Mannen_6"]
                body = {"value": [{"Key": k, "Type": "Topic"} for k in keys]}
                return 200, json.dumps(body).encode(), "application/json", {}
            if path.startswith("/cbs/ODataFeed/odata/") and path.endswith("/TypedDataSet"):
                return self._odata(path, query)
            return 404, b'{"detail": "onbekend"}', "application/json", {}

        def _items(
            self, path: str, query: dict[str, str], fault: Fault | None
        ) -> tuple[int, bytes, str, dict[str, str]]:
            collection = path.split("/")[3]
            source = {
                "gemeente_gegeneraliseerd": services.gemeenten,
                "provincie_gegeneraliseerd": services.provincies,
            }.get(collection)
            if source is None:
                return 404, b'{"detail": "onbekende collectie"}', "application/json", {}
            year = int(query.get("jaarcode", "0"))
            features = source.get(year, [])
            limit = min(int(query.get("limit", "10")), services.page_size)
            start = int(query.get("cursor", "0"))
            page = features[start : start + limit]
            links = [{"rel": "self", "href": services.base + self.path}]
            if start + limit < len(features):
                nxt = dict(query, cursor=str(start + limit))
                href = f"{services.base}{path}?{urllib.parse.urlencode(nxt)}"
                links.append({"rel": "next", "type": "application/geo+json", "href": href})
            crs = RD
            if fault and fault.kind == "crs84":
                crs = CRS84
            body = {
                "type": "FeatureCollection",
                "timeStamp": "2025-01-31T12:00:00Z",
                "links": links,
                "numberMatched": len(features),
                "numberReturned": len(page),
                "features": page,
            }
            headers = {"Content-Crs": f"<{crs}>"}
            return 200, json.dumps(body).encode(), "application/geo+json", headers

        def _odata(
            self, path: str, query: dict[str, str]
        ) -> tuple[int, bytes, str, dict[str, str]]:
            ident = path.split("/")[4]
            rows = next((r for i, r in services.tables.values() if i == ident), None)
            if rows is None:
                return 404, b'{"odata.error": "table"}', "application/json", {}
            skip = int(query.get("$skip", "0"))
            page = rows[skip : skip + services.odata_page_size]
            select = query.get("$select")
            if select:
                keep = select.split(",")
                page = [{k: r.get(k) for k in keep} for r in page]
            body: dict[str, Any] = {
                "odata.metadata": f"{services.base}/cbs/ODataFeed/odata/{ident}/$metadata",
                "value": page,
            }
            if skip + services.odata_page_size < len(rows):
                nxt = dict(query, **{"$skip": str(skip + services.odata_page_size)})
                body["odata.nextLink"] = f"{services.base}{path}?{urllib.parse.urlencode(nxt)}"
            return 200, json.dumps(body).encode(), "application/json", {}

        def _file(self, data: bytes) -> tuple[int, bytes, str, dict[str, str]]:
            wanted = self.headers.get("Range", "")
            if wanted.startswith("bytes=") and wanted.endswith("-"):
                start = int(wanted[6:-1])
                rng = f"bytes {start}-{len(data) - 1}/{len(data)}"
                return 206, data[start:], "application/geopackage+sqlite3", {"Content-Range": rng}
            return 200, data, "application/geopackage+sqlite3", {"Accept-Ranges": "bytes"}

        def _send(
            self,
            status: int,
            body: bytes,
            ctype: str,
            headers: dict[str, str] | None = None,
            cut: int | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            if cut is not None:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body if cut is None else body[:cut])
            self.wfile.flush()
            if cut is not None:
                self.close_connection = True

    return Handler


class LocalServer:
    """Context manager: ``with LocalServer(services) as base: ...``."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(services))
        self.httpd.daemon_threads = True
        host, port = self.httpd.server_address[:2]
        self.base = f"http://{host}:{port}"
        self.host = f"{host}:{port}"
        services.base = self.base
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


# --- test data in the services' formats, built from the real files in ../shared/geodata ---


def _features(name: str) -> list[dict]:
    data = json.loads((GEO / name).read_text(encoding="utf-8"))
    return [
        {
            "type": "Feature",
            "id": n + 1,
            "properties": {
                "statcode": f["properties"]["statcode"],
                "statnaam": f["properties"]["statnaam"],
                "jaarcode": f["properties"]["jaar"],
            },
            "geometry": f["geometry"],
        }
        for n, f in enumerate(data["features"])
    ]


def _population_2023() -> list[dict]:
    with (GEO / "cbs_kerncijfers_gemeenten_2022_2023.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["jaar"] == "2023"]
    out = [
        {
            "ID": 0,
            "WijkenEnBuurten": "NL01      ",
            "Gemeentenaam_1": "Nederland",
            "SoortRegio_2": "Land      ",
            "AantalInwoners_5": 17811291,
        },
    ]
    for n, row in enumerate(rows):
        out.append(
            {
                "ID": 2 * n + 1,
                "WijkenEnBuurten": row["statcode"].ljust(10),
                "Gemeentenaam_1": row["statnaam"].ljust(40),
                "SoortRegio_2": "Gemeente  ",
                "AantalInwoners_5": int(row["aantal_inwoners"]),
            }
        )
        out.append(
            {
                "ID": 2 * n + 2,
                "WijkenEnBuurten": f"WK{row['statcode'][2:]}00  ",
                "Gemeentenaam_1": row["statnaam"].ljust(40),
                "SoortRegio_2": "Wijk      ",
                "AantalInwoners_5": 1000,
            }
        )
    out[-2]["AantalInwoners_5"] = None  # a figure CBS keeps secret: '.' in the table
    return out


def _population_2024(codes: list[str]) -> list[dict]:
    rows = []
    for n, code in enumerate(codes):
        value: object = 10_000 + n
        if code == "GM0014":
            value = 243_000
        if code == "GM0034":
            value = "   61234"  # the untyped form: text padded with spaces
        rows.append(
            {
                "ID": n,
                "WijkenEnBuurten": code.ljust(10),
                "Gemeentenaam_1": "x".ljust(40),
                "SoortRegio_2": "Gemeente  ",
                "AantalInwoners_5": value,
            }
        )
    return rows


def build_services(folder: Path) -> Services:
    """Real 2023/2024 municipalities, provinces 2024, water boards and two CBS tables."""
    frame = gpd.read_file(GEO / "waterschappen.geojson")[["code", "naam", "geometry"]]
    frame.to_file(folder / "ws.gpkg", driver="GPKG", layer="waterschap")
    g2024 = _features("cbs_gemeenten_2024.geojson")
    return Services(
        gemeenten={2023: _features("cbs_gemeenten_2023.geojson"), 2024: g2024},
        provincies={2024: _features("cbs_provincies_2024.geojson")},
        waterschappen=(folder / "ws.gpkg").read_bytes(),
        tables={
            2023: ("85618NED", _population_2023()),
            2024: ("85984NED", _population_2024([f["properties"]["statcode"] for f in g2024])),
        },
    )


def copy_services(base: Services) -> Services:
    """A fresh copy (own faults and log) of prepared services."""
    return Services(
        gemeenten={y: list(f) for y, f in base.gemeenten.items()},
        provincies=dict(base.provincies),
        waterschappen=base.waterschappen,
        tables=dict(base.tables),
    )


def in_use_folder(folder: Path) -> Path:
    """A source folder like the one in use: boundaries 2022/2023, provinces, population."""
    for name in (
        "cbs_gemeenten_2022.geojson",
        "cbs_gemeenten_2023.geojson",
        "cbs_provincies_2024.geojson",
        "waterschappen.geojson",
        "cbs_kerncijfers_gemeenten_2022_2023.csv",
    ):
        shutil.copy(GEO / name, folder / name)
    return folder
