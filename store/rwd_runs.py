"""The reports of ``python -m rwd compute`` runs (the ``rwd_runs`` table of ``store.schema``): written by the RWD
run with its observations (``rwd.store_write``), read by the read model (``readmodel.rwd``) through the store, so
that reading a run's results needs no part of the RWD pipeline."""

from __future__ import annotations

import json

from sqlalchemy import Engine, select

from store.schema import rwd_runs


def latest_run(engine: Engine) -> dict | None:
    """The report of the last run written to the store (None before the first)."""
    with engine.connect() as conn:
        row = conn.execute(select(rwd_runs).order_by(rwd_runs.c.id.desc()).limit(1)).mappings().first()
    if row is None:
        return None
    return {**json.loads(row["report"]), "finished_at": row["finished_at"]}
