"""An address that is no page answers HTTP 404, not 200.

Streamlit serves its one HTML page for any path it does not know, so ``/no-such-page`` answered 200 and a crawler,
a link checker or a partner's script could not tell a typo from a page. This middleware keeps the body (the router
still draws its "No such page" notice in the page, with the language and a link back) and changes only the status
of an HTML response for a path that is not one of the app's page addresses (``ui.nav.page_addresses``). The app's
own routes (``/embed/…``, ``/api/…``, ``/auth/…``, ``/healthz``) and Streamlit's (``/_stcore/…``, static files)
answer for themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.middleware import request_path

# Prefixes whose responses are decided by their own handlers (their own 404s included).
OWN_PREFIXES: tuple[str, ...] = ("_stcore", "static", "embed", "api", "auth", "healthz", "component", "media",
                                 "app", "view", "sitemap.xml", "robots.txt")


class NotFoundStatusMiddleware:
    """HTML answers for paths outside ``page_paths`` (``/``, ``/map`` …) get status 404; everything else passes."""

    def __init__(self, app: ASGIApp, page_paths: Iterable[str] = ()) -> None:
        self.app = app
        self.page_paths = frozenset(p.strip("/") for p in page_paths)

    def _unknown(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD") or not self.page_paths:
            return False
        path = request_path(scope).strip("/")
        if path == "" or path in self.page_paths:
            return False
        return path.split("/", 1)[0] not in OWN_PREFIXES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._unknown(scope):
            await self.app(scope, receive, send)
            return

        async def send_not_found(message: Message) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 200:
                content_type = next((v for k, v in message.get("headers", []) if k.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html"):
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                    message = {**message, "status": 404, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_not_found)
