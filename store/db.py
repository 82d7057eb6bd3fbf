"""Open the store: one engine per URL, tables created and the embedded snapshot loaded on first use."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, func, insert, inspect, select, text

from store.schema import meta, metadata, observations, sources

_seed_lock = threading.Lock()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")  # first: the switch to WAL below also waits for another writer
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (_sqlite_begin)


def _sqlite_begin(conn: Connection) -> None:
    """BEGIN at the start of every transaction (pysqlite would only begin at the first write, after the reads a
    write was planned on); ``BEGIN IMMEDIATE`` for a write transaction, so a second writer waits for the first
    to commit before it reads (see :func:`write_transaction`)."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


def make_engine(url: str) -> Engine:
    """A new engine; for a SQLite file the folder is created and WAL mode set (readers never block writers)."""
    if url.startswith("sqlite:///") and ":memory:" not in url:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction for read-then-write: SQLite takes its write lock at BEGIN; on PostgreSQL the writer locks
    the rows it read (``SELECT … FOR UPDATE``)."""
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        yield conn


def is_seeded(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(observations)).scalar_one() > 0


def seed_snapshot(engine: Engine) -> int:
    """Load the embedded snapshot into an empty store in one transaction; returns the rows written."""
    from data_sources.snapshot import build_snapshot  # the importer lives with the other importers

    source_rows, obs_rows = build_snapshot()
    obs_records = obs_rows.astype(object).where(obs_rows.notna(), None).to_dict("records")
    src_records = source_rows.astype(object).where(source_rows.notna(), None).to_dict("records")
    with engine.begin() as conn:
        conn.execute(insert(sources), src_records)
        conn.execute(insert(observations), obs_records)
        conn.execute(insert(meta), [{"key": "snapshot_loaded", "value": "embedded snapshot 2026-11-25"}])
    return len(obs_records)


def add_missing_columns(engine: Engine) -> None:
    """Add nullable columns a newer schema defines to the tables of an older store (``create_all`` only creates
    missing tables), e.g. ``observation_revisions.old_note``."""
    existing = inspect(engine)
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            if not existing.has_table(table.name):
                continue
            have = {c["name"] for c in existing.get_columns(table.name)}
            for column in table.columns:
                if column.name not in have and column.nullable:
                    kind = column.type.compile(dialect=engine.dialect)
                    conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))


def migrate_mode() -> str:
    """``auto`` (default: this process migrates and seeds, as the quickstart does) or ``wait`` (a replica in a
    cluster: a Job migrates and seeds, this process waits for the schema version it needs), from
    ``DENSAULYQ_MIGRATE``."""
    mode = os.environ.get("DENSAULYQ_MIGRATE", "auto")
    if mode not in ("auto", "wait"):
        raise ValueError(f"DENSAULYQ_MIGRATE must be auto or wait, not {mode!r}")
    return mode


def init_store(engine: Engine) -> Engine:
    """Bring the schema to the newest migration (or wait for it) and, if the store holds no observations, load the
    embedded snapshot. Tables (and nullable columns) that have no migration yet are still created."""
    from store.migrate import upgrade, wait_for_schema

    with _seed_lock:
        if migrate_mode() == "wait":
            wait_for_schema(engine)
            return engine
        upgrade(engine)
        metadata.create_all(engine)
        add_missing_columns(engine)
        if not is_seeded(engine):
            seed_snapshot(engine)
    return engine


@lru_cache(maxsize=8)
def open_store(url: str) -> Engine:
    """The engine for ``url``, ready to read (cached per URL for the life of the process)."""
    return init_store(make_engine(url))
