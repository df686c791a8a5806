"""Streamlit's frontend bundles served gzip-compressed from memory (``server.py`` installs it).

Streamlit serves its own JavaScript and CSS (about 150 files, 6 MB on a first visit to the
stress-test page) uncompressed, read from disk in chunks on worker threads. In a town hall on
shared Wi-Fi that is 6 MB per council member's first visit; on the server it is a large part of
the CPU of a first visit (``bench/load.py``). This ASGI middleware answers the requests for
those hashed, immutable bundles with a gzip copy (about a third of the bytes) kept in memory:
each file is compressed once, at its first request, and then costs one send.

Only what is safe to answer that way is answered: ``GET`` and ``HEAD`` of a file that is in the
index made at start-up of Streamlit's ``static/static`` folder (a lookup by exact name: no path
from the request ever reaches the file system), with a compressible type, from a client that
accepts gzip. Everything else (the page itself, ``index.html``, websockets, components, the
app's own files, clients without gzip) goes on to Streamlit unchanged. The response carries the
headers Streamlit gives these bundles (``Cache-Control: public, immutable``, one year) and
``Vary: Accept-Encoding``.
"""

from __future__ import annotations

import gzip
import mimetypes
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import anyio.to_thread

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COMPRESSIBLE = {".js", ".css", ".map", ".svg", ".json", ".txt", ".ttf", ".otf"}
MAX_AGE_S = 365 * 24 * 60 * 60  # as Streamlit's own header for its hashed bundles
GZIP_LEVEL = 9  # once per file and process: the smallest copy is worth the CPU


def bundle_index(static_dir: Path, url_prefix: str = "/static/") -> dict[str, Path]:
    """The compressible files under ``static_dir``, by the URL path they are served at."""
    index: dict[str, Path] = {}
    for path in sorted(static_dir.rglob("*")):
        if path.is_file() and path.suffix.lower() in COMPRESSIBLE:
            index[url_prefix + path.relative_to(static_dir).as_posix()] = path
    return index


def accepts_gzip(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether an ``Accept-Encoding`` header allows gzip (not refused with ``q=0``)."""
    for name, value in headers:
        if name.lower() != b"accept-encoding":
            continue
        for item in value.decode("latin-1").split(","):
            coding, _, params = item.strip().partition(";")
            if coding.strip().lower() not in {"gzip", "*"}:
                continue
            quality = params.strip().lower().removeprefix("q=")
            try:
                return not params or float(quality) > 0
            except ValueError:
                return False
    return False


class CompressedBundles:
    """ASGI middleware: gzip copies of the files in ``index``, compressed once, from memory."""

    def __init__(self, app: ASGIApp, index: dict[str, Path], base_url: str = "") -> None:
        self.app = app
        self.prefix = "/" + base_url.strip("/") if base_url.strip("/") else ""
        self.index = index
        self._copies: dict[str, bytes] = {}
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope.get("method") not in {"GET", "HEAD"}
            or not path.startswith(self.prefix)
            or path[len(self.prefix) :] not in self.index
            or not accepts_gzip(scope.get("headers", []))
        ):
            await self.app(scope, receive, send)
            return
        key = path[len(self.prefix) :]
        body = self._copies.get(key)
        if body is None:  # compressed once, off the event loop
            try:
                body = await anyio.to_thread.run_sync(self._copy, key)
            except OSError:  # gone or unreadable since start-up: Streamlit answers as it would
                await self.app(scope, receive, send)
                return
        kind = mimetypes.guess_type(key)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in {"application/javascript", "application/json"}:
            kind += "; charset=utf-8"
        headers = [
            (b"content-type", kind.encode()),
            (b"content-encoding", b"gzip"),
            (b"content-length", str(len(body)).encode()),
            (b"vary", b"Accept-Encoding"),
            (b"cache-control", f"public, immutable, max-age={MAX_AGE_S}".encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        head = scope["method"] == "HEAD"
        await send({"type": "http.response.body", "body": b"" if head else body})

    def _copy(self, key: str) -> bytes:
        """The gzip copy of one file, made at its first request (once, under a lock)."""
        with self._lock:
            copy = self._copies.get(key)
            if copy is None:
                # mtime=0: the same bytes for the same file, in every process.
                copy = gzip.compress(self.index[key].read_bytes(), GZIP_LEVEL, mtime=0)
                self._copies[key] = copy
        return copy


def middleware() -> list[Any]:
    """The middleware list for ``st.App`` (``server.py``): :class:`CompressedBundles`."""
    import streamlit as st
    from starlette.middleware import Middleware
    from streamlit import file_util

    index = bundle_index(Path(file_util.get_static_dir()) / "static")
    base_url = st.get_option("server.baseUrlPath") or ""
    return [Middleware(CompressedBundles, index=index, base_url=base_url)]
