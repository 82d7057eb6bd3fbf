"""Write a run's results through the store's one observation write path (``store.revisions.write_source_rows``):
every definition's observations, their source rows and the run report, all in one write transaction (a failure
writes nothing; a changed value is a revision; concurrent runs and imports lose none)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Boolean, Column, DateTime, Engine, Integer, MetaData, String, Text, insert, inspect, select
from sqlalchemy import Table as SqlTable
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from core.access import Identity, require
from store.db import write_transaction
from store.revisions import WriteSummary, write_source_rows

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

SYNTHETIC_LICENCE = "CC0 1.0 (illustrative synthetic data, not real patients)"
REAL_LICENCE = "Aggregates of restricted record-level data; reuse under the data-sharing agreement of the extract"


def source_record(extract, defn) -> dict:
    slug = re.sub(r"[^a-z0-9]+", "-", extract.abbreviation.lower()).strip("-")[:40] or "extract"
    return {
        "id": f"rwd-{slug}-{extract.as_of.isoformat()}-{defn.id}@{defn.version}"[:120],
        "title": f"OMOP CDM extract {extract.name}, as of {extract.as_of.isoformat()}, definition {defn.label}",
        "publisher": extract.name, "url": None,
        "licence": SYNTHETIC_LICENCE if extract.synthetic else REAL_LICENCE,
        "kind": "synthetic" if extract.synthetic else "rwd",
    }


def write_run(engine: Engine, batches: list[tuple[dict, pd.DataFrame]], report: dict, identity: Identity | None,
              at: datetime | None = None) -> WriteSummary:
    """Write ``[(source record, observation rows)]`` and the run report in one transaction, through the store's
    one observation write path (``store.revisions.write_source_rows``: revisions of changed values, row locks,
    a row another writer inserted meanwhile recorded as a change, a row without a note keeping the stored one)."""
    who = require(identity, "editor")
    at = at or datetime.now(UTC)
    _ensure_runs_table(engine)
    added = changed = unchanged = 0
    with write_transaction(engine) as conn:
        for source, rows in batches:
            part = write_source_rows(conn, rows, source, who, at)
            added, changed, unchanged = added + part.added, changed + part.changed, unchanged + part.unchanged
        report = {**report, "written": {"added": added, "changed": changed, "unchanged": unchanged}}
        conn.execute(insert(rwd_runs).values(
            finished_at=at, extract_name=report["extract"]["name"], as_of=report["extract"]["as_of"],
            engine=report["engine"], synthetic=report["extract"]["synthetic"], report=json.dumps(report)))
    return WriteSummary(added, changed, unchanged)


def _ensure_runs_table(engine: Engine) -> None:
    """Create ``rwd_runs`` if missing; two first runs at once may both try (the loser finds it there)."""
    try:
        with write_transaction(engine) as conn:  # SQLite: the second waits for the first's write lock
            rwd_metadata.create_all(conn)
    except (IntegrityError, ProgrammingError, OperationalError):  # PostgreSQL: the second fails once it is there
        if not inspect(engine).has_table("rwd_runs"):
            raise


def latest_run(engine: Engine) -> dict | None:
    """The report of the last run written to the store (None before the first)."""
    _ensure_runs_table(engine)
    with engine.connect() as conn:
        row = conn.execute(select(rwd_runs).order_by(rwd_runs.c.id.desc()).limit(1)).mappings().first()
    if row is None:
        return None
    return {**json.loads(row["report"]), "finished_at": row["finished_at"]}
