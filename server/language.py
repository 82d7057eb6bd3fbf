"""The browser's language, decided where the product sees it reliably: the page request.

A reader's first visit may open in the language the browser asks for (``Accept-Language``). The router runs inside
the websocket session, and the websocket handshake does not always carry the page's ``Accept-Language`` (a test
browser's locale reaches the page request only; proxies may drop or rewrite the header on the upgrade). So this
middleware negotiates the language on the HTML page request and hands it to the session in a cookie, which the
browser sends with the websocket handshake. The router reads the cookie first (``ui.router``).

The cookie carries only the browser's product language (``en``, ``ru`` or ``kk``): no identifier, not needed for
anything else, renewed on every page request so it always follows the browser's current setting.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


class BrowserLanguageMiddleware:
    """Sets the browser-language cookie on the HTML responses of page addresses (``/``, ``/map``, …)."""

    def __init__(self, app: ASGIApp, page_paths: Iterable[str] = ()) -> None:
        self.app = app
        self.page_paths = frozenset(p.strip("/") for p in page_paths)

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
        cookie = language_cookie(browser_language(header), scope.get("root_path", "") or "")

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if headers.get(b"content-type", b"").startswith(b"text/html"):
                    message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie),
                                                      (b"vary", b"Accept-Language")]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)
