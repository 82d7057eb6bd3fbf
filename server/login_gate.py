"""Internal instance: a page address opened without a live session goes straight to the log-in form.

``GET /map`` (any registered page address) without a valid session cookie answers 303 to
``/auth/login?next=/map?...``; after the log-in the form sends the browser back to the page first asked for. This
is convenience before the page loads; the router still checks the cookie on every rerun, which is the real gate.
With an identity provider (OIDC, ``st.login``) the router's own log-in page handles it, so nothing is redirected.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from auth.service import SESSION_COOKIE, AuthConfig, identity_for_cookie
from core.config import Settings, load_settings
from core.paths import REPO_ROOT


def oidc_in_secrets(paths: Iterable[Path] = (REPO_ROOT / ".streamlit" / "secrets.toml",
                                             Path.home() / ".streamlit" / "secrets.toml")) -> bool:
    """True when a Streamlit secrets file configures an identity provider (``[auth]`` with a ``client_id``)."""
    for path in paths:
        try:
            auth = tomllib.loads(path.read_text(encoding="utf-8")).get("auth") or {}
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if auth.get("client_id") or any(isinstance(v, dict) and v.get("client_id") for v in auth.values()):
            return True
    return False


class LoginRedirectMiddleware:
    """Redirects GETs of ``page_paths`` to the log-in form while the request carries no live session."""

    def __init__(self, app: ASGIApp, page_paths: Iterable[str] = (),
                 settings: Callable[[], Settings] = load_settings, oidc: Callable[[], bool] = oidc_in_secrets) -> None:
        self.app = app
        self.page_paths = frozenset(page_paths)
        settings_now = settings()
        self.active = not settings_now.is_public and bool(self.page_paths) and not oidc()
        self._settings = settings_now

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (not self.active or scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD")
                or (scope.get("path", "").rstrip("/") or "/") not in self.page_paths):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if await run_in_threadpool(self._logged_in, headers.get("cookie", "")):
            await self.app(scope, receive, send)
            return
        wanted = scope.get("path", "/") + (("?" + scope["query_string"].decode("latin-1"))
                                           if scope.get("query_string") else "")
        target = "/auth/login?next=" + quote(wanted, safe="")
        await RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})(scope, receive, send)

    def _logged_in(self, cookie_header: str) -> bool:
        from store import open_store

        jar = SimpleCookie()
        try:
            jar.load(cookie_header)
        except Exception:  # a malformed Cookie header counts as no cookie
            return False
        morsel = jar.get(SESSION_COOKIE)
        if morsel is None:
            return False
        cfg = AuthConfig.from_section(self._settings.section("auth"))
        engine = open_store(self._settings.database_url)
        return identity_for_cookie(engine, cfg, cfg.signer(), morsel.value) is not None
