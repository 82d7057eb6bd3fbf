"""Shared fixtures: every test gets its own SQLite store (seeded from the embedded snapshot) and config."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


@pytest.fixture()
def store(db_url: str):
    from data_sources.seed import init_store
    from store import make_engine

    return init_store(make_engine(db_url))


@pytest.fixture()
def app_env(monkeypatch: pytest.MonkeyPatch, db_url: str) -> str:
    """Environment for AppTest runs: a private store, public mode unless a test says otherwise."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DENSAULYQ_MODE", os.environ.get("DENSAULYQ_TEST_MODE", "public"))
    return db_url


def _pg_server_url() -> str:
    """The test PostgreSQL server (``scripts/test_postgres.sh start`` exports it; .ci/run starts one). Missing:
    skipped on a workstation, a failure under CI (``CI`` set), so CI can never silently skip PostgreSQL."""
    url = os.environ.get("DENSAULYQ_TEST_PG_URL")
    if not url:
        message = "DENSAULYQ_TEST_PG_URL is not set (start one with: source scripts/test_postgres.sh start)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server (dropped afterwards)."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(_pg_server_url())
    # one database per test, named after the xdist worker (gw0, gw1, ...) that made it: parallel workers never share
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"test_{worker}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        from store.db import open_store  # data_sources.seed.open_store opens through it

        open_store.cache_clear()  # engines of the dropped database must not be reused
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture()
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store URL for a test that must hold on both databases: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture()
def engine(any_db_url: str):
    """The store at ``any_db_url`` (both databases) opened as the app opens it: schema, then the embedded snapshot."""
    from data_sources.seed import init_store
    from store import make_engine

    engine = init_store(make_engine(any_db_url))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory):
    """One real-world-data run: the hand-checked extract (tests/rwd_fixture.py) computed for 2024 on DuckDB, real
    records (not synthetic); one per test module."""
    from rwd.compute import compute
    from rwd.engines import DuckDBEngine
    from tests.rwd_fixture import write_extract

    duck = DuckDBEngine()
    try:
        return compute(duck, write_extract(tmp_path_factory.mktemp("cdm")), ["2024"], synthetic=False)
    finally:
        duck.close()


@pytest.fixture(scope="session")
def spark():
    """One local Spark session per test process (per xdist worker), shared by every Spark test of the run (a
    module-scoped session started a JVM per module). Needs Java: skipped on a workstation without it, a failure
    under CI (.ci/run installs a JDK)."""
    import shutil

    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        message = "java is missing: PySpark needs a JDK (.ci/run installs openjdk-17-jre-headless)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from rwd.engines import SMALL_DATA_CONF, spark_session

    session = spark_session("local[2]", conf=SMALL_DATA_CONF)
    yield session
    session.stop()


@pytest.fixture(scope="session")
def _seeded_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite store seeded from the embedded snapshot, made once per test session (seeding takes seconds)."""
    from sqlalchemy import text

    from data_sources.seed import init_store
    from store import make_engine

    path = tmp_path_factory.mktemp("seeded") / "template.sqlite"
    engine = init_store(make_engine(f"sqlite:///{path}"))
    with engine.begin() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))  # everything in the main file before it is copied
    engine.dispose()
    return path


@pytest.fixture()
def seeded_db_url(_seeded_sqlite_template: Path, tmp_path: Path) -> str:
    """A private copy of the seeded store for one test (same content as ``db_url`` after seeding, in milliseconds)."""
    import shutil

    path = tmp_path / "store.sqlite"
    shutil.copyfile(_seeded_sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Every test starts with empty per-process page caches (``ui.process_cache``), like a fresh server; tests
    that clear Streamlit's caches between steps get the same for these through ``clear_all``."""
    import sys

    module = sys.modules.get("ui.process_cache")
    if module is not None:
        module.clear_all()
    yield


@pytest.fixture(autouse=True, scope="session")
def _component_manifests_scanned_once() -> Iterator[None]:
    """Every new AppTest scans the metadata of every installed distribution for Streamlit component manifests
    (``streamlit.components.v2.manifest_scanner.scan_component_manifests``, called by its component manager):
    ~0.3 s of CPU per AppTest, two thirds of a warm page run. The installed packages do not change during a test
    run, so the scan runs once per test process. (A test-only shortcut: a served app scans once at start anyway.)"""
    import functools

    from streamlit.components.v2 import manifest_scanner

    real = manifest_scanner.scan_component_manifests
    manifest_scanner.scan_component_manifests = functools.cache(real)
    yield
    manifest_scanner.scan_component_manifests = real
