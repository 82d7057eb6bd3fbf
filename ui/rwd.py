"""Cached read of the last real-world-data run (what is shown is ``readmodel.rwd``'s decision)."""

from __future__ import annotations

from readmodel.rwd import latest_rwd_run
from ui.data import StoreRead, store_read


@store_read(per_language=False)  # the report's numbers; pages word them
def latest_run(read: StoreRead) -> dict | None:
    return latest_rwd_run(read.engine, read.policy)
