"""HTTP caching of open-data responses: ETags, ``Cache-Control``, ``304 Not Modified`` and a small body cache.

The ETag of a response is a hash of everything that can change it: the store's data version (any write), the app
version, the catalogue's hash, the language and the request itself (path and canonical query). A reverse proxy or
CDN in front can therefore keep a response for ``max-age`` and revalidate it cheaply afterwards, and this process
keeps recently built bodies by ETag so a spike of identical requests builds each body once.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from server.context import ReadContext
from server.static_gzip import accepts_gzip
from store import data_version


def etag_for(ctx: ReadContext, request: Request, lang: str, params: Iterable[tuple[str, str]]) -> str:
    # The store's URL and the read policy too: two stores (or privacy settings) in one process never share a body.
    parts = [data_version(ctx.engine), ctx.app_version, ctx.catalogue_hash, lang, ctx.settings.mode,
             ctx.settings.database_url, repr(ctx.policy), request.url.path,
             "&".join(f"{k}={v}" for k, v in sorted(params))]
    return '"' + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32] + '"'


def matches(request: Request, etag: str) -> bool:
    """True when ``If-None-Match`` names ``etag`` (weak comparison, as RFC 9110 asks for this header) or is ``*``."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


def cache_headers(ctx: ReadContext, etag: str) -> dict[str, str]:
    """Public instance: any cache may keep it; internal: only the reader's own browser (it needs the log-in)."""
    scope = "public" if ctx.settings.is_public else "private"
    headers = {"ETag": etag, "Cache-Control": f"{scope}, max-age={ctx.max_age_s}"}
    if not ctx.settings.is_public:
        headers["Vary"] = "Cookie"
    return headers


GZIP_MIN_BYTES = 1024


@dataclass(frozen=True)
class CachedBody:
    body: bytes
    media_type: str
    headers: dict[str, str]  # the route's own headers (Content-Security-Policy, Content-Disposition)
    gzipped: bytes | None = None  # compressed once here, not by the gzip middleware on every request

    @classmethod
    def of(cls, body: bytes, media_type: str, headers: dict[str, str]) -> CachedBody:
        gzipped = gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= GZIP_MIN_BYTES else None
        return cls(body, media_type, dict(headers), gzipped)

    def response(self, request: Request, headers: dict[str, str]) -> Response:
        """The body, gzip-encoded when the client accepts it (the middleware leaves encoded responses alone)."""
        headers = headers | self.headers
        if self.gzipped is not None and accepts_gzip(request.headers.get("accept-encoding")):
            headers |= {"Content-Encoding": "gzip", "Vary": ", ".join(
                v for v in (headers.get("Vary"), "Accept-Encoding") if v)}
            return Response(self.gzipped, media_type=self.media_type, headers=headers)
        return Response(self.body, media_type=self.media_type, headers=headers)


class BodyCache:
    """Built response bodies by ETag, least recently used first out, bounded in total bytes."""

    def __init__(self, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, CachedBody] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> CachedBody | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: str, item: CachedBody) -> None:
        if len(item.body) > self.max_bytes // 4:
            return  # one huge body must not evict everything else
        with self._lock:
            if key in self._items:
                return
            self._items[key] = item
            self._size += len(item.body) + len(item.gzipped or b"")
            while self._size > self.max_bytes:
                _unused, old = self._items.popitem(last=False)
                self._size -= len(old.body) + len(old.gzipped or b"")


BODIES = BodyCache()
