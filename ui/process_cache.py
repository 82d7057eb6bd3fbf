"""A per-process cache for page reads: one shared result per key, handed out without copying its data.

``st.cache_data`` hashes its arguments with Streamlit's hasher and unpickles a fresh copy of the result on every
hit; for the observation table that was most of the Overview's rerun (and of every page that reads it). The keys
of our cached reads are already small and hashable (store URL, read policy, data version, ids), and pandas ≥ 3
copies on write, so a *shallow* copy of a cached frame is as safe as a deep one: a page that adds a column or
changes a value changes its own copy, never the shared one. ``process_cache`` gives each caller such a copy
(a new list/set/dict for those), builds a missing entry once even when readers arrive together, and keeps at most
``max_entries`` entries (least recently used dropped first). ``cache_clear()`` empties it (tests, benchmarks).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any, TypeVar

import pandas as pd

R = TypeVar("R")

_all: list[Callable[[], None]] = []


def handed_out(value: Any) -> Any:
    """What one caller receives: a copy it may change without touching the cached value."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)  # copy-on-write (pandas >= 3): data shared until someone writes
    if isinstance(value, dict):
        return {k: handed_out(v) for k, v in value.items()}
    if isinstance(value, list):
        return [handed_out(v) for v in value]
    if isinstance(value, set):
        return set(value)
    if isinstance(value, tuple):
        return tuple(handed_out(v) for v in value)
    return value


class SharedCache:
    """At most ``max_entries`` values by hashable key, least recently used dropped first, for the life of the
    process; a missing value is built once even when readers arrive together (one build at a time per cache).
    Values are returned as stored: callers that may change them hand out copies (``handed_out``). Every instance
    is emptied by ``clear_all``."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.RLock()  # reentrant: a build may read another entry of the same cache
        _all.append(self.clear)

    def get(self, key: Hashable, build: Callable[[], R]) -> R:
        try:
            value = self._entries[key]
            self._entries.move_to_end(key)
            return value
        except KeyError:
            pass
        with self._lock:
            if key not in self._entries:
                self._entries[key] = build()
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
            return self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def process_cache(max_entries: int = 256) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Cache a function of hashable positional arguments for the life of the process (see the module doc)."""

    def decorate(fn: Callable[..., R]) -> Callable[..., R]:
        cache = SharedCache(max_entries)

        @wraps(fn)
        def cached(*args: Hashable) -> R:
            return handed_out(cache.get(args, lambda: fn(*args)))

        cached.cache_clear = cache.clear  # type: ignore[attr-defined]
        return cached

    return decorate


def clear_all() -> None:
    """Empty every process cache (with ``st.cache_data.clear()`` after an import, and in tests)."""
    for clear in _all:
        clear()
