"""``/healthz``: liveness and store reachability, for load balancers and orchestrators."""

from __future__ import annotations

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse


def store_reachable() -> tuple[bool, str]:
    """True when the configured store answers a trivial query; the reason otherwise (no URL or password)."""
    from core.config import load_settings
    from store import open_store

    try:
        with open_store(load_settings().database_url).connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means "not ready"; the class name is enough
        return False, type(exc).__name__
    return True, "ok"


async def healthz(_request: Request) -> JSONResponse:
    ok, detail = store_reachable()
    return JSONResponse({"status": "ok" if ok else "unavailable", "store": detail}, status_code=200 if ok else 503)
