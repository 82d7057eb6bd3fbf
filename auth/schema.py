"""The log-in tables, by the names the log-in code uses; they are defined (with every other table of the product,
in one ``MetaData`` under Alembic) in ``store.schema``.

``auth_sessions`` holds one row per log-in: only the SHA-256 of the random token the browser's cookie carries, so a
copy of the table logs nobody in. ``auth_throttle`` counts failed log-ins per user name and per client address, so
every replica on the same database applies the same delays.
"""

from __future__ import annotations

from store.schema import auth_sessions, auth_throttle

__all__ = ["auth_sessions", "auth_throttle"]
