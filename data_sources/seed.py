"""First run: the store's schema migrated and, if it holds no observations, the embedded snapshot loaded.

``store`` owns the schema and the engine (``store.open_store``: migrated, never filled); this module adds the data
a new store starts with (``data_sources.snapshot``), so ``store`` imports nothing from ``data_sources``.

* ``init_store(engine)``: migrate (or, for a replica with ``DENSAULYQ_MIGRATE=wait``, wait for the migration Job)
  and load the snapshot into an empty store; a replica never loads it (the Job did).
* ``open_store(url)``: the same, once per URL and process: what the app, the CLIs and the tests open.
* ``python -m data_sources seed``: the cluster's Job (``migrate_and_seed``), whatever ``DENSAULYQ_MIGRATE`` says.
"""

from __future__ import annotations

import threading

from sqlalchemy import Engine, func, insert, select

from data_sources.snapshot import build_snapshot
from store import db
from store.migrate import upgrade
from store.schema import meta, observations, sources

_lock = threading.Lock()
_seeded: set[str] = set()


def is_seeded(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(observations)).scalar_one() > 0


def seed_snapshot(engine: Engine) -> int:
    """Load the embedded snapshot into an empty store in one transaction; returns the rows written."""
    source_rows, obs_rows = build_snapshot()
    obs_records = obs_rows.astype(object).where(obs_rows.notna(), None).to_dict("records")
    src_records = source_rows.astype(object).where(source_rows.notna(), None).to_dict("records")
    with engine.begin() as conn:
        conn.execute(insert(sources), src_records)
        conn.execute(insert(observations), obs_records)
        conn.execute(insert(meta), [{"key": "snapshot_loaded", "value": "embedded snapshot 2026-11-25"}])
    return len(obs_records)


def _seed_if_empty(engine: Engine) -> None:
    with _lock:
        if not is_seeded(engine):
            seed_snapshot(engine)


def init_store(engine: Engine) -> Engine:
    """Schema at this code's revision (migrated, or waited for) and, in ``auto`` mode, the snapshot in an empty
    store."""
    db.prepare_schema(engine)
    if db.migrate_mode() == "auto":
        _seed_if_empty(engine)
    return engine


def migrate_and_seed(engine: Engine) -> int:
    """The migration Job: ``alembic upgrade head``, then the snapshot into an empty store; returns the rows
    loaded (0 when the store already held observations)."""
    upgrade(engine)
    with _lock:
        return 0 if is_seeded(engine) else seed_snapshot(engine)


def open_store(url: str) -> Engine:
    """``store.open_store(url)`` (one engine per URL, schema ready) with the snapshot loaded into an empty store,
    checked once per URL and process."""
    engine = db.open_store(url)
    if url not in _seeded:
        if db.migrate_mode() == "auto":
            _seed_if_empty(engine)
        _seeded.add(url)
    return engine
