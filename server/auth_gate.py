"""Who may read the internal instance over plain HTTP (``/api``, ``/embed``): the log-in cookie, checked without
Streamlit, exactly as the router checks it (signed token with a live record in the store, user still present)."""

from __future__ import annotations

from starlette.requests import Request

from auth.service import SESSION_COOKIE, AuthConfig, identity_for_cookie
from core.access import Identity
from core.config import load_settings

COOKIE_NAME = SESSION_COOKIE


def logged_in_identity(request: Request) -> Identity | None:
    """The identity of the request's log-in cookie, or None."""
    from store import open_store

    settings = load_settings()
    cfg = AuthConfig.from_section(settings.section("auth"))
    return identity_for_cookie(open_store(settings.database_url), cfg, cfg.signer(), request.cookies.get(COOKIE_NAME))


def is_logged_in(request: Request) -> bool:
    """True when the request carries a valid, live log-in cookie of this instance."""
    return logged_in_identity(request) is not None
