"""The browser's language, decided where the product sees it reliably: the page request.

A reader's first visit may open in the language the browser asks for (``Accept-Language``). The router runs inside
the websocket session, and the websocket handshake does not always carry the page's ``Accept-Language`` (a test
browser's locale reaches the page request only; proxies may drop or rewrite the header on the upgrade). So this
middleware negotiates the language on the HTML page request and hands it to the session in a cookie, which the
browser sends with the websocket handshake. The router reads the cookie first (``ui.router``).

The cookie carries only the browser's product language (``en``, ``ru`` or ``kk``): no identifier, not needed for
anything else, renewed on every page request so it always follows the browser's current setting.

The same middleware writes the page's language into Streamlit's static ``index.html`` (``<html lang="en">`` for
every page otherwise): ``?lang=`` of the address, else the browser's product language, else the instance's default —
the order the router picks the language in. Screen readers choose their voice by it (WCAG 2.1 3.1.1); the router
updates it in the browser when the reader switches language (``ui.sidebar_nav.set_document_language``).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.config import LANGUAGES, load_settings
from core.i18n import BROWSER_LANGUAGE_COOKIE, negotiate_language
from server.middleware import request_path


def browser_language(accept_language: str | None) -> str | None:
    """The product language ``accept_language`` asks for first, or ``None`` when it asks for none of them."""
    return negotiate_language(accept_language, "") or None


def language_cookie(language: str | None, root_path: str = "") -> bytes:
    """The ``Set-Cookie`` value carrying ``language`` (an expired cookie when the browser asks for none)."""
    path = (root_path.rstrip("/") or "") + "/"
    if language is None:
        return f"{BROWSER_LANGUAGE_COOKIE}=; Path={path}; Max-Age=0; SameSite=Lax".encode()
    return f"{BROWSER_LANGUAGE_COOKIE}={language}; Path={path}; SameSite=Lax".encode()


HTML_LANG = b'<html lang="en">'  # as Streamlit's index.html has it


def page_language(query_string: bytes, browser: str | None, default: str) -> str:
    """The language a page opens in: a valid ``?lang=``, else the browser's product language, else ``default``."""
    asked = parse_qs(query_string.decode("latin-1")).get("lang", [""])[-1]
    return asked if asked in LANGUAGES else browser or default


def with_language(html: bytes, lang: str) -> bytes:
    """``html`` with its ``<html lang>`` set to ``lang`` (a product language code)."""
    return html.replace(HTML_LANG, f'<html lang="{lang}">'.encode(), 1) if lang in LANGUAGES else html


class BrowserLanguageMiddleware:
    """Sets the browser-language cookie and ``<html lang>`` on the HTML responses of page addresses (``/``, …)."""

    def __init__(self, app: ASGIApp, page_paths: Iterable[str] = (), default_language: str | None = None) -> None:
        self.app = app
        self.page_paths = frozenset(p.strip("/") for p in page_paths)
        self.default_language = default_language or load_settings().default_language

    def _is_page(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            return False
        path = request_path(scope).strip("/")
        return path == "" or path in self.page_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._is_page(scope):
            await self.app(scope, receive, send)
            return
        header = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k.lower() == b"accept-language"),
                      None)
        browser = browser_language(header)
        cookie = language_cookie(browser, scope.get("root_path", "") or "")
        lang = page_language(scope.get("query_string", b""), browser, self.default_language)
        # The plain page (8 KB) is asked for, so its <html lang> can be rewritten; a proxy in front compresses it.
        scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]}
        held: list[Message] = []
        body: list[bytes] = []

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if not headers.get(b"content-type", b"").startswith(b"text/html"):
                    await send(message)
                    return
                if scope["method"] == "HEAD" or message["status"] != 200:  # no page to rewrite
                    await send({**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie),
                                                       (b"vary", b"Accept-Language")]})
                    return
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"]
                held.append({**message, "headers": [*kept, (b"set-cookie", cookie), (b"vary", b"Accept-Language")]})
                return
            if not held or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            html = with_language(b"".join(body), lang)
            start = held.pop()
            await send({**start, "headers": [*start["headers"], (b"content-length", str(len(html)).encode())]})
            await send({"type": "http.response.body", "body": html})

        await self.app(scope, receive, send_with_language)
