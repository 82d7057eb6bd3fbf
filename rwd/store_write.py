"""Write a run's results through the existing store: every definition's observations, their source rows and the
run report, all in one transaction (a failure writes nothing)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Boolean, Column, DateTime, Engine, Integer, MetaData, String, Text, insert, select
from sqlalchemy import Table as SqlTable

from core import provenance_text as texts
from core.access import Identity, require
from store.revisions import WriteSummary, _upsert_source, plan_changes
from store.schema import observation_revisions, observations

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

SYNTHETIC_LICENCE = texts.RWD_SYNTHETIC_LICENCE  # stored in English, shown translated (core.provenance_text)
REAL_LICENCE = texts.RWD_REAL_LICENCE


def source_record(extract, defn) -> dict:
    slug = re.sub(r"[^a-z0-9]+", "-", extract.abbreviation.lower()).strip("-")[:40] or "extract"
    return {
        "id": f"rwd-{slug}-{extract.as_of.isoformat()}-{defn.id}@{defn.version}"[:120],
        "title": texts.RWD_TITLE.format(name=extract.name, as_of=extract.as_of.isoformat(), definition=defn.label),
        "publisher": extract.name, "url": None,
        "licence": SYNTHETIC_LICENCE if extract.synthetic else REAL_LICENCE,
        "kind": "synthetic" if extract.synthetic else "rwd",
    }


def write_run(engine: Engine, batches: list[tuple[dict, pd.DataFrame]], report: dict, identity: Identity | None,
              at: datetime | None = None) -> WriteSummary:
    """Write ``[(source record, observation rows)]`` and the run report in one transaction."""
    who = require(identity, "editor")
    at = at or datetime.now(UTC)
    rwd_metadata.create_all(engine)
    added = changed = unchanged = 0
    with engine.begin() as conn:
        for source, rows in batches:
            _upsert_source(conn, source, at, {"as_of": at, "last_attempt_at": at, "last_status": "ok",
                                              "last_error": None})
            new, diff, same = plan_changes(conn, rows)
            provenance = {"source_id": source["id"], "retrieved_at": at}
            if new:
                conn.execute(insert(observations), [{**rec, **provenance} for rec in new])
            for old, rec in diff:
                conn.execute(insert(observation_revisions).values(
                    indicator_id=old["indicator_id"], region=old["region"], period=old["period"],
                    old_value=old["value"], old_numerator=old["numerator"], old_denominator=old["denominator"],
                    old_synthetic=old["synthetic"], old_derived=old["derived"], old_source_id=old["source_id"],
                    old_retrieved_at=old["retrieved_at"], new_value=rec["value"], new_source_id=source["id"],
                    changed_at=at, changed_by=who.user))
                conn.execute(observations.update().where(
                    (observations.c.indicator_id == old["indicator_id"]) & (observations.c.region == old["region"])
                    & (observations.c.period == old["period"])).values(
                    **{k: v for k, v in rec.items() if k not in ("indicator_id", "region", "period")}, **provenance))
            added, changed, unchanged = added + len(new), changed + len(diff), unchanged + same
        report = {**report, "written": {"added": added, "changed": changed, "unchanged": unchanged}}
        conn.execute(insert(rwd_runs).values(
            finished_at=at, extract_name=report["extract"]["name"], as_of=report["extract"]["as_of"],
            engine=report["engine"], synthetic=report["extract"]["synthetic"], report=json.dumps(report)))
    return WriteSummary(added, changed, unchanged)


def latest_run(engine: Engine) -> dict | None:
    """The report of the last run written to the store (None before the first)."""
    rwd_metadata.create_all(engine)
    with engine.connect() as conn:
        row = conn.execute(select(rwd_runs).order_by(rwd_runs.c.id.desc()).limit(1)).mappings().first()
    if row is None:
        return None
    return {**json.loads(row["report"]), "finished_at": row["finished_at"]}
