"""Open the store: one engine per URL, its schema brought to this code's migration (or waited for) on first use.

The schema has one mechanism: ``alembic upgrade head`` (``store.migrate.upgrade``) on the tables of
``store.schema``. Nothing here creates a table or adds a column by itself, and nothing here loads data: the embedded
snapshot is loaded into an empty store by ``data_sources.seed`` (``open_store`` there = this one + the snapshot).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event

_ready: set[str] = set()
_ready_lock = threading.Lock()


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


def migrate_mode() -> str:
    """``auto`` (default: this process migrates, as the quickstart does) or ``wait`` (a replica in a cluster: a Job
    migrates and seeds, this process waits for the schema version it needs), from ``DENSAULYQ_MIGRATE``."""
    mode = os.environ.get("DENSAULYQ_MIGRATE", "auto")
    if mode not in ("auto", "wait"):
        raise ValueError(f"DENSAULYQ_MIGRATE must be auto or wait, not {mode!r}")
    return mode


def prepare_schema(engine: Engine) -> Engine:
    """Bring the schema to the newest migration (``alembic upgrade head``), or in ``wait`` mode wait until the
    migration Job has (``store.migrate.wait_for_schema``)."""
    from store.migrate import upgrade, wait_for_schema

    if migrate_mode() == "wait":
        wait_for_schema(engine)
    else:
        upgrade(engine)
    return engine


def ensure_schema(engine: Engine) -> Engine:
    """:func:`prepare_schema` once per database URL and process (for code handed an engine it did not open, e.g.
    the log-in and KPI modules); later calls return at once."""
    key = engine.url.render_as_string(hide_password=True)
    if key not in _ready:
        with _ready_lock:
            if key not in _ready:
                prepare_schema(engine)
                _ready.add(key)
    return engine


@lru_cache(maxsize=8)
def open_store(url: str) -> Engine:
    """The engine for ``url`` with its schema ready (cached per URL for the life of the process). An empty store
    stays empty: ``data_sources.seed.open_store`` also loads the embedded snapshot."""
    return ensure_schema(make_engine(url))
