"""Fixtures of the AppTest page tests: a seeded SQLite store per module and the public app pointed at it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.apptest_helpers import public_app_on


@pytest.fixture(scope="module")
def store_url(_seeded_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """One seeded SQLite store for the module's page runs (a copy of the session's seeded template)."""
    path = tmp_path_factory.mktemp("pages") / "store.sqlite"
    shutil.copyfile(_seeded_sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture()
def app_store(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The public app on the module's store (``pytestmark = pytest.mark.usefixtures("app_store")``)."""
    with public_app_on(store_url, monkeypatch) as url:
        yield url
