"""Schema migrations (Alembic) on SQLite and PostgreSQL: from an empty database, from a store that ``create_all``
made before migrations existed, replicas that wait for the schema, and two processes migrating at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, insert, inspect, select

from data_sources.seed import init_store
from store import make_engine
from store.migrate import (
    SchemaNotReady,
    alembic_config,
    current_revision,
    head_revision,
    upgrade,
    wait_for_schema,
)
from store.schema import meta, metadata, observation_revisions, observations, sources


def schema_differences(engine) -> list:
    """What Alembic would still have to change to make the database match the product's tables (the one
    ``MetaData`` of ``store.schema``)."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(ctx, metadata)
    # Indexes reflected differently by the two dialects are not schema drift; tables and columns are.
    return [d for d in diffs if not (isinstance(d, tuple) and d[0] in ("add_index", "remove_index"))]


def test_the_chain_of_migrations_builds_the_products_schema_from_an_empty_database(any_db_url: str) -> None:
    engine = make_engine(any_db_url)
    with engine.connect() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")  # every migration, one after the other
        conn.commit()
    assert current_revision(engine) == head_revision()
    assert schema_differences(engine) == []
    engine.dispose()


def test_a_new_store_is_at_the_head_revision_and_seeded(any_db_url: str) -> None:
    engine = init_store(make_engine(any_db_url))
    assert current_revision(engine) == head_revision()
    assert schema_differences(engine) == []
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(observations)).scalar_one() > 1000
    engine.dispose()


def test_a_store_made_by_create_all_is_stamped_and_keeps_its_data(any_db_url: str) -> None:
    engine = make_engine(any_db_url)
    # the store as the app made it before migrations (no KPI tables yet)
    metadata.create_all(engine, tables=[sources, observations, meta, observation_revisions])
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(insert(sources).values(id="s1", title="A source", licence="CC BY 4.0"))
        conn.execute(insert(observations).values(indicator_id="x", region="KZ-AST", period="2024", value=7.5,
                                                 source_id="s1", retrieved_at=now))
    assert current_revision(engine) is None

    init_store(engine)

    assert current_revision(engine) == head_revision()
    assert {"kpi_kpis", "kpi_actuals", "kpi_audit"} <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        kept = conn.execute(select(observations.c.value).where(observations.c.indicator_id == "x")).scalar_one()
        total = conn.execute(select(func.count()).select_from(observations)).scalar_one()
    assert kept == 7.5 and total == 1  # a store with data is not re-seeded
    assert schema_differences(engine) == []
    engine.dispose()


def test_a_waiting_replica_neither_creates_tables_nor_starts_before_the_migration(
        any_db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(any_db_url)
    monkeypatch.setenv("DENSAULYQ_MIGRATE", "wait")
    with pytest.raises(SchemaNotReady, match="python -m store migrate"):
        wait_for_schema(engine, timeout_s=0.5, poll_s=0.1)
    assert "observations" not in inspect(engine).get_table_names()

    released: list[str] = []
    waiter = threading.Thread(target=lambda: released.append(wait_for_schema(engine, timeout_s=30, poll_s=0.1)))
    waiter.start()
    upgrade(engine)  # the Job
    waiter.join(30)
    assert released == [head_revision()]
    init_store(engine)  # a replica starting now finds the schema and does not seed
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(observations)).scalar_one() == 0
    engine.dispose()


def test_two_processes_migrating_at_once_do_not_race(any_db_url: str) -> None:
    results: list[str] = []
    errors: list[BaseException] = []

    def migrate() -> None:
        engine = make_engine(any_db_url)
        try:
            results.append(upgrade(engine))
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=migrate) for _unused in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == [] and results == [head_revision()] * 2
    assert schema_differences(make_engine(any_db_url)) == []
