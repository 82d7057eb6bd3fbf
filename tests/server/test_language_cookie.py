"""The browser's language is negotiated on the page request and handed to the session in a cookie
(server/language.py): the websocket handshake, where the router runs, does not reliably carry ``Accept-Language``."""

from __future__ import annotations

import urllib.request

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from core.i18n import BROWSER_LANGUAGE_COOKIE
from server.language import BrowserLanguageMiddleware, browser_language
from tests.live_app import running_app


def _client() -> TestClient:
    async def page(_request):
        return HTMLResponse("<html><head></head><body>app</body></html>")

    async def data(_request):
        return JSONResponse({"ok": True})

    app = Starlette(routes=[Route("/", page), Route("/map", page), Route("/healthz", data), Route("/other", page)],
                    middleware=[Middleware(BrowserLanguageMiddleware, page_paths=["/", "/map"])])
    return TestClient(app)


@pytest.mark.parametrize(("header", "expected"), [
    ("kk-KZ,kk;q=0.9,ru;q=0.8", "kk"),
    ("ru-RU,ru;q=0.9,en-US;q=0.8", "ru"),
    ("de-DE,de;q=0.9,kk;q=0.5", "kk"),      # the first product language the browser accepts
    ("en-GB,en;q=0.9", "en"),
    ("kk;q=0, ru;q=0.5", "ru"),             # q=0 means "not this one"
])
def test_a_page_request_gets_the_browser_language_in_a_cookie(header, expected):
    reply = _client().get("/map", headers={"Accept-Language": header})
    assert reply.cookies.get(BROWSER_LANGUAGE_COOKIE) == expected
    assert "Accept-Language" in reply.headers.get("vary", "")


def test_a_browser_asking_for_no_product_language_gets_no_language_cookie():
    client = _client()
    client.get("/", headers={"Accept-Language": "kk"})
    assert client.cookies.get(BROWSER_LANGUAGE_COOKIE) == "kk"
    client.get("/", headers={"Accept-Language": "de-DE,fr;q=0.5"})  # the browser was switched to German
    assert client.cookies.get(BROWSER_LANGUAGE_COOKIE) is None
    assert browser_language(None) is None and browser_language("") is None


def test_only_page_html_carries_the_cookie():
    client = _client()
    assert BROWSER_LANGUAGE_COOKIE not in client.get("/healthz", headers={"Accept-Language": "kk"}).cookies
    assert BROWSER_LANGUAGE_COOKIE not in client.get("/other", headers={"Accept-Language": "kk"}).cookies


def test_the_real_server_hands_the_page_request_language_to_the_session(tmp_path):
    with running_app(tmp_path) as url:
        request = urllib.request.Request(f"{url}/map", headers={"Accept-Language": "kk-KZ,kk;q=0.9"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            cookies = reply.headers.get_all("Set-Cookie") or []
        assert any(c.startswith(f"{BROWSER_LANGUAGE_COOKIE}=kk;") for c in cookies), cookies
