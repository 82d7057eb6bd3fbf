"""Server-side log-in sessions: a random token in the browser's (signed) cookie, its hash and expiry in the store.

Revoking a session (log-out) marks its row, so a copied cookie stops working at once on every replica.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert, select, update

from auth.schema import auth_sessions
from store.db import ensure_schema

TOKEN_BYTES = 32


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes for timezone-aware columns; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def start_session(engine: Engine, user: str, lifetime: timedelta, now: datetime | None = None) -> str:
    """A new random token for ``user``, valid for ``lifetime``; only its hash is stored."""
    now = now or datetime.now(UTC)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with ensure_schema(engine).begin() as conn:
        conn.execute(delete(auth_sessions).where(auth_sessions.c.expires_at < now - timedelta(days=30)))
        conn.execute(insert(auth_sessions).values(token_hash=_hash(token), user_name=user, created_at=now,
                                                  expires_at=now + lifetime))
    return token


def session_user(engine: Engine, token: str | None, now: datetime | None = None) -> str | None:
    """The user name of a live (not expired, not revoked) session, else None."""
    if not token:
        return None
    now = now or datetime.now(UTC)
    with ensure_schema(engine).connect() as conn:
        row = conn.execute(select(auth_sessions.c.user_name, auth_sessions.c.expires_at, auth_sessions.c.revoked_at)
                           .where(auth_sessions.c.token_hash == _hash(token))).first()
    if row is None or row.revoked_at is not None or _aware(row.expires_at) <= now:
        return None
    return row.user_name


def revoke_session(engine: Engine, token: str | None, now: datetime | None = None) -> bool:
    """Revoke one session (log-out); True when a live session was revoked."""
    if not token:
        return False
    with ensure_schema(engine).begin() as conn:
        result = conn.execute(update(auth_sessions)
                              .where(auth_sessions.c.token_hash == _hash(token), auth_sessions.c.revoked_at.is_(None))
                              .values(revoked_at=now or datetime.now(UTC)))
    return result.rowcount > 0


def revoke_user_sessions(engine: Engine, user: str, now: datetime | None = None) -> int:
    """Revoke every session of ``user`` (after a password reset or removal); the number revoked."""
    with ensure_schema(engine).begin() as conn:
        result = conn.execute(update(auth_sessions)
                              .where(auth_sessions.c.user_name == user, auth_sessions.c.revoked_at.is_(None))
                              .values(revoked_at=now or datetime.now(UTC)))
    return result.rowcount
