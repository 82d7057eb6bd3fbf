"""``/healthz``: liveness and store reachability, for load balancers and orchestrators.

A public instance answers only ``{"status": "ok"}`` (200) or ``{"status": "unavailable"}`` (503): a probe needs no
more, and a visitor learns nothing of the store. The internal instance adds the store's state (the failure's class
name) and its data version, for operators (replicas on one database agree on it)."""

from __future__ import annotations

from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse


def store_reachable() -> tuple[bool, str, str, bool]:
    """(reachable, "ok" or the reason (no URL or password), the store's data version, public instance) of the
    configured store."""
    from core.config import load_settings
    from store import data_version, open_store

    public = True  # until the settings say otherwise: the fail-closed answer is the short one
    try:
        settings = load_settings()
        public = settings.is_public
        engine = open_store(settings.database_url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        version = data_version(engine)
    except Exception as exc:  # any failure means "not ready"; the class name is enough
        return False, type(exc).__name__, "", public
    return True, "ok", version, public


async def healthz(_request: Request) -> JSONResponse:
    """200 when the store answers, 503 when it is down; the details only on the internal instance."""
    ok, detail, version, public = await run_in_threadpool(store_reachable)  # never block the loop on the store
    body = {"status": "ok" if ok else "unavailable"}
    if not public:
        body |= {"store": detail, "data_version": version}
    return JSONResponse(body, status_code=200 if ok else 503, headers={"Cache-Control": "no-store"})
