"""Start fetching the chart library with the page, not after the figure arrives.

Streamlit's frontend loads its Plotly chunk (4.7 MB, 1.4 MB gzipped) only when the first chart element reaches the
browser, i.e. after the websocket opened and the script ran: the map paints about twice as late as a static page of
the same figure. This middleware adds ``<link rel="modulepreload">`` for that chunk and the chunks it imports to
the HTML of pages that draw Plotly charts, so the download overlaps the session's start. The map page draws with the
map-only plotly.js build instead (``ui.map_chart``): it gets ``<link rel="preload">`` for that script.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from string import Template

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from charts.map_geometry import geometry_path
from geo import map_simplification
from server.context import read_context
from server.middleware import request_path
from server.static_gzip import streamlit_static_root
from share.map_bundle import MAP_BUNDLE_GLOBAL, map_bundle_path

# URL paths of the pages whose first screen holds a Plotly chart (ui/nav.py url_path values).
PLOTLY_PAGES: frozenset[str] = frozenset({"profile", "comparison", "funnel-plot", "resilience", "capacity",
                                          "kpi"})
MAP_PAGES: frozenset[str] = frozenset({"map"})  # drawn by ui.map_chart with the map-only build
CHUNK = "PlotlyChart"
MAP_CHUNK = "BidiComponent"  # Streamlit's chunk for custom components (v2), which ui.map_chart is
MAP_GLOBAL = "__densaulyqPlotlyMap"  # the promise of the loaded bundle, shared with ui/assets/map_component.js
_EARLY_LOAD = Template(
    "<script>(function(){function go(){if(window.$promise)return;window.$promise=new Promise(function(ok,ko){"
    "var s=document.createElement('script');s.src='$src';s.async=true;s.onload=function(){"
    "window.$bundle?ok(window.$bundle):ko(new Error(s.src))};s.onerror=function(){"
    "ko(new Error(s.src))};document.head.appendChild(s)})}"
    "window.requestIdleCallback?requestIdleCallback(go,{timeout:2000}):setTimeout(go,0)})();</script>")


@lru_cache(maxsize=4)
def preload_tags(static_root: Path | None = None, chunk: str = CHUNK) -> bytes:
    """``<link rel="modulepreload">`` tags for a Streamlit chunk and its static imports (empty if not found)."""
    js = (static_root or streamlit_static_root()) / "static" / "js"
    chunks = sorted(js.glob(f"{chunk}.*.js"))
    if not chunks:
        return b""
    text = chunks[0].read_text(encoding="utf-8", errors="replace")[:20000]  # the imports are at the top
    deps = dict.fromkeys(re.findall(r'(?:from|import)\s*"\./([\w.\-]+\.js)"', text))
    names = [chunks[0].name, *[d for d in deps if (js / d).is_file()]]
    return "".join(f'<link rel="modulepreload" href="./static/js/{n}" />' for n in names).encode()


@lru_cache(maxsize=2)
def map_preload_tags(static_root: Path | None = None) -> bytes:
    """For the map page: the component chunk, and the map-only plotly.js fetched at once and evaluated when the
    main thread is first idle (the page waits for its websocket then), not on the map's critical path later."""
    src = "./" + map_bundle_path()
    early = _EARLY_LOAD.substitute(promise=MAP_GLOBAL, bundle=MAP_BUNDLE_GLOBAL, src=src)
    return (preload_tags(static_root, MAP_CHUNK) + f'<link rel="preload" as="script" href="{src}" />'.encode()
            + early.encode())


@lru_cache(maxsize=4)
def boundaries_preload_tag(tolerance: float, precision: int) -> bytes:
    """The map's boundaries file (``charts.map_geometry``), fetched with the page: plotly.js asks for it only once
    the figure has arrived over the websocket. Cached for a year under its content name, so a second visit reads it
    from the browser's cache."""
    href = "./" + geometry_path(tolerance, precision)
    return f'<link rel="preload" as="fetch" href="{href}" crossorigin="anonymous" />'.encode()


def tags_for(page: str, static_root: Path | None = None) -> bytes:
    if page in MAP_PAGES:
        boundaries = boundaries_preload_tag(*map_simplification(read_context().settings.section("map")))
        return map_preload_tags(static_root) + boundaries
    if page in PLOTLY_PAGES:
        return preload_tags(static_root)
    return b""


def _page(scope: Scope) -> str:
    return request_path(scope).strip("/")


class PlotlyPreloadMiddleware:
    """Injects the preload tags into the index HTML served for the pages in ``PLOTLY_PAGES`` and ``MAP_PAGES``."""

    def __init__(self, app: ASGIApp, static_root: Path | None = None) -> None:
        self.app = app
        self.static_root = static_root

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        tags = tags_for(_page(scope), self.static_root) if scope["type"] == "http" and scope.get("method") == "GET" \
            else b""
        if not tags:
            await self.app(scope, receive, send)
            return
        # Ask for the plain page (a few KB) so the tags can be inserted; a proxy in front compresses it.
        scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]}
        start: dict[str, Message] = {}
        body: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                html = headers.get(b"content-type", b"").startswith(b"text/html")
                if message["status"] != 200 or not html or headers.get(b"content-encoding"):
                    start["pass"] = message
                    await send(message)
                    return
                start["html"] = message
                return
            if "pass" in start:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            html = b"".join(body).replace(b"</head>", tags + b"</head>", 1)
            headers = [(k, v) for k, v in start["html"].get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(html)).encode()))
            await send({**start["html"], "headers": headers})
            await send({"type": "http.response.body", "body": html})

        await self.app(scope, receive, capture)
