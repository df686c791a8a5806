"""CBS open data (OData v3): inhabitants per municipality from the Kerncijfers wijken en buurten.

Each year has its own table (e.g. 85984NED for 2024). The catalogue
``/ODataCatalog/Tables?$filter=substringof('Kerncijfers wijken en buurten',Title)`` lists them;
the rows come from the bulk feed ``/ODataFeed/odata/<id>/TypedDataSet``, paged with
``odata.nextLink``. Region keys are space-padded (``'GM0014    '``); municipalities are the keys
starting with ``GM``. The column names carry a position suffix (``AantalInwoners_5``), so they
are looked up in ``DataProperties`` per table.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from adaptatie.io.update.http import KEEP, DataUpdateError, HttpClient
from adaptatie.io.update.staging import PageStore

CBS_OPENDATA = "https://opendata.cbs.nl"
SERVICE = "CBS open data (OData)"
TITLE = "Kerncijfers wijken en buurten"
MAX_PAGES = 50
_MISSING = {"", ".", "x", "-", "?"}

Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class PopulationYear:
    year: int
    table: str
    rows: tuple[tuple[str, str, int], ...]  # code, name, inhabitants
    skipped: tuple[str, ...]  # municipality codes without a figure (secrecy or not yet known)
    url: str
    reused: int = 0


def _query(params: dict[str, str]) -> str:
    return urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe="$,'()")


def catalogue_url(base: str) -> str:
    return f"{base.rstrip('/')}/ODataCatalog/Tables?" + _query(
        {
            "$format": "json",
            "$select": "Identifier,Title",
            "$filter": f"substringof('{TITLE}',Title)",
        }
    )


def catalogue(client: HttpClient, base: str, first_year: int) -> dict[int, str]:
    """Table identifier per year, for the yearly Kerncijfers tables from ``first_year`` on."""
    url: str | None = catalogue_url(base)
    tables: dict[int, str] = {}
    pages = 0
    while url is not None and pages < MAX_PAGES:
        data, _ = client.get_json(url, SERVICE)
        pages += 1
        for row in _value(data, "catalogus"):
            match = re.fullmatch(rf"{TITLE} (\d{{4}})", str(row.get("Title", "")).strip())
            ident = str(row.get("Identifier", "")).strip()
            if match and ident and int(match.group(1)) >= first_year:
                year = int(match.group(1))
                tables[year] = max(tables.get(year, ident), ident)
        url = _next(data)
    return dict(sorted(tables.items()))


def _value(data: Any, what: str) -> list[dict[str, Any]]:
    if not isinstance(data, dict) or not isinstance(data.get("value"), list):
        raise DataUpdateError(
            f"{SERVICE} gaf geen OData-antwoord ({what}). {KEEP} Oplossing: controleer "
            "ADAPTATIE_CBS_URL (moet naar https://opendata.cbs.nl wijzen) of probeer het later "
            "opnieuw."
        )
    return [row for row in data["value"] if isinstance(row, dict)]


def _next(data: dict[str, Any]) -> str | None:
    link = data.get("odata.nextLink") or data.get("@odata.nextLink")
    return str(link) if link else None


def cbs_number(value: object) -> int | None:
    """An integer as CBS writes it: a JSON number, or text padded with spaces; '.' is missing."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text in _MISSING:
        return None
    if re.fullmatch(r"\d+(\.0+)?", text):
        return int(text.split(".")[0])
    raise ValueError(f"'{value}' is geen geheel aantal")


def fetch_population(
    client: HttpClient,
    base: str,
    table: str,
    year: int,
    stage: Path,
    progress: Progress | None = None,
    max_pages: int = MAX_PAGES,
) -> PopulationYear:
    """Inhabitants per municipality from one Kerncijfers table, resuming from ``stage``."""
    base = base.rstrip("/")
    label = f"bevolking {year}"
    props, _ = client.get_json(
        f"{base}/ODataApi/odata/{table}/DataProperties?$format=json", SERVICE
    )
    keys = [str(row.get("Key", "")) for row in _value(props, f"kolommen van {table}")]
    count_key = next((k for k in keys if re.fullmatch(r"AantalInwoners_\d+", k)), None)
    name_key = next((k for k in keys if re.fullmatch(r"Gemeentenaam_\d+", k)), None)
    if count_key is None:
        raise DataUpdateError(
            f"{label}: tabel {table} van {SERVICE} heeft geen kolom AantalInwoners. {KEEP} "
            "Oplossing: werk adaptatie bij; de tabelindeling is vermoedelijk veranderd."
        )
    select = ",".join(k for k in ("WijkenEnBuurten", name_key, count_key) if k)
    first = f"{base}/ODataFeed/odata/{table}/TypedDataSet?" + _query(
        {"$format": "json", "$select": select}
    )
    store = PageStore(stage, first)
    rows: list[dict[str, Any]] = []
    url: str | None = first
    number = 0
    for page in store.stored():
        number, url = page.number, page.next_url
        rows.extend(page.data["value"])
        if progress:
            progress(label, number, None)
    while url is not None:
        if number >= max_pages:
            raise DataUpdateError(
                f"{label}: meer dan {max_pages} pagina's bij {SERVICE}; de download is gestopt. "
                f"{KEEP} Oplossing: meld dit bij de beheerder van adaptatie."
            )
        data, response = client.get_json(url, SERVICE)
        page_rows = _value(data, f"tabel {table}")
        next_url = _next(data)
        number += 1
        store.add(number, response.body, next_url)
        rows.extend(page_rows)
        if progress:
            progress(label, number, None)
        url = next_url
    result = _municipalities(rows, table, year, count_key, name_key, first)
    return replace(result, reused=store.reused)


def _municipalities(
    rows: list[dict[str, Any]],
    table: str,
    year: int,
    count_key: str,
    name_key: str | None,
    url: str,
) -> PopulationYear:
    found: list[tuple[str, str, int]] = []
    skipped: list[str] = []
    for row in rows:
        code = str(row.get("WijkenEnBuurten", "")).strip()
        if not re.fullmatch(r"GM\d{4}", code):
            continue
        try:
            count = cbs_number(row.get(count_key))
        except ValueError as exc:
            raise DataUpdateError(
                f"bevolking {year}: tabel {table} geeft voor {code} een onleesbaar aantal "
                f"inwoners ({exc}). {KEEP} Oplossing: meld dit bij de beheerder van adaptatie."
            ) from exc
        if count is None:
            skipped.append(code)
            continue
        name = str(row.get(name_key, "")).strip() if name_key else ""
        found.append((code, name, count))
    if not found:
        raise DataUpdateError(
            f"bevolking {year}: tabel {table} van {SERVICE} bevat geen gemeenten met een aantal "
            f"inwoners. {KEEP} Oplossing: kies een ander jaar of probeer het later opnieuw."
        )
    return PopulationYear(year, table, tuple(sorted(found)), tuple(sorted(skipped)), url)
