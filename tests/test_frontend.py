"""The compressed frontend bundles (adaptatie.ui.frontend), called as ASGI without a server."""

from __future__ import annotations

import asyncio
import gzip
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from adaptatie.ui.frontend import CompressedBundles, accepts_gzip, bundle_index


def static_folder(tmp_path: Path) -> Path:
    static = tmp_path / "static"
    (static / "js").mkdir(parents=True)
    (static / "media").mkdir()
    (static / "js" / "index.abc123.js").write_text("console.log('x');\n" * 500)
    (static / "js" / "vendor.css").write_text("body { color: red }\n" * 100)
    (static / "media" / "font.woff2").write_bytes(b"\x00\x01already compressed")
    return static


def call(app: CompressedBundles, path: str, method: str = "GET", encoding: str = "gzip") -> dict:
    """One request through ``app``; what it sent, and whether the request passed on."""
    sent: list[dict] = []
    passed: list[str] = []

    async def downstream(scope: dict, receive: object, send: object) -> None:
        passed.append(scope["path"])

    app.app = downstream

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(message: dict) -> None:
        sent.append(message)

    headers = [(b"accept-encoding", encoding.encode())] if encoding else []
    scope = {"type": "http", "method": method, "path": path, "headers": headers}
    # In a thread of its own: a browser test's Playwright may hold this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    if passed:
        return {"passed": True}
    start, body = sent
    return {"passed": False, "headers": dict(start["headers"]), "body": body["body"]}


def test_index_lists_compressible_files_by_url(tmp_path: Path) -> None:
    index = bundle_index(static_folder(tmp_path))
    assert sorted(index) == ["/static/js/index.abc123.js", "/static/js/vendor.css"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("*", True),
        ("gzip;q=0", False),
        ("deflate, br", False),
        ("identity", False),
    ],
)
def test_accept_encoding(header: str, expected: bool) -> None:
    assert accepts_gzip([(b"Accept-Encoding", header.encode())]) is expected


def test_bundle_is_sent_gzipped_with_immutable_caching(tmp_path: Path) -> None:
    static = static_folder(tmp_path)
    app = CompressedBundles(None, bundle_index(static))  # type: ignore[arg-type]
    answer = call(app, "/static/js/index.abc123.js")
    raw = (static / "js" / "index.abc123.js").read_bytes()
    assert gzip.decompress(answer["body"]) == raw
    assert len(answer["body"]) < len(raw) / 10  # 500 equal lines compress far below a tenth
    headers = answer["headers"]
    assert headers[b"content-encoding"] == b"gzip"
    assert headers[b"content-length"] == str(len(answer["body"])).encode()
    assert headers[b"content-type"].startswith(b"text/javascript") or headers[
        b"content-type"
    ].startswith(b"application/javascript")
    assert headers[b"vary"] == b"Accept-Encoding"
    assert headers[b"cache-control"] == b"public, immutable, max-age=31536000"
    # HEAD: the same headers, no body
    head = call(app, "/static/js/index.abc123.js", method="HEAD")
    assert head["body"] == b"" and head["headers"][b"content-length"] == headers[b"content-length"]


@pytest.mark.parametrize(
    ("path", "method", "encoding"),
    [
        ("/static/js/index.abc123.js", "GET", ""),  # the client takes no gzip
        ("/static/js/index.abc123.js", "GET", "gzip;q=0"),
        ("/static/js/index.abc123.js", "POST", "gzip"),
        ("/static/media/font.woff2", "GET", "gzip"),  # already compressed
        ("/static/js/../js/index.abc123.js", "GET", "gzip"),  # not a name in the index
        ("/static/js/missing.js", "GET", "gzip"),
        ("/", "GET", "gzip"),  # the page itself stays Streamlit's
        ("/Stresstest", "GET", "gzip"),
    ],
)
def test_everything_else_goes_on_to_streamlit(
    tmp_path: Path, path: str, method: str, encoding: str
) -> None:
    app = CompressedBundles(None, bundle_index(static_folder(tmp_path)))  # type: ignore[arg-type]
    assert call(app, path, method=method, encoding=encoding) == {"passed": True}


def test_base_url_prefix(tmp_path: Path) -> None:
    app = CompressedBundles(None, bundle_index(static_folder(tmp_path)), base_url="/adaptatie/")  # type: ignore[arg-type]
    assert call(app, "/adaptatie/static/js/vendor.css")["headers"][b"content-encoding"] == b"gzip"
    assert call(app, "/static/js/vendor.css") == {"passed": True}


def test_a_bundle_gone_since_start_up_goes_on_to_streamlit(tmp_path: Path) -> None:
    static = static_folder(tmp_path)
    app = CompressedBundles(None, bundle_index(static))  # type: ignore[arg-type]
    (static / "js" / "vendor.css").unlink()
    assert call(app, "/static/js/vendor.css") == {"passed": True}
