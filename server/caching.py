"""HTTP caching of open-data responses: ETags, ``Cache-Control``, ``304 Not Modified`` and a small body cache.

The ETag of a response is a hash of everything that can change it: the store's data version (any write), the app
version, the catalogue's hash and the request itself (path and query), computed before any SQL from the process's
cached copy of the data version (``store.version.cached_data_version``, at most ``VERSION_CHECK_S`` seconds old on
the public instance), so a revalidation (``If-None-Match``) is answered with ``304`` without touching the store.
A reverse proxy or CDN in front can therefore keep a response for ``max-age`` and revalidate it cheaply afterwards,
and this process keeps recently built bodies by ETag so a spike of identical requests builds each body once.
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
from store.version import VERSION_CHECK_S, cached_data_version


def version_max_age(ctx: ReadContext) -> float:
    """How stale this process's copy of the store's data version may be: the public instance never writes (the
    refresh job and other replicas do, seen within ``VERSION_CHECK_S`` seconds); the internal one asks every time, so
    an editor's own change shows at once (its requests query the store for the log-in anyway)."""
    return VERSION_CHECK_S if ctx.settings.is_public else 0.0


def request_etag(ctx: ReadContext, request: Request, *extra: str) -> str:
    """The ETag of ``request`` computed before any SQL: the per-process cached data version, the app version, the
    catalogue's hash, the instance, the path and the raw query in canonical order (plus ``extra``, anything else the
    response depends on). Two spellings of one query get two ETags (each revalidates itself); the same request
    after any write to the store gets a new one within ``version_max_age``. For every route that answers from the
    read model (``/api``, ``/embed``, ``/view``)."""
    query = "&".join(f"{k}={v}" for k, v in sorted(request.query_params.multi_items()))
    cfg = ctx.settings
    parts = [cached_data_version(ctx.engine, version_max_age(ctx)), ctx.app_version, ctx.catalogue_hash, cfg.mode,
             cfg.database_url, cfg.default_language, cfg.default_indicator,
             _policy_key(ctx.policy), request.url.path, query, *extra]
    return '"' + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32] + '"'


def etag_for(ctx: ReadContext, request: Request, lang: str, params: Iterable[tuple[str, str]]) -> str:
    """The ETag of a response to ``request`` with validated ``params`` (no SQL either: see ``request_etag``)."""
    return request_etag(ctx, request, lang, "&".join(f"{k}={v}" for k, v in sorted(params)))


def not_modified(ctx: ReadContext, request: Request, *extra: str) -> tuple[str, dict[str, str], Response | None]:
    """``(etag, cache headers, 304 response or None)`` for a read-model route, before it validates or reads
    anything: a route answers the 304 when there is one, else builds its body and sends the headers with it."""
    etag = request_etag(ctx, request, *extra)
    headers = cache_headers(ctx, etag)
    return etag, headers, (Response(status_code=304, headers=headers) if matches(request, etag) else None)


_policy_keys: dict[int, tuple[object, str]] = {}


def _policy_key(policy: object) -> str:
    """``repr(policy)``, computed once per policy object (it is part of every ETag)."""
    hit = _policy_keys.get(id(policy))
    if hit is None or hit[0] is not policy:
        hit = (policy, repr(policy))
        _policy_keys[id(policy)] = hit
    return hit[1]


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
