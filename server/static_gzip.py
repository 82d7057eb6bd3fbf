"""Precompressed static assets: Streamlit's frontend bundle gzipped once per process, served without per-request CPU.

Streamlit serves ``/static/…`` uncompressed (compressing per request at the origin costs more CPU than a whole
session: ≈ 220 ms for one visit's 9.4 MB). This middleware gzips every compressible file of the bundle once, in a
background thread at start-up, keeps the bytes in memory, and answers ``GET``/``HEAD`` for them when the client
accepts gzip, with ``Content-Encoding``, ``Content-Length``, ``Vary: Accept-Encoding``, a strong ``ETag`` of the
compressed bytes and ``304`` on ``If-None-Match``. Files too small to gain from gzip (a third of a visit's requests)
and files that are compressed already (fonts, images) are served from memory too, as they are, read once on first
request: passing them through to Streamlit's static route cost ≈ 3 ms of CPU each, 3× a file served from here.
Anything else (other paths, clients without gzip, files not in the bundle) passes through to Streamlit untouched,
with ``Vary: Accept-Encoding`` added under ``/static/``.
A request that arrives before the background pass reached its file compresses that one file (once, under a lock).

It is the outermost of the app's middleware (``server.app.app_middleware``): a static file answered here passes no
other layer (security headers, log-in redirect, 404 status, preloads, language cookie, Streamlit's session and gzip
middleware); it carries the security headers itself (``server.middleware.security_headers``). Those layers cost
≈ 3/4 of a new session's server CPU when the bundle's ≈ 100 files went through them.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from dataclasses import dataclass
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.middleware import request_path, security_headers

COMPRESSIBLE = (".js", ".css", ".html", ".json", ".svg", ".txt", ".map", ".ttf", ".otf", ".mjs", ".wasm")
MIN_BYTES = 1024
MAX_PLAIN_BYTES = 4 * 1024 * 1024  # larger files that are not gzipped here stay with Streamlit (not kept in memory)
STATIC_PREFIX = "/static/"
CACHE_CONTROL = b"public, max-age=31536000, immutable"  # bundle files are content-hashed, like Streamlit's own
SECURITY = security_headers(framed=False)


def streamlit_static_root() -> Path:
    """Streamlit's frontend bundle folder, found without importing Streamlit (server/ is domain code)."""
    import importlib.util

    spec = importlib.util.find_spec("streamlit")
    if spec is None or spec.origin is None:
        raise RuntimeError("streamlit is not installed")
    return Path(spec.origin).parent / "static"


@dataclass(frozen=True)
class Compressed:
    body: bytes
    etag: bytes
    content_type: bytes
    gzipped: bool = True  # False: the file's own bytes (too small to gain, or compressed already)


def accepts_gzip(header: str | None) -> bool:
    """True when ``Accept-Encoding`` allows gzip (RFC 9110 §12.5.3): a ``gzip`` entry decides by its q-value
    (``gzip;q=0`` refuses it, even after ``*``); without one, a ``*`` entry does; no entry, no gzip. The one parser
    of the header (static files and cached API bodies)."""
    explicit = wildcard = None
    for part in (header or "").split(","):
        name, _unused, params = part.strip().partition(";")
        name = name.strip().lower()
        if name not in ("gzip", "x-gzip", "*"):
            continue
        q = 1.0
        for param in params.split(";"):
            key, _unused, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
                q = q if 0.0 <= q <= 1.0 else 0.0
        if name == "*":
            wildcard = q if wildcard is None else max(wildcard, q)
        else:
            explicit = q if explicit is None else max(explicit, q)
    chosen = explicit if explicit is not None else wildcard
    return chosen is not None and chosen > 0


class GzipStore:
    """Gzipped copies of the compressible files under ``root`` (relative path → bytes), filled once."""

    def __init__(self, root: Path, level: int = 9) -> None:
        self.root = root.resolve()
        self.level = level
        self._items: dict[str, Compressed | None] = {}
        self._lock = threading.Lock()
        self.files: dict[str, Path] = {}
        self.plain: dict[str, Path] = {}  # served as they are, read on first request
        for path in self.root.rglob("*"):
            if not path.is_file() or path.suffix.lower() == ".map":  # source maps: left to Streamlit
                continue
            rel = str(path.relative_to(self.root))
            if path.suffix.lower() in COMPRESSIBLE and path.stat().st_size >= MIN_BYTES:
                self.files[rel] = path
            elif path.stat().st_size <= MAX_PLAIN_BYTES:
                self.plain[rel] = path

    def warm(self) -> None:
        """Compress every compressible file (the background pass at start-up)."""
        for rel in list(self.files):
            self.get(rel)

    def start_warming(self) -> threading.Thread:
        thread = threading.Thread(target=self.warm, name="static-gzip", daemon=True)
        thread.start()
        return thread

    def get(self, rel: str) -> Compressed | None:
        """The bytes to send for ``rel`` (gzipped, or as they are), or None when it is not served from here."""
        if rel not in self.files and rel not in self.plain:
            return None
        item = self._items.get(rel)
        if item is not None:
            return item
        with self._lock:
            if rel not in self._items:
                gzipped = rel in self.files
                raw = (self.files if gzipped else self.plain)[rel].read_bytes()
                body = gzip.compress(raw, compresslevel=self.level, mtime=0) if gzipped else raw
                ctype = mimetypes.guess_type(rel)[0] or "application/octet-stream"
                if ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
                    ctype += "; charset=utf-8"
                prefix = b'"gz-' if gzipped else b'"id-'
                self._items[rel] = Compressed(body, prefix + hashlib.sha1(body).hexdigest()[:20].encode() + b'"',
                                              ctype.encode(), gzipped)
            return self._items[rel]


class PrecompressedStaticMiddleware:
    """Serves ``/static/<file>`` from a :class:`GzipStore` to clients that accept gzip."""

    def __init__(self, app: ASGIApp, root: Path | None = None, warm: bool = True) -> None:
        self.app = app
        self.store = GzipStore(root or streamlit_static_root())
        if warm:
            self.store.start_warming()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = request_path(scope) if scope["type"] == "http" else ""
        if not path.startswith(STATIC_PREFIX):
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        rel = path.removeprefix("/")  # "static/js/x.js" under streamlit/static
        item = None
        if scope.get("method") in ("GET", "HEAD"):
            item = self.store.get(rel)
            if item is not None and item.gzipped and not accepts_gzip(headers.get(b"accept-encoding", b"").decode()):
                item = None
        if item is None:
            await self.app(scope, receive, _add_vary(send))
            return
        common = [(b"content-type", item.content_type), (b"vary", b"Accept-Encoding"), (b"etag", item.etag),
                  (b"cache-control", CACHE_CONTROL), *SECURITY]
        if item.etag in [tag.strip() for tag in headers.get(b"if-none-match", b"").split(b",")]:
            await send({"type": "http.response.start", "status": 304, "headers": common})
            await send({"type": "http.response.body", "body": b""})
            return
        encoding = [(b"content-encoding", b"gzip")] if item.gzipped else []
        await send({"type": "http.response.start", "status": 200, "headers": [
            *common, *encoding, (b"content-length", str(len(item.body)).encode())]})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else item.body})


def _add_vary(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"vary"]
            headers.append((b"vary", b"Accept-Encoding"))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped
