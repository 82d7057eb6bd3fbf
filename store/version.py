"""The store's data version: a cheap fingerprint that changes with every write, for cache keys and HTTP ETags.

Every write path of the product leaves a trace it can see: observations are inserted (new id) or updated (a row in
``observation_revisions``), a refresh stamps ``sources.last_attempt_at``, and every KPI change appends to the KPI
audit log. Several replicas on one database therefore agree on the version without talking to each other.
"""

from __future__ import annotations

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
