"""Schema migrations (Alembic, ``migrations/``): upgrade a store, stamp an old ``create_all`` store, or wait.

* ``upgrade(engine)`` brings a store to the newest revision: an empty database gets every table from the
  migrations; a store made by ``create_all`` before migrations existed (tables present, no ``alembic_version``) is
  first stamped with the initial revision, whose schema it has, then upgraded. On PostgreSQL an advisory lock makes
  concurrent callers take turns, so two processes never migrate at once.
* ``wait_for_schema(engine)``: what a replica in a cluster does instead (``[store] migrate = "wait"`` or
  ``DENSAULYQ_MIGRATE=wait``): poll until the store is at the revision this code needs (the migration Job's work),
  and fail after a time-out rather than racing the Job.
* ``python -m store migrate`` / ``python -m store wait`` / ``python -m store current`` from the command line.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
# A store made by create_all before migrations existed has no alembic_version: the revisions whose tables it already
# holds, in order, are stamped (not run) before upgrading. Only revisions that just create tables belong here.
CREATE_ALL_REVISIONS: tuple[tuple[str, frozenset[str]], ...] = (
    ("0001_initial", frozenset({"sources", "observations", "meta", "observation_revisions"})),
    ("0002_kpi_tables", frozenset({"kpi_kpis", "kpi_region_targets", "kpi_actuals", "kpi_publications", "kpi_audit",
                                   "kpi_meta"})),
)
ADVISORY_LOCK_ID = 7_246_001  # any constant shared by every process of the product
_local_lock = threading.Lock()


class SchemaNotReady(RuntimeError):
    """The store is not at the revision this code needs (yet)."""


def alembic_config(url: str = "") -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@lru_cache(maxsize=1)
def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    heads = scripts().get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations/ must have one head, found {heads}: merge them (alembic merge)")
    return heads[0]


def current_revision(conn_or_engine: Connection | Engine) -> str | None:
    if isinstance(conn_or_engine, Engine):
        with conn_or_engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    return MigrationContext.configure(conn_or_engine).get_current_revision()


def target_metadata() -> list:
    """Every table the migrations manage (the product's own metadata objects)."""
    from kpi.schema import kpi_metadata
    from store.schema import metadata

    return [metadata, kpi_metadata]


def schema_tables() -> list[str]:
    return [name for meta in target_metadata() for name in meta.tables]


def create_all_revision(tables: set[str]) -> str | None:
    """The last revision whose tables (and its predecessors') a create_all store already holds, if any."""
    found = None
    for revision, needed in CREATE_ALL_REVISIONS:
        if not needed <= tables:
            break
        found = revision
    return found


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[Connection]:
    """A connection to ``engine`` held by one migrator at a time."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": ADVISORY_LOCK_ID})
            conn.commit()
            try:
                yield conn
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_ID})
                conn.commit()
    else:  # SQLite: one file on one machine, opened by one process (the quickstart): threads take turns, from
        with _local_lock, engine.connect() as conn:  # opening the connection on (its pragmas write to a new file)
            yield conn


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Migrate ``engine``'s store to ``revision`` (stamping a create_all store first); returns the new revision."""
    with _migration_lock(engine) as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        found = current_revision(conn)
        if revision == "head" and found == head_revision():
            return found  # every start of an up-to-date store: nothing to load or run
        if found is None:
            tables = set(inspect(conn).get_table_names())
            stamp = create_all_revision(tables)
            if stamp:
                command.stamp(cfg, stamp)
            elif revision == "head" and not tables & set(schema_tables()):
                # A new, empty database: the tables of the head revision in one go, then record it (the chain of
                # migrations gives the same schema: tests/store/test_migrations.py checks it).
                for meta in target_metadata():
                    meta.create_all(conn)
                MigrationContext.configure(conn).stamp(scripts(), "head")
                conn.commit()
                return current_revision(conn) or ""
        command.upgrade(cfg, revision)
        conn.commit()
        return current_revision(conn) or ""


def wait_for_schema(engine: Engine, timeout_s: float = 300.0, poll_s: float = 2.0) -> str:
    """Block until the store is at this code's head revision; ``SchemaNotReady`` after ``timeout_s``."""
    head = head_revision()
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            found = current_revision(engine)
        except Exception as exc:  # database not up yet: keep waiting
            found = f"unreachable ({type(exc).__name__})"
        if found == head:
            return head
        if time.monotonic() >= deadline:
            raise SchemaNotReady(f"store schema is at {found}, this code needs {head}: run `python -m store migrate`")
        time.sleep(poll_s)
