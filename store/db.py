"""Open the store: one engine per URL, tables created and the embedded snapshot loaded on first use."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, func, insert, select

from store.schema import meta, metadata, observations, sources

_seed_lock = threading.Lock()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
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


def init_store(engine: Engine) -> Engine:
    """Create missing tables and, if the store holds no observations, load the embedded snapshot."""
    with _seed_lock:
        metadata.create_all(engine)
        if not is_seeded(engine):
            seed_snapshot(engine)
    return engine


@lru_cache(maxsize=8)
def open_store(url: str) -> Engine:
    """The engine for ``url``, ready to read (cached per URL for the life of the process)."""
    return init_store(make_engine(url))
