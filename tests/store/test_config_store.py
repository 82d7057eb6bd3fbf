"""Settings and the store: a SQLite file created and seeded on first run, wherever config or DATABASE_URL says."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from core.config import ConfigError, load_settings
from core.paths import REPO_ROOT
from data_sources.seed import init_store, open_store
from store import make_engine, observations_for
from store.schema import observations


def _config(tmp_path: Path, store_url: str = "sqlite:///var/test.sqlite", mode: str = "public") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[app]\nmode = "{mode}"\ndefault_language = "en"\ndefault_indicator = "physicians_per_10k"\n'
                    f'[store]\nurl = "{store_url}"\n[map]\nclasses = 4\n', encoding="utf-8")
    return path


def test_relative_sqlite_url_in_config_is_read_from_the_repo_root(tmp_path: Path) -> None:
    settings = load_settings(_config(tmp_path), env={})
    assert settings.database_url == f"sqlite:///{REPO_ROOT / 'var' / 'test.sqlite'}"
    assert settings.default_indicator == "physicians_per_10k"
    assert settings.section("map")["classes"] == 4
    assert settings.section("nothing_here") == {}


def test_database_url_overrides_the_config(tmp_path: Path) -> None:
    absolute = f"sqlite:///{tmp_path / 'elsewhere.sqlite'}"
    assert load_settings(_config(tmp_path), env={"DATABASE_URL": absolute}).database_url == absolute
    pg = "postgresql+psycopg://user:pw@db.example:5432/densaulyq"
    assert load_settings(_config(tmp_path), env={"DATABASE_URL": pg}).database_url == pg
    relative = load_settings(_config(tmp_path), env={"DATABASE_URL": "sqlite:///other/x.sqlite"}).database_url
    assert relative == f"sqlite:///{REPO_ROOT / 'other' / 'x.sqlite'}"
    memory = load_settings(_config(tmp_path), env={"DATABASE_URL": "sqlite:///:memory:"}).database_url
    assert memory == "sqlite:///:memory:"


def test_config_file_and_mode_from_the_environment(tmp_path: Path) -> None:
    path = _config(tmp_path, mode="public")
    settings = load_settings(env={"DENSAULYQ_CONFIG": str(path), "DENSAULYQ_MODE": "internal"})
    assert settings.mode == "internal" and not settings.is_public
    assert settings.default_indicator == "physicians_per_10k"
    with pytest.raises(ConfigError, match="mode"):
        load_settings(path, env={"DENSAULYQ_MODE": "secret"})


def test_shipped_config_defaults() -> None:
    settings = load_settings(env={})
    assert settings.mode == "public"
    assert settings.default_language == "en"
    assert settings.database_url.startswith("sqlite:///")


def test_store_is_created_as_a_sqlite_file_on_first_run_and_not_reseeded(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "nested" / "store.sqlite"
    assert not path.exists()
    url = f"sqlite:///{path}"
    engine = init_store(make_engine(url))
    assert path.is_file()
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
        rows = conn.execute("select count(*) from observations").fetchone()[0]
    assert {"sources", "observations", "meta"} <= tables
    assert rows > 1000

    # a stored value survives a restart: the snapshot is loaded only into an empty store
    with engine.begin() as conn:
        conn.execute(update(observations).where(observations.c.indicator_id == "population_total")
                     .values(note="edited by test"))
    engine.dispose()
    again = init_store(make_engine(url))
    with again.connect() as conn:
        assert conn.execute(select(func.count()).select_from(observations)).scalar_one() == rows
    pop = observations_for(again, "population_total")
    assert (pop["note"] == "edited by test").all()


def test_open_store_returns_a_ready_engine_per_url(db_url: str) -> None:
    engine = open_store(db_url)
    assert engine is open_store(db_url)
    life = observations_for(engine, "life_expectancy_years", region="KZ-71")
    assert len(life) > 5
