"""Sessions without a browser: what one real page load asks of the server, replayed at once by
many simulated visitors. Used by bench/load.py.

A real Chromium opens the page once while everything it asks is recorded: the HTTP requests
before the websocket opens (the page and Streamlit's frontend), the binary messages it sends over
the websocket (the script run of the page, and what the map component sends back), and the HTTP
requests after it (the map component's frame and files). A simulated visitor then does the same
against the server, with six HTTP connections as a browser has, and its page counts as loaded
when the server has answered everything: every file read and every script run finished. A
returning visitor skips the files the browser keeps (``Cache-Control: immutable``).

So the time is the server's part of a page load when the visitors' browsers run on their own
machines; the rendering in the browser comes on top (bench/load.py measures it once).
"""

from __future__ import annotations

import asyncio
import http.client
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from _app import NOT_LOCAL
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

CONNECTIONS = 6  # per visitor, as a browser opens per host


@dataclass
class Recording:
    """One real page load, as the server saw it."""

    before: list[str] = field(default_factory=list)  # paths fetched before the websocket
    after: list[str] = field(default_factory=list)  # paths fetched after it opened
    immutable: set[str] = field(default_factory=set)  # paths a browser keeps in its cache
    frames: list[bytes] = field(default_factory=list)  # binary messages sent on the websocket
    stream: str = "/_stcore/stream"


def record(browser: object, url: str, path: str, ready: object) -> Recording:
    """Open ``url + path`` once in a fresh context and record what it asks of the server."""
    recording = Recording()
    opened = False
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route(NOT_LOCAL, lambda route: route.abort())
    page = context.new_page()

    def finished(request: object) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https") or request.method != "GET":
            return
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        (recording.after if opened else recording.before).append(target)
        response = request.response()
        if response is not None and "immutable" in (response.headers.get("cache-control") or ""):
            recording.immutable.add(target)

    def websocket(socket: object) -> None:
        nonlocal opened
        opened = True
        recording.stream = urlsplit(socket.url).path
        socket.on(
            "framesent",
            lambda payload: (
                recording.frames.append(payload) if isinstance(payload, bytes) else None
            ),
        )

    page.on("requestfinished", finished)
    page.on("websocket", websocket)
    page.goto(url + path, wait_until="commit")
    ready(page)
    page.wait_for_timeout(1500)  # the map component's answer and its files
    context.close()
    return recording


def _reruns(frame: bytes) -> bool:
    message = BackMsg()
    message.ParseFromString(frame)
    return message.WhichOneof("type") == "rerun_script"


def _fetch(host: str, port: int, paths: list[str]) -> int:
    """GET ``paths`` over one keep-alive connection; the bytes read."""
    total = 0
    connection = http.client.HTTPConnection(host, port, timeout=180)
    try:
        for target in paths:
            connection.request("GET", target, headers={"Accept-Encoding": "gzip, br"})
            response = connection.getresponse()
            total += len(response.read())
    finally:
        connection.close()
    return total


async def _fetch_all(pool: ThreadPoolExecutor, host: str, port: int, paths: list[str]) -> None:
    lanes = [paths[i::CONNECTIONS] for i in range(CONNECTIONS)]
    loop = asyncio.get_running_loop()
    await asyncio.gather(
        *(loop.run_in_executor(pool, _fetch, host, port, lane) for lane in lanes if lane)
    )


async def _visit(
    pool: ThreadPoolExecutor, url: str, recording: Recording, returning: bool
) -> float:
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port
    keep = recording.immutable if returning else set()
    start = time.perf_counter()
    await _fetch_all(pool, host, port, [p for p in recording.before if p not in keep])
    async with websockets.connect(
        f"ws://{host}:{port}{recording.stream}",
        subprotocols=["streamlit"],
        max_size=None,
        open_timeout=180,
    ) as socket:
        for frame in recording.frames:
            await socket.send(frame)
            if not _reruns(frame):
                continue
            while True:  # until this script run has finished
                message = ForwardMsg()
                message.ParseFromString(await socket.recv())
                if message.WhichOneof("type") == "script_finished":
                    break
        await _fetch_all(pool, host, port, [p for p in recording.after if p not in keep])
    return time.perf_counter() - start


async def _visits(url: str, recording: Recording, sessions: int, returning: bool) -> list[float]:
    with ThreadPoolExecutor(max_workers=sessions * CONNECTIONS) as pool:
        return list(
            await asyncio.gather(
                *(_visit(pool, url, recording, returning) for _ in range(sessions))
            )
        )


def replay(url: str, recording: Recording, sessions: int, returning: bool) -> list[float]:
    """``sessions`` simulated visitors load the recorded page at once; their times in s.

    The event loop runs in a thread of its own: Playwright's sync API keeps one in this one."""
    with ThreadPoolExecutor(max_workers=1) as runner:
        return runner.submit(asyncio.run, _visits(url, recording, sessions, returning)).result()
