"""The page's ``<html lang>`` is the language it opens in (server/language.py), not Streamlit's fixed "en":
a screen reader reads a Kazakh page with a Kazakh voice (WCAG 2.1 3.1.1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from server.language import HTML_LANG, BrowserLanguageMiddleware

STREAMLIT_INDEX = "<!doctype html>\n" + HTML_LANG.decode() + "<head></head><body>app</body></html>"


def _client(default: str = "ru") -> TestClient:
    async def page(_request):
        return HTMLResponse(STREAMLIT_INDEX)

    app = Starlette(routes=[Route("/", page), Route("/map", page), Route("/other", page)],
                    middleware=[Middleware(BrowserLanguageMiddleware, page_paths=["/", "/map"],
                                           default_language=default)])
    return TestClient(app)


def _lang(reply) -> str:
    return re.search(r'<html lang="(\w+)">', reply.text).group(1)


@pytest.mark.parametrize(("address", "header", "expected"), [
    ("/map?lang=kk", "ru-RU,ru", "kk"),          # the address's choice wins
    ("/map?lang=xx", "kk-KZ,kk;q=0.9", "kk"),    # not a product language: the browser's
    ("/?indicator=x", "ru-RU,ru;q=0.9", "ru"),
    ("/map", "de-DE,de", "ru"),                  # neither: the instance's default
])
def test_a_page_opens_with_its_language_in_html_lang(address, header, expected):
    reply = _client().get(address, headers={"Accept-Language": header})
    assert _lang(reply) == expected
    assert int(reply.headers["content-length"]) == len(reply.content)


def test_other_addresses_are_left_alone():
    assert _lang(_client().get("/other?lang=kk")) == "en"


def test_streamlit_still_serves_the_html_lang_the_middleware_rewrites():
    """If a Streamlit upgrade changed its index.html, the rewrite would silently stop: fail here instead."""
    import streamlit

    assert HTML_LANG in (Path(streamlit.__file__).parent / "static" / "index.html").read_bytes()
