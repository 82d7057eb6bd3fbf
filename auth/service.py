"""The internal instance's log-in, as the HTTP routes and the router use it (no Streamlit, no Starlette here).

``AuthConfig`` reads ``config.toml [auth]``; ``identity_for_cookie`` turns the browser's session cookie into the
logged-in identity (or None) and is what the router calls on every rerun; ``client_address`` decides which address
a request comes from (``X-Forwarded-For`` only when the direct peer is a trusted proxy).
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from auth.sessions import session_user
from auth.throttle import ThrottlePolicy
from auth.tokens import Signer, load_secret
from auth.users import load_users, users_file
from core.access import ROLES, Identity
from core.paths import REPO_ROOT

SESSION_COOKIE = "densaulyq_session"
CSRF_COOKIE = "densaulyq_csrf"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class AuthConfig:
    users_path: Path
    secret_key_file: Path
    session_lifetime: timedelta = timedelta(hours=12)
    throttle: ThrottlePolicy = field(default_factory=ThrottlePolicy)
    trusted_proxies: tuple[Network, ...] = ()
    max_concurrent_checks: int = 2   # argon2 checks at once (each takes 64 MiB)
    cookie_secure: bool = False       # also set on every cookie when the request came over https

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> AuthConfig:
        key_file = Path(str(section.get("secret_key_file", "var/secret_key")))
        return cls(
            users_path=users_file(section),
            secret_key_file=key_file if key_file.is_absolute() else REPO_ROOT / key_file,
            session_lifetime=timedelta(hours=float(section.get("session_hours", 12))),
            throttle=ThrottlePolicy(free=int(section.get("throttle_free_attempts", 3)),
                                    base=float(section.get("throttle_base_delay_s", 1.0)),
                                    cap=float(section.get("throttle_max_delay_s", 900.0)),
                                    window=float(section.get("throttle_window_s", 3600.0))),
            trusted_proxies=tuple(ipaddress.ip_network(str(p), strict=False)
                                  for p in section.get("trusted_proxies", []) or []),
            max_concurrent_checks=max(1, int(section.get("max_concurrent_checks", 2))),
            cookie_secure=bool(section.get("cookie_secure", False)),
        )

    def signer(self) -> Signer:
        return Signer(load_secret(self.secret_key_file))


_check_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def check_slots(limit: int) -> threading.BoundedSemaphore:
    """The process-wide semaphore bounding concurrent password checks."""
    with _slots_lock:
        return _check_slots.setdefault(limit, threading.BoundedSemaphore(limit))


def identity_for_cookie(engine: Engine, cfg: AuthConfig, signer: Signer, cookie: str | None) -> Identity | None:
    """The identity of a signed, live session cookie whose user still exists in the user file, else None."""
    token = signer.session_token(cookie, cfg.session_lifetime.total_seconds())
    user = session_user(engine, token)
    if user is None:
        return None
    entry = load_users(cfg.users_path).get(user)
    if entry is None:  # removed since logging in
        return None
    role = entry.get("role", "viewer")
    return Identity(user=user, role=role if role in ROLES else "viewer", mode="internal")


def client_address(peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str:
    """The client's address: the direct peer, unless the peer is a trusted proxy; then the right-most address of
    ``X-Forwarded-For`` that is not itself a trusted proxy (the left part can be forged by the client)."""
    peer = peer or "unknown"
    if not forwarded_for or not _is_trusted(peer, trusted):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop if _valid_ip(hop) else peer
    return hops[0] if hops and _valid_ip(hops[0]) else peer


def _valid_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in trusted)
