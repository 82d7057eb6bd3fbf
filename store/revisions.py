"""Writes to the store: validated rows of one source in one transaction, with a revision history.

* A new (indicator, region, period) is inserted.
* A changed value replaces the stored one, and the old value, its flags and source go to
  ``observation_revisions`` with who changed it and when, so any number shown last month can be traced.
* An unchanged value is not rewritten (its provenance stays as it was).
* A failed refresh only touches the ``sources`` row (last attempt, status, error): observations stay as they were.

Concurrent writers keep the history exact: stored rows are read ``FOR UPDATE`` (PostgreSQL; SQLite takes its
write lock when the transaction begins, ``store.db.write_transaction``), new rows are inserted with
``ON CONFLICT DO NOTHING``, and a row another writer inserted meanwhile is re-read, locked, and recorded as a
change — so two imports of one new cell never fail, and two updates of one cell record old → first → second.

Every write needs an editor identity (:func:`core.access.require`); a public-mode identity is refused.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, and_, insert, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from core.access import Identity, require
from store.db import write_transaction
from store.schema import observation_revisions, observations, sources

_COMPARED = ("value", "numerator", "denominator", "ci_lower", "ci_upper")
_OPTIONAL = ("numerator", "denominator", "ci_lower", "ci_upper", "note")
_SOURCE_FIELDS = ("id", "title", "publisher", "url", "licence", "kind")


@dataclass(frozen=True)
class WriteSummary:
    added: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def written(self) -> int:
        return self.added + self.changed


def _now() -> datetime:
    return datetime.now(UTC)


def _clean(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _same(old, new) -> bool:
    old, new = _clean(old), _clean(new)
    if old is None or new is None:
        return old is None and new is None
    return math.isclose(float(old), float(new), rel_tol=1e-9, abs_tol=1e-12)


def _records(rows: pd.DataFrame) -> list[dict]:
    records = []
    for rec in rows.to_dict("records"):
        out = {k: _clean(rec.get(k)) for k in ("indicator_id", "region", "period", "value", *_OPTIONAL)}
        out["value"] = float(out["value"])
        out["period"] = str(out["period"])
        for key in ("synthetic", "derived"):
            out[key] = bool(_clean(rec.get(key)) or False)
        records.append(out)
    return records


def _key(rec: Mapping) -> tuple:
    return (rec["indicator_id"], rec["region"], rec["period"])


def _existing(conn: Connection, records: list[dict], lock: bool = False) -> dict[tuple, dict]:
    keys = {_key(r) for r in records}
    found: dict[tuple, dict] = {}
    key_list = sorted(keys)
    for start in range(0, len(key_list), 400):  # bounded IN lists for SQLite
        chunk = key_list[start:start + 400]
        stmt = select(observations).where(
            tuple_(observations.c.indicator_id, observations.c.region, observations.c.period).in_(chunk))
        if lock:
            stmt = stmt.with_for_update()  # rows in key order: two writers lock them in the same order
        for row in conn.execute(stmt).mappings():
            found[(row["indicator_id"], row["region"], row["period"])] = dict(row)
    return found


def plan_changes(conn: Connection, rows: pd.DataFrame | list[dict], lock: bool = False
                 ) -> tuple[list[dict], list[tuple[dict, dict]], int]:
    """(new records, [(stored row, new record)] for changed values, number unchanged) — nothing is written.
    ``lock``: the stored rows stay locked until the transaction ends (for a write)."""
    records = _records(rows) if isinstance(rows, pd.DataFrame) else rows
    stored = _existing(conn, records, lock)
    new, changed, unchanged = [], [], 0
    for rec in records:
        old = stored.get((rec["indicator_id"], rec["region"], rec["period"]))
        if old is None:
            new.append(rec)
        elif all(_same(old[c], rec.get(c)) for c in _COMPARED) and bool(old["synthetic"]) == rec["synthetic"]:
            unchanged += 1
        else:
            changed.append((old, rec))
    return new, changed, unchanged


def preview_changes(engine: Engine, rows: pd.DataFrame) -> WriteSummary:
    """What :func:`write_observations` would do (for --dry-run and the upload page's report)."""
    with engine.connect() as conn:
        new, changed, unchanged = plan_changes(conn, rows)
    return WriteSummary(len(new), len(changed), unchanged)


def _insert(conn: Connection):
    """The dialect's INSERT with ``on_conflict_do_*`` (PostgreSQL and SQLite both have it)."""
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)


