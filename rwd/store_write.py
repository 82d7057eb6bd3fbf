"""Write a run's results through the store's one observation write path (``store.revisions.write_source_rows``):
every definition's observations, their source rows and the run report (``rwd_runs``, a table of ``store.schema``
under Alembic), all in one write transaction (a failure writes nothing; a changed value is a revision; concurrent
runs and imports lose none)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, insert

from core import provenance_text as texts
from core.access import Identity, require
from store.db import write_transaction
from store.revisions import WriteSummary, write_source_rows
from store.schema import rwd_runs  # the run reports (JSON: checks, coverage by region, definitions, periods)

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
    """Write ``[(source record, observation rows)]`` and the run report in one transaction, through the store's
    one observation write path (``store.revisions.write_source_rows``: revisions of changed values, row locks,
    a row another writer inserted meanwhile recorded as a change, a row without a note keeping the stored one)."""
    who = require(identity, "editor")
    at = at or datetime.now(UTC)
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
