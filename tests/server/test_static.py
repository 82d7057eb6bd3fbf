"""Precompressed static assets and chart preloads, on a stand-in app (no Streamlit server needed)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from server.preload import PlotlyPreloadMiddleware, preload_tags
from server.static_gzip import GzipStore, PrecompressedStaticMiddleware, accepts_gzip
from share.map_bundle import map_bundle_name

INDEX = "<html><head><title>x</title></head><body></body></html>"


@pytest.fixture()
def static_root(tmp_path: Path) -> Path:
    js = tmp_path / "static" / "js"
    js.mkdir(parents=True)
    (js / "main.abc.js").write_text("console.log('densaulyq');\n" * 400)
    (js / "PlotlyChart.x1.js").write_text('import{a}from"./dep.y2.js";import"./missing.z3.js";' + "var p=1;" * 300)
    (js / "dep.y2.js").write_text("export const a=1;" * 100)
    (js / "BidiComponent.b1.js").write_text('import{a}from"./dep.y2.js";' + "var c=1;" * 300)
    (tmp_path / "static" / "tiny.css").write_text("a{}")
    return tmp_path


def client_for(root: Path) -> TestClient:
    async def page(_request):
        return HTMLResponse(INDEX)

    inner = Starlette(routes=[Route("/map", page), Route("/home", page), Route("/profile", page),
                              Route("/healthz", lambda r: PlainTextResponse("ok"))])
    inner.mount("/static", StaticFiles(directory=root / "static"))
    preload_tags.cache_clear()
    app = PrecompressedStaticMiddleware(PlotlyPreloadMiddleware(inner, static_root=root), root=root, warm=False)
    return TestClient(app)


def test_a_browser_that_accepts_gzip_gets_the_precompressed_file(static_root: Path) -> None:
    client = client_for(static_root)
    raw = (static_root / "static" / "js" / "main.abc.js").read_bytes()
    resp = client.get("/static/js/main.abc.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert resp.status_code == 200 and resp.content == raw  # httpx decodes it
    assert resp.headers["content-encoding"] == "gzip"
    assert int(resp.headers["content-length"]) < len(raw) / 5
    assert resp.headers["vary"] == "Accept-Encoding"
    assert resp.headers["content-type"].startswith("text/javascript") or "javascript" in resp.headers["content-type"]
    etag = resp.headers["etag"]
    again = client.get("/static/js/main.abc.js", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    head = client.head("/static/js/main.abc.js", headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200 and head.headers["content-length"] == resp.headers["content-length"]


@pytest.mark.parametrize("accept", ["identity", "gzip;q=0", "br"])
def test_a_client_without_gzip_gets_the_plain_file_with_vary(static_root: Path, accept: str) -> None:
    resp = client_for(static_root).get("/static/js/main.abc.js", headers={"Accept-Encoding": accept})
    assert resp.status_code == 200 and "content-encoding" not in resp.headers
    assert resp.content == (static_root / "static" / "js" / "main.abc.js").read_bytes()
    assert resp.headers["vary"] == "Accept-Encoding"


def test_small_or_unknown_files_and_other_paths_pass_through(static_root: Path) -> None:
    client = client_for(static_root)
    tiny = client.get("/static/tiny.css", headers={"Accept-Encoding": "gzip"})
    assert tiny.status_code == 200 and "content-encoding" not in tiny.headers
    assert client.get("/static/js/nope.js", headers={"Accept-Encoding": "gzip"}).status_code == 404
    assert client.get("/static/../secret", headers={"Accept-Encoding": "gzip"}).status_code == 404
    assert client.get("/healthz").text == "ok"


def test_compression_happens_once(static_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = gzip.compress
    monkeypatch.setattr(gzip, "compress", lambda data, **kw: calls.append(1) or real(data, **kw))
    store = GzipStore(static_root)
    for _unused in range(5):
        assert store.get("static/js/main.abc.js") is not None
    assert len(calls) == 1


def test_accept_encoding_parsing() -> None:
    assert accepts_gzip("gzip") and accepts_gzip("br, gzip;q=0.5") and accepts_gzip("*")
    assert not accepts_gzip("gzip;q=0") and not accepts_gzip("") and not accepts_gzip("deflate, br")


def test_chart_pages_preload_the_plotly_chunk_and_its_imports(static_root: Path) -> None:
    client = client_for(static_root)
    html = client.get("/profile", headers={"Accept-Encoding": "gzip"}).text
    assert '<link rel="modulepreload" href="./static/js/PlotlyChart.x1.js" />' in html
    assert './static/js/dep.y2.js' in html and "missing.z3.js" not in html  # only files that exist
    assert html.index("modulepreload") < html.index("</head>")
    assert "modulepreload" not in client.get("/home").text  # no chart on the Overview's first screen


def test_the_map_page_preloads_its_component_and_the_map_only_plotly_js(static_root: Path) -> None:
    html = client_for(static_root).get("/map").text
    assert "PlotlyChart" not in html  # the map does not use Streamlit's Plotly chunk
    assert '<link rel="modulepreload" href="./static/js/BidiComponent.b1.js" />' in html
    bundle = f"./embed/assets/{map_bundle_name()}"
    assert f'<link rel="preload" as="script" href="{bundle}" />' in html
    assert f"s.src='{bundle}'" in html and "requestIdleCallback" in html  # evaluated when the page first idles
    assert html.index(bundle) < html.index("</head>")


def test_the_bundle_is_answered_before_the_other_layers_and_keeps_the_security_headers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's real middleware stack: a content-hashed bundle file never reaches the security-headers layer (nor
    any inside it) but carries its headers; a page still goes through every layer."""
    from server import middleware
    from server.app import app_middleware
    from server.static_gzip import streamlit_static_root

    monkeypatch.setattr(GzipStore, "start_warming", lambda self: None)  # files compressed on first request
    reached: list[str] = []
    real_call = middleware.SecurityHeadersMiddleware.__call__

    async def counted(self, scope, receive, send):
        reached.append(scope.get("path", ""))
        await real_call(self, scope, receive, send)

    monkeypatch.setattr(middleware.SecurityHeadersMiddleware, "__call__", counted)
    inner = Starlette(routes=[Route("/healthz", lambda r: PlainTextResponse("ok"))], middleware=app_middleware())
    client = TestClient(inner)
    bundle = next((streamlit_static_root() / "static" / "js").glob("index.*.js")).name
    resp = client.get(f"/static/js/{bundle}", headers={"Accept-Encoding": "gzip"})
    assert resp.status_code == 200 and resp.headers["content-encoding"] == "gzip"
    assert resp.headers["x-content-type-options"] == "nosniff" and resp.headers["x-frame-options"] == "DENY"
    assert resp.headers["content-security-policy"] == "frame-ancestors 'none'"
    assert resp.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert reached == []
    assert client.get("/healthz").headers["x-frame-options"] == "DENY" and reached == ["/healthz"]
