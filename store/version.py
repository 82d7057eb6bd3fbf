"""The store's data version: a cheap fingerprint that changes with every write, for cache keys and HTTP ETags.

Every write path of the product leaves a trace it can see: observations are inserted (new id) or updated (a row in
``observation_revisions``), a refresh stamps ``sources.last_attempt_at``, and every KPI change appends to the KPI
audit log. Several replicas on one database therefore agree on the version without talking to each other.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import Engine, func, select

from store.schema import kpi_audit, observation_revisions, observations, sources


def data_version(engine: Engine) -> str:
    """A short string that differs after any write to observations, revisions, sources or the KPI audit log."""
    parts: list[object] = []
    with engine.connect() as conn:
        parts += conn.execute(select(func.count(), func.max(observations.c.id))).one()
        parts.append(conn.execute(select(func.max(observation_revisions.c.id))).scalar())
        parts += conn.execute(select(func.max(sources.c.last_attempt_at), func.count()).select_from(sources)).one()
        parts.append(conn.execute(select(func.max(kpi_audit.c.id))).scalar())
    return "-".join(str(p) for p in parts)


VERSION_CHECK_S = 3.0  # how stale a process's idea of the store's version may get (when the caller allows it)

_versions: dict[str, tuple[float, str]] = {}
_versions_lock = threading.Lock()
_clock = time.monotonic  # replaced in tests


def cached_data_version(engine: Engine, max_age_s: float = VERSION_CHECK_S) -> str:
    """``data_version(engine)``, asked of the database at most once per ``max_age_s`` per process and store URL.

    The one per-process copy of the version, shared by the pages' caches (``ui.data.store_version``) and the HTTP
    ETags (``server.caching``): a write made through any replica (or the refresh job) changes both within
    ``max_age_s``; ``max_age_s=0`` asks every time (the internal instance, so an editor sees their own change)."""
    key = engine.url.render_as_string(hide_password=False)
    hit = _versions.get(key)
    if hit is not None and _clock() - hit[0] < max_age_s:
        return hit[1]
    with _versions_lock:
        hit = _versions.get(key)
        if hit is None or _clock() - hit[0] >= max_age_s:
            hit = (_clock(), data_version(engine))
            _versions[key] = hit
    return hit[1]
