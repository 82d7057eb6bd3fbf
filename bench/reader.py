"""One reader of the app as a browser arrives, without rendering: GET the page and the assets a browser fetches
for it (``fetch_assets``: the list a real Chromium fetched, ``bench/browser_urls_<page>.json`` written by
``bench/record_browser_urls.py``, replayed in its order over a browser's six connections, kept open for the whole
visit as the browser keeps them; the HTML's own list for a page without a recording), open the websocket, ask for
the page's run and read until ``script_finished`` (``one_session``, ``run_once``). Every call is bounded by
``SESSION_TIMEOUT_S``. Used by ``bench/load.py``, ``bench/pages.py`` and ``bench/browser_map.py``."""

from __future__ import annotations

import asyncio
import functools
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

SESSION_TIMEOUT_S = 60.0


@dataclass
class SessionResult:
    seconds: float
    ws_seconds: float = 0.0  # from opening the websocket to script_finished (no asset downloads)
    error: str | None = None
    bytes_http: int = 0
    bytes_ws: int = 0  # the messages' bytes (after permessage-deflate, when the server compresses)
    bytes_ws_wire: int = 0  # what arrived on the websocket's TCP connection (frames as sent)
    requests: int = 0  # HTTP requests made (the page, its assets, the fetches after the first run)
    missing: list[str] = field(default_factory=list)  # recorded paths the server no longer has (404)
    server: str = ""
    texts: list[str] = field(default_factory=list)


def rerun_msg(page: str, query: str, base: str, widget_states=None) -> bytes:
    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = query
    cs.page_name = page
    cs.context_info.timezone = "Asia/Almaty"
    cs.context_info.locale = "en-US"
    cs.context_info.url = f"{base}/{page}" + (f"?{query}" if query else "")
    if widget_states is not None:
        cs.widget_states.CopyFrom(widget_states)
    return msg.SerializeToString()


# Chunks the browser loads lazily when the map page's elements arrive (Plotly chart, data table).
LAZY_CHUNKS = ("DataFrame",)  # loaded when a table arrives; chart pages preload theirs (listed in the HTML)


def lazy_chunks() -> list[str]:
    import streamlit

    js = Path(streamlit.__file__).parent / "static" / "static" / "js"
    return [f"static/js/{f.name}" for name in LAZY_CHUNKS for f in sorted(js.glob(f"{name}.*.js"))]


BROWSER_CONNECTIONS = 6  # Chromium's connections per host (HTTP/1.1), kept for the whole visit (as recorded)


REPLAY = True  # False: the HTML's own list (what the bench fetched before recordings; ``load.py --assets html``)


# Servers of another checkout (``load.py --baseline``): base URL → that checkout, whose recordings are replayed to it
REPLAY_CHECKOUTS: dict[str, Path] = {}


@functools.lru_cache(maxsize=8)
def recorded_requests(page: str, checkout: Path | None = None) -> tuple[list[str], list[str]] | None:
    """(paths fetched before the websocket opens, paths fetched after it) as a browser fetched them for ``page``
    (``bench/browser_urls_<page>.json`` of ``checkout``, this one by default; hashes resolved against the installed
    files), or None without a recording."""
    import json

    from bench.record_browser_urls import ROOT, listed, resolve

    recording = listed(page, checkout or ROOT)
    if not REPLAY or not recording.is_file():
        return None
    before: list[str] = []
    after: list[str] = []
    current = before
    for entry in json.loads(recording.read_text())["requests"]:
        if entry["method"] == "WS":
            current = after
            continue
        path = resolve(entry)
        if path is None:
            raise RuntimeError(f"{recording}: {entry['path']} is not installed; record the list again "
                               "(python bench/record_browser_urls.py)")
        current.append(path)
    return tuple(before), tuple(after)  # type: ignore[return-value]


async def fetch_paths(client: httpx.AsyncClient, base: str, paths: list[str], res: SessionResult) -> int:
    """GET ``paths`` over ``BROWSER_CONNECTIONS`` at once; bytes on the wire (a 404 is noted, not fatal)."""
    gate = asyncio.Semaphore(BROWSER_CONNECTIONS)

    async def one(path: str) -> int:
        async with gate:
            r = await client.get(f"{base}/{path}")
        res.requests += 1
        if r.status_code == 404:
            res.missing.append(path)
            return 0
        r.raise_for_status()
        return int(r.headers.get("content-length") or len(r.content))

    return sum(await asyncio.gather(*(one(p) for p in paths)))


