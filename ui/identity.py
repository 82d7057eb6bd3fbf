"""Who is using the app: ``current_identity()`` is the one place pages ask (public → anonymous, read-only)."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import Any

import streamlit as st

from core.access import ANONYMOUS, ROLES, Identity
from ui.context import settings

SESSION_KEY = "identity"


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
    """Public instance: the anonymous read-only identity. Internal: the logged-in user, or None."""
    if settings().is_public:
        return ANONYMOUS
    identity = st.session_state.get(SESSION_KEY)
    if isinstance(identity, Identity):  # whatever mode it was made in, it acts in this instance's mode
        return replace(identity, mode="internal")
    identity = _oidc_identity()
    if identity is not None:
        st.session_state[SESSION_KEY] = identity
    return identity


def editor_identity() -> Identity | None:
    """The signed-in user if they may change stored data here (an editor or admin, internal instance)."""
    identity = current_identity()
    if identity is None or identity.mode == "public" or settings().is_public or not identity.has("editor"):
        return None
    return identity
