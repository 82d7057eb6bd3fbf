"""Shared by the concurrency tests of the one write path (store/revisions.py): hold two writers after planning."""

from __future__ import annotations

import contextlib
import threading

import pytest

from store import revisions


def hold_writers_after_planning(monkeypatch: pytest.MonkeyPatch, timeout_s: float = 1.5) -> None:
    """From now on each writer waits (up to ``timeout_s``) for the other after planning its changes, so that without
    locking both would plan from the same state; a writer blocked by the other's lock breaks the wait and goes on."""
    barrier = threading.Barrier(2)
    plan = revisions.plan_changes

    def plan_then_wait(*args, **kwargs):
        planned = plan(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):  # the other writer waits for our lock: go on
            barrier.wait(timeout=timeout_s)
        return planned
    monkeypatch.setattr(revisions, "plan_changes", plan_then_wait)
