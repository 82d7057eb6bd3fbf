"""One schema, one mechanism (SQLite and PostgreSQL): every table of the product is in ``store.schema.metadata``,
``alembic upgrade head`` creates all of them in an empty database and gives exactly the models' schema, a store of
the previous version keeps its log-in sessions, throttle counters and RWD run reports through the upgrade, and
nothing else creates a table. The snapshot is loaded by ``data_sources.seed``, never by ``store``."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import tokenize
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, insert, inspect, select

from data_sources import __main__ as data_sources_cli
from data_sources.seed import init_store
from store import __main__ as store_cli
from store import make_engine, open_store
from store.migrate import current_revision, head_revision, upgrade
from store.schema import auth_sessions, auth_throttle, metadata, observations, rwd_runs

ROOT = Path(__file__).resolve().parents[2]
EVERY_TABLE = {"sources", "observations", "observation_revisions", "meta", "kpi_kpis", "kpi_region_targets",
               "kpi_actuals", "kpi_publications", "kpi_audit", "kpi_meta", "auth_sessions", "auth_throttle",
               "rwd_runs"}
PREVIOUS = "0003_revision_old_note"  # the head before the log-in tables and rwd_runs came under Alembic
AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def differences(engine) -> list:
    """What ``alembic revision --autogenerate`` would still find between the database and the models."""
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    # Indexes reflected differently by the two dialects are not schema drift; tables and columns are.
    return [d for d in diffs if not (isinstance(d, tuple) and d[0] in ("add_index", "remove_index"))]


def test_the_one_metadata_holds_every_table_of_the_product() -> None:
    assert set(metadata.tables) == EVERY_TABLE


def _calls(path: Path, names: set[str]) -> list[str]:
    """``name(`` in the code of ``path`` (not in its strings or comments)."""
    tokens = [tok for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
              if tok.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.STRING)]
    return [f"{path.relative_to(ROOT)}:{tok.start[0]}: {tok.string}(" for tok, after in itertools.pairwise(tokens)
            if tok.type == tokenize.NAME and tok.string in names and after.string == "("]


def test_one_schema_in_the_code_and_no_table_made_outside_the_migrations() -> None:
    """What ``git grep "create_all\\|MetaData("`` shows, in the product's code (tests may build old stores)."""
    files = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    found = [hit for name in files if not name.startswith("tests/")
             for hit in _calls(ROOT / name, {"MetaData", "create_all"})]
    assert found == [f"store/schema.py:{_line_of('metadata = MetaData()')}: MetaData("]


def _line_of(text: str) -> int:
    lines = (ROOT / "store" / "schema.py").read_text(encoding="utf-8").splitlines()
    return lines.index(text) + 1


def test_alembic_upgrade_head_on_an_empty_database_creates_every_table(any_db_url: str) -> None:
    engine = make_engine(any_db_url)
    assert upgrade(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) == EVERY_TABLE | {"alembic_version"}
    assert differences(engine) == []
    with engine.connect() as conn:  # the schema only: no data came with it
        assert conn.execute(select(func.count()).select_from(observations)).scalar_one() == 0
    engine.dispose()


def test_python_m_store_migrate_migrates_an_empty_database(any_db_url: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", any_db_url)
    monkeypatch.setenv("DENSAULYQ_MIGRATE", "wait")  # what the replicas are told; the command migrates anyway
    assert store_cli.main(["migrate"]) == 0
    engine = make_engine(any_db_url)
    assert current_revision(engine) == head_revision()
    assert differences(engine) == []
    engine.dispose()


def _old_app_tables(engine) -> None:
    """What the previous version did at start: its own create_all of the log-in tables and rwd_runs (the same
    columns as now), then log-ins, a failed log-in and an RWD run."""
    with engine.begin() as conn:
        for table in (auth_sessions, auth_throttle, rwd_runs):
            table.create(conn)
        conn.execute(insert(auth_sessions).values(token_hash="a" * 64, user_name="editor", created_at=AT,
                                                  expires_at=AT))
        conn.execute(insert(auth_throttle).values(key="user:editor", failures=2, last_failure_at=AT))
        conn.execute(insert(rwd_runs).values(finished_at=AT, extract_name="Synthetic", as_of="2024-12-31",
                                             engine="duckdb", synthetic=True, report='{"written": {}}'))


def test_a_store_of_the_previous_version_is_upgraded_and_keeps_its_log_ins_and_run_reports(any_db_url: str) -> None:
    engine = make_engine(any_db_url)
    upgrade(engine, PREVIOUS)
    _old_app_tables(engine)

    assert upgrade(engine) == head_revision()

    assert differences(engine) == []
    with engine.connect() as conn:
        assert conn.execute(select(auth_sessions.c.user_name)).scalars().all() == ["editor"]
        assert conn.execute(select(auth_throttle.c.failures)).scalars().all() == [2]
        assert conn.execute(select(rwd_runs.c.extract_name)).scalars().all() == ["Synthetic"]
    engine.dispose()


def test_a_store_of_the_previous_version_that_never_had_them_gets_the_tables(any_db_url: str) -> None:
    engine = make_engine(any_db_url)
    upgrade(engine, PREVIOUS)
    assert not {"auth_sessions", "auth_throttle", "rwd_runs"} & set(inspect(engine).get_table_names())

    upgrade(engine)

    assert set(inspect(engine).get_table_names()) == EVERY_TABLE | {"alembic_version"}
    assert differences(engine) == []
    engine.dispose()


def test_the_store_opens_empty_and_the_seeder_fills_it_once(db_url: str) -> None:
    assert open_store(db_url) is open_store(db_url)
    with open_store(db_url).connect() as conn:
        assert conn.execute(select(func.count()).select_from(observations)).scalar_one() == 0
    engine = init_store(make_engine(db_url))
    with engine.connect() as conn:
        loaded = conn.execute(select(func.count()).select_from(observations)).scalar_one()
    assert loaded > 1000
    init_store(engine)  # a second start does not load it again
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(observations)).scalar_one() == loaded
    engine.dispose()


def test_python_m_data_sources_seed_is_the_migration_job(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    first, second = io.StringIO(), io.StringIO()
    assert data_sources_cli.main(["seed"], out=first) == 0
    assert data_sources_cli.main(["seed"], out=second) == 0
    assert f"store at {head_revision()}" in first.getvalue()
    assert re.search(r"embedded snapshot loaded: \d{4,} observations", first.getvalue()), first.getvalue()
    assert "none loaded" in second.getvalue()
