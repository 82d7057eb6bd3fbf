"""What ``dashboard.py`` mounts on its ``st.App``: routes, middleware and the lifespan hook."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route

from server.health import healthz
from server.language import BrowserLanguageMiddleware
from server.login import LoginRoutes
from server.login_gate import LoginRedirectMiddleware
from server.middleware import SecurityHeadersMiddleware
from server.not_found import NotFoundStatusMiddleware
from server.preload import PlotlyPreloadMiddleware
from server.static_gzip import PrecompressedStaticMiddleware


def app_routes() -> list[BaseRoute]:
    """HTTP routes served beside the Streamlit app."""
    from server.api.routes import api_routes
    from server.embed.routes import embed_routes
    from server.views.routes import view_routes

    return [Route("/healthz", healthz, methods=["GET", "HEAD"]), *LoginRoutes().routes(), *api_routes(),
            *embed_routes(), *view_routes()]


def app_middleware(page_paths: Iterable[str] = (), instance_paths: Iterable[str] = ()) -> list[Middleware]:
    """Outermost first: the static bundle (precompressed, answered before every other layer, with the security
    headers), security headers on every other response, status 404 for an address that is no page
    (server/not_found.py), the internal instance's redirect of page addresses (``page_paths``: ``/``, ``/map`` …) to
    the log-in form when opened without a session, chart preloads, and the browser's language handed to the session
    in a cookie (server/language.py)."""
    paths = tuple(page_paths)
    here = tuple(instance_paths)  # the pages of this instance (ui.nav.instance_addresses); others answer 404
    return [Middleware(PrecompressedStaticMiddleware), Middleware(SecurityHeadersMiddleware),
            Middleware(NotFoundStatusMiddleware, page_paths=here),
            Middleware(LoginRedirectMiddleware, page_paths=paths), Middleware(PlotlyPreloadMiddleware),
            Middleware(BrowserLanguageMiddleware, page_paths=paths)]


@asynccontextmanager
async def app_lifespan(_app: Any) -> AsyncIterator[dict[str, Any]]:
    """Open (create and seed, on a first run) the store and its KPI tables once at server start, before any session:
    a first reader of the KPI pages then never seeds them, and the store's data version (the page caches' key) does
    not change under the first readers."""
    from core.config import load_settings
    from data_sources.seed import open_store
    from kpi import ensure_kpi_schema

    ensure_kpi_schema(open_store(load_settings().database_url))
    yield {}
