"""ASGI middleware of the app: framing rules and closed Streamlit-internal endpoints.

Pure ASGI (not ``BaseHTTPMiddleware``) so websocket traffic passes untouched and responses are not buffered.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Streamlit's own endpoints that expose server internals; nobody outside the process needs them.
CLOSED_PREFIXES: tuple[str, ...] = ("/_stcore/metrics",)
# Only these pages may be shown inside another site's frame (the embeddable public views and their assets): an
# entry ending in "/" is a prefix, any other an exact path. Anything else under /embed/ (an unknown address, which
# Streamlit answers with its app page) and every error response carry the anti-framing headers.
FRAMEABLE_PREFIXES: tuple[str, ...] = ("/embed/map", "/embed/trend", "/embed/assets/")


def request_path(scope: Scope) -> str:
    """The request's path below the app's ``root_path`` (the one place that strips it, for every middleware)."""
    root = scope.get("root_path", "") or ""
    path = scope.get("path", "") or ""
    return path[len(root):] if root and path.startswith(root) else path


def security_headers(framed: bool) -> list[tuple[bytes, bytes]]:
    """The headers every response carries (and, unless it may be framed, the anti-framing ones): one list for this
    middleware and for the responses answered before it (``server.static_gzip``'s static bundle)."""
    headers = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"strict-origin-when-cross-origin")]
    if not framed:
        headers += [(b"x-frame-options", b"DENY"), (b"content-security-policy", b"frame-ancestors 'none'")]
    return headers


class SecurityHeadersMiddleware:
    """Closes internal endpoints (404) and forbids framing except for the ``frameable`` pages' successful answers."""

    def __init__(self, app: ASGIApp, closed: Iterable[str] = CLOSED_PREFIXES,
                 frameable: Iterable[str] = FRAMEABLE_PREFIXES) -> None:
        self.app = app
        self.closed = tuple(closed)
        self.frameable = tuple(frameable)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = request_path(scope)
        if any(path == p or path.startswith(p + "/") or path.startswith(p) for p in self.closed):
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            return
        frameable = any(path.startswith(p) if p.endswith("/") else path == p for p in self.frameable)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                framed = frameable and int(message.get("status", 200)) < 400
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in (b"x-frame-options", b"x-content-type-options")]
                headers += security_headers(framed)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
