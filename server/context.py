"""What every open-data request reads from: settings, catalogue, store and read policy, built once per process.

Keyed by the environment that chooses them (config file, mode, store URL, language), so a test that points the
process at another store or mode gets its own context instead of a stale one.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine

import readmodel
from catalogue import Catalogue, load_catalogue
from catalogue.loader import CATALOGUE_FILE
from core.config import Settings, load_settings
from core.paths import REPO_ROOT
from readmodel import ReadPolicy
from store import open_store

_ENV_KEYS = ("DENSAULYQ_CONFIG", "DENSAULYQ_MODE", "DATABASE_URL", "DENSAULYQ_LANGUAGE")


@dataclass(frozen=True)
class ReadContext:
    settings: Settings
    catalogue: Catalogue
    engine: Engine
    policy: ReadPolicy
    catalogue_hash: str
    app_version: str

    @property
    def open_data(self) -> dict[str, Any]:
        """``config.toml [open_data]``: cache lifetime, streaming threshold, internal-mode access."""
        return self.settings.section("open_data")

    @property
    def max_age_s(self) -> int:
        return int(self.open_data.get("max_age_s", 300))


@lru_cache(maxsize=1)
def app_version() -> str:
    with open(REPO_ROOT / "pyproject.toml", "rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


@lru_cache(maxsize=1)
def catalogue_hash() -> str:
    return hashlib.sha256(CATALOGUE_FILE.read_bytes()).hexdigest()[:16]


@lru_cache(maxsize=8)
def _context(_env: tuple[str | None, ...]) -> ReadContext:
    settings = load_settings()
    catalogue = load_catalogue()
    return ReadContext(settings=settings, catalogue=catalogue, engine=open_store(settings.database_url),
                       policy=readmodel.policy_for(settings, catalogue), catalogue_hash=catalogue_hash(),
                       app_version=app_version())


def read_context() -> ReadContext:
    return _context(tuple(os.environ.get(k) for k in _ENV_KEYS))
