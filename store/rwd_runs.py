"""The reports of ``python -m rwd compute`` runs (``rwd_runs``): written by the RWD run with its observations
(``rwd.store_write``), read by the read model (``readmodel.rwd``) through the store, so that reading a run's
results needs no part of the RWD pipeline."""

from __future__ import annotations

import json

from sqlalchemy import Boolean, Column, DateTime, Engine, Integer, MetaData, String, Text, inspect, select
from sqlalchemy import Table as SqlTable
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from store.db import write_transaction

rwd_metadata = MetaData()
rwd_runs = SqlTable(
    "rwd_runs", rwd_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("extract_name", Text, nullable=False),
    Column("as_of", String(10), nullable=False),
    Column("engine", String(20), nullable=False),
    Column("synthetic", Boolean, nullable=False),
    Column("report", Text, nullable=False),  # JSON: checks, coverage by region, definitions, periods (aggregates)
)


def ensure_runs_table(engine: Engine) -> None:
    """Create ``rwd_runs`` if missing; two first runs at once may both try (the loser finds it there)."""
    try:
        with write_transaction(engine) as conn:  # SQLite: the second waits for the first's write lock
            rwd_metadata.create_all(conn)
    except (IntegrityError, ProgrammingError, OperationalError):  # PostgreSQL: the second fails once it is there
        if not inspect(engine).has_table("rwd_runs"):
            raise


def latest_run(engine: Engine) -> dict | None:
    """The report of the last run written to the store (None before the first)."""
    ensure_runs_table(engine)
    with engine.connect() as conn:
        row = conn.execute(select(rwd_runs).order_by(rwd_runs.c.id.desc()).limit(1)).mappings().first()
    if row is None:
        return None
    return {**json.loads(row["report"]), "finished_at": row["finished_at"]}
