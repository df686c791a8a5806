"""HTTP for the data update: every request with a timeout, retries with back-off, resumable files.

Only the standard library (``urllib``). Failures end in :class:`ServiceError` with a Dutch message
that names the service, what went wrong and the fix.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

from adaptatie.errors import AdaptatieError

USER_AGENT = "adaptatie-data-update/1 (+https://github.com/; regionale klimaatadaptatie)"
KEEP = "De gegevens die nu in gebruik zijn blijven ongewijzigd."


class DataUpdateError(AdaptatieError, RuntimeError):
    """The data update could not be completed; the data in use are unchanged."""


class ServiceError(DataUpdateError):
    """A web service could not be reached or answered with an error."""


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    headers: Message
    body: bytes


class _Transient(Exception):
    """A failure worth retrying; ``kind`` selects the Dutch message."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


@dataclass
class HttpClient:
    """Bounded HTTP: ``timeout`` seconds per request, ``retries`` extra attempts."""

    timeout: float = 60.0
    retries: int = 3
    backoff: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    requests: int = field(default=0, init=False)

    def get(self, url: str, service: str, headers: dict[str, str] | None = None) -> Response:
        """GET ``url`` with retries; the whole body is read and checked against Content-Length."""

        def attempt() -> Response:
            with self._open(url, headers) as reply:
                body = _read_all(reply)
                return Response(reply.geturl(), reply.status, reply.headers, body)

        return self._retry(url, service, attempt)

    def get_json(self, url: str, service: str) -> tuple[Any, Response]:
        """GET and parse JSON; a page that does not parse (truncated) is retried."""

        def attempt() -> tuple[Any, Response]:
            with self._open(url, {"Accept": "application/json"}) as reply:
                body = _read_all(reply)
            try:
                return json.loads(body), Response(url, reply.status, reply.headers, body)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise _Transient("onvolledig", f"geen geldige JSON: {exc}") from exc

        return self._retry(url, service, attempt)

    def download(self, url: str, target: Path, service: str) -> Path:
        """Download ``url`` to ``target``, resuming a ``target.part`` left by an earlier try."""
        part = target.with_name(target.name + ".part")

        def attempt() -> Path:
            have = part.stat().st_size if part.is_file() else 0
            extra = {"Range": f"bytes={have}-"} if have else {}
            with self._open(url, extra) as reply:
                if have and reply.status != 206:
                    have = 0  # the server ignored the range: start over
                expected = _expected_total(reply, have)
                with part.open("ab" if have else "wb") as out:
                    while True:
                        try:
                            block = reply.read(1 << 16)
                        except http.client.IncompleteRead as exc:
                            out.write(exc.partial)
                            raise _Transient(
                                "onvolledig", "verbinding halverwege verbroken"
                            ) from exc
                        if not block:
                            break
                        out.write(block)
            size = part.stat().st_size
            if expected is not None and size != expected:
                raise _Transient("onvolledig", f"{size} van {expected} bytes ontvangen")
            part.replace(target)
            return target

        return self._retry(url, service, attempt)

    def _open(self, url: str, headers: dict[str, str] | None) -> Any:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
        self.requests += 1
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code >= 500 or exc.code == 429:
                raise _Transient("status", str(exc.code)) from exc
            raise _Fatal("status", str(exc.code)) from exc
        except TimeoutError as exc:
            raise _Transient("timeout", str(exc)) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise _Transient("timeout", str(exc.reason)) from exc
            raise _Transient("offline", str(exc.reason)) from exc
        except (ConnectionError, http.client.HTTPException) as exc:
            raise _Transient("onvolledig", str(exc)) from exc

    def _retry(self, url: str, service: str, attempt: Callable[[], Any]) -> Any:
        last: _Transient | None = None
        for number in range(self.retries + 1):
            if number:
                self.sleep(self.backoff * 2 ** (number - 1))
            try:
                return attempt()
            except _Fatal as exc:
                raise ServiceError(_message(service, url, exc.kind, exc.detail, 1)) from None
            except _Transient as exc:
                last = exc
            except TimeoutError as exc:
                last = _Transient("timeout", str(exc))
            except (ConnectionError, http.client.HTTPException) as exc:
                last = _Transient("onvolledig", str(exc))
        assert last is not None
        raise ServiceError(_message(service, url, last.kind, last.detail, self.retries + 1))


class _Fatal(_Transient):
    """A failure that retrying will not cure (HTTP 4xx)."""


def _read_all(reply: Any) -> bytes:
    try:
        body = reply.read()
    except http.client.IncompleteRead as exc:
        raise _Transient("onvolledig", "verbinding halverwege verbroken") from exc
    length = reply.headers.get("Content-Length")
    if length is not None and length.isdigit() and int(length) != len(body):
        raise _Transient("onvolledig", f"{len(body)} van {length} bytes ontvangen")
    return body


def _expected_total(reply: Any, have: int) -> int | None:
    content_range = reply.headers.get("Content-Range", "")
    if reply.status == 206 and "/" in content_range:
        total = content_range.rsplit("/", 1)[1].strip()
        return int(total) if total.isdigit() else None
    length = reply.headers.get("Content-Length")
    if length is None or not length.isdigit():
        return None
    return int(length) + (have if reply.status == 206 else 0)


def host_of(url: str) -> str:
    parsed = urllib.parse.urlsplit(url)
    return parsed.netloc or url


def _message(service: str, url: str, kind: str, detail: str, attempts: int) -> str:
    host = host_of(url)
    tries = f"na {attempts} pogingen" if attempts > 1 else "direct"
    if kind == "offline":
        return (
            f"Geen verbinding met {service} ({host}): {detail}. {KEEP} Oplossing: controleer de "
            "internetverbinding (en een eventuele proxy) en voer 'adaptatie data update' "
            "opnieuw uit; wat al binnen is wordt dan hergebruikt."
        )
    if kind == "timeout":
        return (
            f"{service} ({host}) reageerde niet op tijd ({tries}). {KEEP} Oplossing: probeer "
            "het later opnieuw; wat al binnen is wordt dan hergebruikt."
        )
    if kind == "onvolledig":
        return (
            f"De download van {service} ({host}) kwam onvolledig binnen ({detail}, {tries}). "
            f"{KEEP} Oplossing: voer 'adaptatie data update' opnieuw uit; de download gaat "
            "verder waar hij gebleven was."
        )
    code = int(detail)
    if code >= 500 or code == 429:
        return (
            f"{service} ({host}) antwoordde met een serverfout (HTTP {code}, {tries}). {KEEP} "
            "Oplossing: de dienst heeft een storing; probeer het later opnieuw."
        )
    return (
        f"{service} ({host}) weigerde het verzoek (HTTP {code}) voor {url}. {KEEP} Oplossing: "
        "controleer het adres van de dienst (ADAPTATIE_PDOK_URL / ADAPTATIE_CBS_URL) of werk "
        "adaptatie bij als de dienst is veranderd."
    )
