"""Log-in tables (SQLAlchemy Core, own MetaData, same engine as the observation store; SQLite and PostgreSQL).

``auth_sessions`` holds one row per log-in: only the SHA-256 of the random token the browser's cookie carries, so a
copy of the table logs nobody in. ``auth_throttle`` counts failed log-ins per user name and per client address, so
every replica on the same database applies the same delays.
"""

from __future__ import annotations

import threading

from sqlalchemy import Column, DateTime, Engine, Integer, MetaData, String, Table

auth_metadata = MetaData()

auth_sessions = Table(
    "auth_sessions", auth_metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_name", String(64), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

auth_throttle = Table(
    "auth_throttle", auth_metadata,
    Column("key", String(200), primary_key=True),  # "user:<name>" or "addr:<client address>"
    Column("failures", Integer, nullable=False, default=0),
    Column("last_failure_at", DateTime(timezone=True)),
    Column("blocked_until", DateTime(timezone=True)),
)

_ready: set[str] = set()
_lock = threading.Lock()


def ensure_auth_schema(engine: Engine) -> Engine:
    """Create the log-in tables if missing (once per engine URL and process)."""
    key = engine.url.render_as_string(hide_password=True)
    if key not in _ready:
        with _lock:
            auth_metadata.create_all(engine)
            _ready.add(key)
    return engine