def upsert_source(conn: Connection, source: Mapping, at: datetime, status_fields: dict) -> None:
    """Insert or update the ``sources`` row of ``source`` with ``status_fields`` (as_of, last status ...)."""
    fields = {k: source.get(k) for k in _SOURCE_FIELDS if k in source}
    changes = {**{k: v for k, v in fields.items() if k != "id"}, **status_fields}
    stmt = _insert(conn)(sources).values(**fields, **status_fields)
    conn.execute(stmt.on_conflict_do_update(index_elements=[sources.c.id], set_=changes))


def _insert_new(conn: Connection, new: list[dict], provenance: dict) -> set[tuple]:
    """Insert ``new`` rows, skipping any another writer inserted meanwhile; returns the keys inserted here."""
    key_columns = (observations.c.indicator_id, observations.c.region, observations.c.period)
    stmt = _insert(conn)(observations).on_conflict_do_nothing(index_elements=list(key_columns))
    result = conn.execute(stmt.returning(*key_columns), [{**rec, **provenance} for rec in new])
    return {tuple(row) for row in result}


def _revise(conn: Connection, old: dict, rec: dict, source_id: str, provenance: dict, at: datetime,
            who: str) -> None:
    conn.execute(insert(observation_revisions).values(
        indicator_id=old["indicator_id"], region=old["region"], period=old["period"],
        old_value=old["value"], old_numerator=old["numerator"], old_denominator=old["denominator"],
        old_synthetic=old["synthetic"], old_derived=old["derived"], old_source_id=old["source_id"],
        old_retrieved_at=old["retrieved_at"], old_note=old.get("note"), new_value=rec["value"],
        new_source_id=source_id, changed_at=at, changed_by=who))
    key = and_(observations.c.indicator_id == old["indicator_id"], observations.c.region == old["region"],
               observations.c.period == old["period"])
    rec = {**rec, "note": rec.get("note") or old.get("note")}  # a row without a note keeps the stored one
    conn.execute(update(observations).where(key).values(
        **{k: v for k, v in rec.items() if k not in ("indicator_id", "region", "period")}, **provenance))


def write_observations(engine: Engine, rows: pd.DataFrame, source: Mapping, identity: Identity | None,
                       at: datetime | None = None) -> WriteSummary:
    """Write validated ``rows`` of ``source`` in one transaction; record revisions of changed values.

    ``source`` is a sources-table record (id, title, publisher, url, licence, kind). On success its ``as_of``
    and ``last_attempt_at`` become ``at`` and its status ``ok``. Safe under concurrent writers (module doc).
    """
    who = require(identity, "editor")
    at = at or _now()
    with write_transaction(engine) as conn:
        return write_source_rows(conn, rows, source, who, at)


def write_source_rows(conn: Connection, rows: pd.DataFrame | list[dict], source: Mapping, identity: Identity,
                      at: datetime) -> WriteSummary:
    """The body of :func:`write_observations` on a connection in a ``store.db.write_transaction``, for a writer
    that stores several sources (and more) in one transaction (the RWD run: one source per definition and its
    run report). ``identity`` must have passed :func:`core.access.require` for ``editor``."""
    upsert_source(conn, source, at, {"as_of": at, "last_attempt_at": at, "last_status": "ok", "last_error": None})
    new, changed, unchanged = plan_changes(conn, rows, lock=True)
    provenance = {"source_id": source["id"], "retrieved_at": at}
    inserted = _insert_new(conn, new, provenance) if new else set()
    raced = [rec for rec in new if _key(rec) not in inserted]
    if raced:  # inserted by another writer since we looked: now a change of its value (or unchanged)
        _none, more_changed, more_unchanged = plan_changes(conn, raced, lock=True)
        changed, unchanged = changed + more_changed, unchanged + more_unchanged
    for old, rec in changed:
        _revise(conn, old, rec, source["id"], provenance, at, identity.user)
    return WriteSummary(len(inserted), len(changed), unchanged)


def record_failure(engine: Engine, source: Mapping, error: str, identity: Identity | None,
                   at: datetime | None = None) -> None:
    """Note a failed refresh on the source row; its observations (and as_of) stay as they were."""
    require(identity, "editor")
    at = at or _now()
    with write_transaction(engine) as conn:
        upsert_source(conn, source, at, {"last_attempt_at": at, "last_status": "failed",
                                          "last_error": error[:2000]})


def revisions_for(engine: Engine, indicator_id: str | None = None, region: str | None = None) -> pd.DataFrame:
    """The revision history, newest first (what a journalist needs to trace last month's number)."""
    stmt = select(observation_revisions)
    if indicator_id is not None:
        stmt = stmt.where(observation_revisions.c.indicator_id == indicator_id)
    if region is not None:
        stmt = stmt.where(observation_revisions.c.region == region)
    with engine.connect() as conn:
        return pd.read_sql(stmt.order_by(observation_revisions.c.changed_at.desc(), observation_revisions.c.id.desc()),
                           conn)
