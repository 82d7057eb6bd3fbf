"""``/healthz``: liveness and store reachability, for load balancers and orchestrators."""

from __future__ import annotations

from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse


def store_reachable() -> tuple[bool, str, str]:
    """(reachable, "ok" or the reason (no URL or password), the store's data version) of the configured store."""
    from core.config import load_settings
    from store import data_version, open_store

    try:
        engine = open_store(load_settings().database_url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        version = data_version(engine)
    except Exception as exc:  # any failure means "not ready"; the class name is enough
        return False, type(exc).__name__, ""
    return True, "ok", version


async def healthz(_request: Request) -> JSONResponse:
    """200 with the store's data version (replicas on one database agree on it), 503 when the store is down."""
    ok, detail, version = await run_in_threadpool(store_reachable)  # never block the event loop on the store
    body = {"status": "ok" if ok else "unavailable", "store": detail, "data_version": version}
    return JSONResponse(body, status_code=200 if ok else 503)
