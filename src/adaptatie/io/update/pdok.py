"""PDOK downloads: CBS gebiedsindelingen (OGC API Features) and the water-board boundaries.

Municipalities and provinces come from the collections ``gemeente_gegeneraliseerd`` and
``provincie_gegeneraliseerd`` of ``https://api.pdok.nl/cbs/gebiedsindelingen/ogc/v1``, filtered on
the property ``jaarcode`` and asked for in EPSG:28992 with ``crs=…/EPSG/0/28992``. Pages are
GeoJSON FeatureCollections; the next page is the link with ``rel=next``. Water boards come as one
GeoPackage from the PDOK download (Atom) service of Het Waterschapshuis.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio

from adaptatie.io.update.http import KEEP, DataUpdateError, HttpClient
from adaptatie.io.update.staging import PageStore

PDOK_GEBIEDSINDELINGEN = "https://api.pdok.nl/cbs/gebiedsindelingen/ogc/v1"
PDOK_WATERSCHAPPEN = (
    "https://service.pdok.nl/hwh/waterschappen-waterschapsgrenzen-imso/atom/downloads/"
    "hwh_waterschapsgrenzenimso_geopackage_IMWA.gpkg"
)
GEMEENTE_COLLECTION = "gemeente_gegeneraliseerd"
PROVINCIE_COLLECTION = "provincie_gegeneraliseerd"
RD_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"
PAGE_SIZE = 1000
MAX_PAGES = 50
# Generous box around the Netherlands in RD New metres; degrees fall far outside it.
_RD_BOX = (-10_000.0, 280_000.0, 320_000.0, 650_000.0)
SERVICE = "PDOK (CBS gebiedsindelingen)"
WS_SERVICE = "PDOK (waterschapsgrenzen)"

Progress = Callable[[str, int, int | None], None]


class EmptyYearError(DataUpdateError):
    """The service has no features for the requested year."""


def items_url(base: str, collection: str, year: int, limit: int = PAGE_SIZE) -> str:
    query = urllib.parse.urlencode(
        {"f": "json", "jaarcode": year, "limit": limit, "crs": RD_URI}, safe=":/"
    )
    return f"{base.rstrip('/')}/collections/{collection}/items?{query}"


def available_years(client: HttpClient, base: str, first: int, last: int) -> tuple[int, ...]:
    """Boundary years from ``first`` to ``last`` for which the service has municipalities."""
    years = []
    for year in range(first, last + 1):
        data, _ = client.get_json(items_url(base, GEMEENTE_COLLECTION, year, 1), SERVICE)
        if _features(data, f"gemeentegrenzen {year}"):
            years.append(year)
    return tuple(years)


def fetch_features(
    client: HttpClient,
    base: str,
    collection: str,
    year: int,
    what: str,
    stage: Path,
    progress: Progress | None = None,
    page_size: int = PAGE_SIZE,
    max_pages: int = MAX_PAGES,
) -> tuple[list[dict[str, Any]], int]:
    """All features of one collection and year, resuming from ``stage``; also pages reused."""
    label = f"{what} {year}"
    first = items_url(base, collection, year, page_size)
    store = PageStore(stage, first)
    features: list[dict[str, Any]] = []
    matched: int | None = None
    url: str | None = first
    number = 0
    per_page = page_size  # the server may serve fewer per page than asked
    for page in store.stored():
        number, url = page.number, page.next_url
        features.extend(page.data["features"])
        if number == 1:
            matched = page.data.get("numberMatched")
            per_page = max(1, len(page.data["features"]))
        _report(progress, label, number, matched, per_page)
    while url is not None:
        if number >= max_pages:
            raise DataUpdateError(
                f"{label}: meer dan {max_pages} pagina's bij {SERVICE}; de download is gestopt. "
                f"{KEEP} Oplossing: meld dit bij de beheerder van adaptatie (paginagrootte of "
                "maximum aanpassen)."
            )
        data, response = client.get_json(url, SERVICE)
        _check_crs(response.headers.get("Content-Crs"), label)
        page_features = _features(data, label)
        if number == 0 and not page_features:
            raise EmptyYearError(
                f"{SERVICE} heeft geen {what} voor {year}. {KEEP} Oplossing: kies een jaar "
                "dat de dienst levert (laat --years weg om alle beschikbare jaren te nemen)."
            )
        if number == 0:
            matched = data.get("numberMatched")
            per_page = len(page_features)
        next_url = next_link(data, url)
        number += 1
        store.add(number, response.body, next_url)
        features.extend(page_features)
        _report(progress, label, number, matched, per_page)
        url = next_url
    if isinstance(matched, int) and matched != len(features):
        raise DataUpdateError(
            f"{label}: {SERVICE} meldde {matched} objecten maar leverde er {len(features)}. "
            f"{KEEP} Oplossing: voer 'adaptatie data update' later opnieuw uit."
        )
    return features, store.reused


def _report(progress: Progress | None, label: str, done: int, matched: Any, size: int) -> None:
    if progress is not None:
        total = -(-matched // size) if isinstance(matched, int) and matched > 0 else None
        progress(label, done, total)


def _features(data: Any, label: str) -> list[dict[str, Any]]:
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise DataUpdateError(
            f"{label}: {SERVICE} gaf geen GeoJSON-FeatureCollection terug. {KEEP} "
            "Oplossing: controleer ADAPTATIE_PDOK_URL (moet naar de OGC API van CBS "
            "gebiedsindelingen wijzen) of probeer het later opnieuw."
        )
    returned = data.get("numberReturned")
    if isinstance(returned, int) and returned != len(data["features"]):
        raise DataUpdateError(
            f"{label}: een pagina van {SERVICE} is onvolledig ({len(data['features'])} "
            f"van {returned} objecten). {KEEP} Oplossing: voer 'adaptatie data update' opnieuw uit."
        )
    return data["features"]


def next_link(data: dict[str, Any], current: str) -> str | None:
    for link in data.get("links", []) or []:
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            return urllib.parse.urljoin(current, str(link["href"]))
    return None


def _check_crs(header: str | None, label: str) -> None:
    if header and header.strip().strip("<>") != RD_URI:
        raise DataUpdateError(
            f"{label}: {SERVICE} leverde coördinaten in {header.strip()} in plaats van het "
            f"gevraagde EPSG:28992 (RD New). {KEEP} Oplossing: controleer ADAPTATIE_PDOK_URL; "
            "de dienst moet de parameter crs ondersteunen."
        )


def features_frame(
    features: list[dict[str, Any]], year: int, label: str, bron: str
) -> gpd.GeoDataFrame:
    """Features as a frame with ``statcode``, ``statnaam``, ``jaar``, ``bron`` in EPSG:28992."""
    frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:28992")
    check_rd_bounds(frame, label)
    missing = [c for c in ("statcode", "statnaam") if c not in frame.columns]
    if missing:
        raise DataUpdateError(
            f"{label}: de objecten van {SERVICE} missen het veld {', '.join(missing)}. "
            f"{KEEP} Oplossing: werk adaptatie bij; de dienst is vermoedelijk veranderd."
        )
    frame = frame[["statcode", "statnaam", "geometry"]].copy()
    frame["statcode"] = frame["statcode"].astype(str).str.strip()
    frame["statnaam"] = frame["statnaam"].astype(str).str.strip()
    if frame["statcode"].duplicated().any():
        frame = frame.dissolve(by="statcode", aggfunc="first", as_index=False)
    frame["jaar"] = year
    frame["bron"] = bron
    return frame[["statcode", "statnaam", "jaar", "bron", "geometry"]]


def check_rd_bounds(frame: gpd.GeoDataFrame, label: str) -> None:
    if len(frame) == 0:
        return
    minx, miny, maxx, maxy = frame.total_bounds
    lo_x, lo_y, hi_x, hi_y = _RD_BOX
    if not (lo_x <= minx and maxx <= hi_x and lo_y <= miny and maxy <= hi_y):
        raise DataUpdateError(
            f"{label}: de coördinaten ({minx:.1f}, {miny:.1f}) – ({maxx:.1f}, {maxy:.1f}) zijn "
            f"geen RD New-meters (EPSG:28992); de dienst leverde een ander coördinatenstelsel. "
            f"{KEEP} Oplossing: controleer ADAPTATIE_PDOK_URL; de dienst moet de parameter crs "
            "ondersteunen."
        )


def write_gpkg(frame: gpd.GeoDataFrame, path: Path) -> int:
    frame.to_file(path, driver="GPKG", engine="pyogrio", layer=path.stem)
    return len(frame)


def normalise_ws_code(value: object) -> str:
    """``WS17`` stays; ``WS0017``/``17`` become ``WS17`` (the form the app uses)."""
    text = str(value).strip().upper()
    match = re.fullmatch(r"(?:WS)?0*(\d{1,2})", text)
    return f"WS{int(match.group(1)):02d}" if match else text


def fetch_waterschappen(client: HttpClient, url: str, stage: Path, target: Path, bron: str) -> int:
    """Download the water-board GeoPackage (resumable) and write ``target`` with code/naam/bron."""
    stage.mkdir(parents=True, exist_ok=True)
    raw = client.download(url, stage / "waterschappen_bron.gpkg", WS_SERVICE)
    label = "waterschapsgrenzen"
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(raw)]
        layer = next((n for n in layers if "waterschap" in n.lower()), layers[0])
        frame = gpd.read_file(raw, layer=layer, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, IndexError) as exc:
        raw.unlink(missing_ok=True)
        raise DataUpdateError(
            f"{label}: het bestand van {WS_SERVICE} is geen leesbare GeoPackage ({exc}). {KEEP} "
            "Oplossing: voer 'adaptatie data update' opnieuw uit; het bestand wordt opnieuw "
            "opgehaald."
        ) from exc
    code = next((c for c in ("code", "waterschapcode") if c in frame.columns), None)
    name = next((c for c in ("naam", "waterschapnaam", "name") if c in frame.columns), None)
    if code is None or name is None or frame.crs is None:
        raise DataUpdateError(
            f"{label}: het bestand van {WS_SERVICE} heeft geen kolommen code/naam of geen CRS "
            f"(kolommen: {', '.join(c for c in frame.columns if c != 'geometry')}). {KEEP} "
            "Oplossing: werk adaptatie bij; de dienst is vermoedelijk veranderd."
        )
    if frame.crs.to_epsg() != 28992:
        frame = frame.to_crs("EPSG:28992")
    out = gpd.GeoDataFrame(
        {
            "code": frame[code].map(normalise_ws_code),
            "naam": frame[name].astype(str).str.strip(),
            "bron": bron,
        },
        geometry=frame.geometry.to_numpy(),
        crs="EPSG:28992",
    )
    check_rd_bounds(out, label)
    if out["code"].duplicated().any():
        out = out.dissolve(by="code", aggfunc="first", as_index=False)
    return write_gpkg(out[["code", "naam", "bron", "geometry"]], target)