async def fetch_assets(client: httpx.AsyncClient, base: str, page: str, res: SessionResult | None = None) -> int:
    """What a browser fetches for a page before its websocket opens (a fresh visitor: nothing cached); bytes on
    the wire."""
    res = res if res is not None else SessionResult(0.0)
    recorded = recorded_requests(page, REPLAY_CHECKOUTS.get(base))
    if recorded is not None:
        first, *rest = recorded[0]  # the page itself, then its assets as the browser asked for them
        total = await fetch_paths(client, base, [first], res)  # its cookies before the rest
        return total + await fetch_paths(client, base, rest, res)
    res.requests += 1
    resp = await client.get(f"{base}/{page}")
    resp.raise_for_status()
    total = int(resp.headers.get("content-length") or len(resp.content))
    assets = re.findall(r'(?:src|href)="\./((?:static|embed/assets)/[^"]+\.(?:js|css))"', resp.text)
    if page != "bench-empty":
        assets += lazy_chunks()
    assets = list(dict.fromkeys(assets))  # a preloaded chunk is fetched once
    for path in ["_stcore/health", "_stcore/host-config", *assets]:
        r = await client.get(f"{base}/{path}")
        res.requests += 1
        r.raise_for_status()
        total += int(r.headers.get("content-length") or len(r.content))
    return total


async def one_session(base: str, page: str, query: str = "", keep_open: asyncio.Event | None = None,
                      second_run: bool = False, want_text: bool = False, ran: list | None = None) -> SessionResult:
    """One new reader: assets, websocket, first script run; optionally a second run in the same session."""
    start = time.perf_counter()
    res = SessionResult(0.0)
    try:
        # one pool of a browser's connections for the whole visit: Chromium fetches what the first run asks for
        # over the connections it opened for the page (kept alive), not over new ones
        async with httpx.AsyncClient(headers={"Accept-Encoding": "gzip, deflate, br"}, timeout=30,
                                     limits=httpx.Limits(max_connections=BROWSER_CONNECTIONS)) as client:
            res.bytes_http = await fetch_assets(client, base, page, res)
            cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            res.server = client.cookies.get("densaulyq_route", "")
            ws_url = base.replace("http", "ws", 1) + "/_stcore/stream"
            headers = {"Cookie": cookies} if cookies else {}
            ws_start = time.perf_counter()
            async with connect(ws_url, subprotocols=["streamlit"], origin=base, additional_headers=headers,
                               max_size=None, open_timeout=30) as ws:
                count_wire_bytes(ws, res)
                session_id = await run_once(ws, rerun_msg(page, query, base), res, want_text)
                recorded = recorded_requests(page, REPLAY_CHECKOUTS.get(base))
                if recorded is not None and recorded[1]:  # what the first run's elements made the browser fetch
                    res.bytes_http += await fetch_paths(client, base, list(recorded[1]), res)
                res.seconds = time.perf_counter() - start
                res.ws_seconds = time.perf_counter() - ws_start
                if second_run and res.error is None:
                    again = await run_once(ws, rerun_msg(page, query + "&lang=ru" if query else "lang=ru", base),
                                           res, want_text)
                    if again not in ("", session_id):
                        res.error = "second run in another session"
                if ran is not None:
                    ran.append(res)
                if keep_open is not None:
                    await keep_open.wait()
    except Exception as exc:  # every failure is one failed session, with its kind
        res.error = f"{type(exc).__name__}: {exc}"[:200]
        res.seconds = time.perf_counter() - start
    return res


def count_wire_bytes(ws, res: SessionResult) -> None:
    """Count the bytes the connection receives from the network into ``res.bytes_ws_wire``."""
    received = ws.data_received  # asyncio.Protocol: the transport calls it with every chunk read

    def counted(data: bytes) -> None:
        res.bytes_ws_wire += len(data)
        received(data)

    ws.data_received = counted


async def run_once(ws, payload: bytes, res: SessionResult, want_text: bool) -> str:
    """Send one rerun request and read until ``script_finished``; returns the session id (from new_session)."""
    await ws.send(payload)
    session_id = ""
    deadline = time.perf_counter() + SESSION_TIMEOUT_S
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=max(0.1, deadline - time.perf_counter()))
        res.bytes_ws += len(raw)
        fwd = ForwardMsg()
        fwd.ParseFromString(raw)
        kind = fwd.WhichOneof("type")
        if kind == "new_session":
            session_id = fwd.new_session.initialize.session_id
        elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            element = fwd.delta.new_element
            el_kind = element.WhichOneof("type")
            if el_kind == "exception":
                res.error = f"exception: {element.exception.message[:120]}"
            elif want_text and el_kind == "markdown":
                res.texts.append(element.markdown.body)
            elif want_text and el_kind == "plotly_chart":
                res.texts.append(element.plotly_chart.spec)
            elif want_text and el_kind == "bidi_component":  # the map (ui.map_chart): its figure as JSON bytes
                res.texts.append(element.bidi_component.bytes.decode("utf-8", errors="replace"))
        elif kind == "page_not_found":
            res.error = "page not found"
        elif kind == "script_finished":
            if fwd.script_finished not in (ForwardMsg.FINISHED_SUCCESSFULLY,
                                           ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                res.error = res.error or f"script_finished={fwd.script_finished}"
            return session_id
