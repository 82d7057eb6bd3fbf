"""Who is using the app: ``current_identity()`` is the one place pages ask (public → anonymous, read-only).

Internal instance: the identity comes from the request, never from the Streamlit session alone, on every rerun:
the signed session cookie (set by ``/auth/login``, checked against its record in the store) or the identity
provider's own cookie (``st.user``, OIDC). A Streamlit session id presented without the cookie grants nothing.
Only a run without any browser connection (AppTest) takes the identity a test put in ``session_state``.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import Any

import streamlit as st

from auth.service import SESSION_COOKIE, AuthConfig, identity_for_cookie
from auth.tokens import Signer
from core.access import ANONYMOUS, ROLES, Identity
from ui.context import engine, settings
from ui.streamlit_compat import running_without_browser

SESSION_KEY = "identity"  # only read in runs without a browser (AppTest); never written by the product


@st.cache_resource
def auth_config() -> tuple[AuthConfig, Signer]:
    cfg = AuthConfig.from_section(settings().section("auth"))
    return cfg, cfg.signer()


def session_cookie() -> str | None:
    """The session cookie of the browser connection running this script (None without one)."""
    try:
        return st.context.cookies.get(SESSION_COOKIE)
    except Exception:
        return None


def _cookie_identity() -> Identity | None:
    cookie = session_cookie()
    if not cookie:
        return None
    cfg, signer = auth_config()
    return identity_for_cookie(engine(), cfg, signer, cookie)


def oidc_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` configures an identity provider for ``st.login()``."""
    try:
        auth = st.secrets.get("auth")
    except Exception:  # no secrets file at all
        return False
    return bool(auth) and bool(auth.get("client_id") or any(isinstance(v, dict) and v.get("client_id")
                                                          for v in auth.values()))


def _role_for(email: str) -> str:
    """Role of an OIDC user: config ``[auth.roles]`` (or secrets ``[auth.roles]``), else ``default_role``."""
    section = settings().section("auth")
    roles: dict[str, Any] = dict(section.get("roles") or {})
    with contextlib.suppress(Exception):  # no secrets file
        roles.update(dict(st.secrets.get("auth", {}).get("roles", {}) or {}))
    role = roles.get(email) or roles.get(email.lower()) or section.get("default_role", "viewer")
    return role if role in ROLES else "viewer"


def _oidc_identity() -> Identity | None:
    if not oidc_configured():
        return None
    try:
        if not st.user.is_logged_in:
            return None
        email = str(st.user.get("email") or st.user.get("sub") or "")
    except Exception:
        return None
    return Identity(user=email, role=_role_for(email), mode="internal") if email else None


def current_identity() -> Identity | None:
    """Public instance: the anonymous read-only identity. Internal: the logged-in user, or None.

    Checked afresh on every call (one signature check and one indexed read of the store), so a log-out in another
    tab, an expired session or a removed user takes effect on the next rerun."""
    if settings().is_public:
        return ANONYMOUS
    identity = _cookie_identity() or _oidc_identity()
    if identity is None and running_without_browser():  # AppTest: no browser, no cookie
        harness = st.session_state.get(SESSION_KEY)
        if isinstance(harness, Identity):  # whatever mode it was made in, it acts in this instance's mode
            identity = replace(harness, mode="internal")
    return identity


def editor_identity() -> Identity | None:
    """The signed-in user if they may change stored data here (an editor or admin, internal instance)."""
    identity = current_identity()
    if identity is None or identity.mode == "public" or settings().is_public or not identity.has("editor"):
        return None
    return identity
