"""Cached read of the last real-world-data run (what is shown is ``readmodel.rwd``'s decision)."""

from __future__ import annotations

from readmodel import ReadPolicy
from readmodel.rwd import latest_rwd_run
from store import open_store
from ui import data
from ui.context import settings
from ui.process_cache import process_cache


@process_cache()
def _latest(url: str, read_policy: ReadPolicy, version: str) -> dict | None:
    return latest_rwd_run(open_store(url), read_policy)


def latest_run() -> dict | None:
    return _latest(settings().database_url, data.policy(), data.store_version())
