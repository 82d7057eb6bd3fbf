"""Shared fixtures: every test gets its own SQLite store (seeded from the embedded snapshot) and config."""

from __future__ import annotations

import os
import sys
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
    from store import init_store, make_engine

    return init_store(make_engine(db_url))


@pytest.fixture()
def app_env(monkeypatch: pytest.MonkeyPatch, db_url: str) -> str:
    """Environment for AppTest runs: a private store, public mode unless a test says otherwise."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DENSAULYQ_MODE", os.environ.get("DENSAULYQ_TEST_MODE", "public"))
    return db_url
