"""The one page cache: one shared result per key for the life of the process, handed out without copying its data
(docs/caching.md lists who uses it: ``ui.data.store_read`` for reads of the store, keyed by its data version;
``ui.data.view`` for what a page derives from them; ``ui.compute.cached_result``, ``ui.figures.cached_figure`` and
``ui.tables.styled`` for pure computations, keyed by the content of their inputs with ``content_key``).

``st.cache_data`` hashes its arguments with Streamlit's hasher and unpickles a fresh copy of the result on every
hit; for the observation table that was most of the Overview's rerun (and of every page that reads it). The keys
of our cached reads are already small and hashable (store URL, read policy, data version, ids), and pandas ≥ 3
copies on write, so a *shallow* copy of a cached frame is as safe as a deep one: a page that adds a column or
changes a value changes its own copy, never the shared one. ``process_cache`` gives each caller such a copy
(a new list/set/dict for those), builds a missing entry once even when readers arrive together, and keeps at most
``max_entries`` entries (least recently used dropped first). ``cache_clear()`` empties it (tests, benchmarks).
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any, TypeVar

import numpy as np
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
    """Cache a function of hashable arguments for the life of the process (see the module doc). A read of the
    store uses ``ui.data.store_read``, which adds the store's data version to the arguments."""

    def decorate(fn: Callable[..., R]) -> Callable[..., R]:
        cache = SharedCache(max_entries)

        @wraps(fn)
        def cached(*args: Hashable, **kwargs: Hashable) -> R:
            key = (args, tuple(sorted(kwargs.items()))) if kwargs else args
            return handed_out(cache.get(key, lambda: fn(*args, **kwargs)))

        cached.cache_clear = cache.clear  # type: ignore[attr-defined]
        return cached

    return decorate


def frame_digest(df: pd.DataFrame | pd.Series) -> str | None:
    """A fingerprint of a table's columns, types, index and cells (a column holding lists, as label and sparkline
    columns do, by the text of its cells); None when a cell cannot be hashed even so.

    First by the table's pickle (~0.1 ms for a page's table, against ~2 ms hashing column by column: that was a fifth
    of the map page's script run). Equal pickles mean equal content; equal content pickled differently (objects
    shared in one table and not in the other) only costs a cache miss."""
    try:
        return hashlib.blake2b(b"pickle:" + pickle.dumps(df, protocol=5), digest_size=16).hexdigest()
    except Exception:  # an unpicklable cell: hash column by column below
        pass
    frame = df.to_frame() if isinstance(df, pd.Series) else df
    digest = hashlib.blake2b(repr((type(df).__name__, list(frame.columns), [str(d) for d in frame.dtypes])).encode(),
                             digest_size=16)
    digest.update(pd.util.hash_pandas_object(frame.index).to_numpy().tobytes())
    for _name, column in frame.items():
        try:
            hashed = pd.util.hash_pandas_object(column, index=False)
        except TypeError:
            try:
                hashed = pd.util.hash_pandas_object(column.map(repr), index=False)
            except TypeError:
                return None
        digest.update(hashed.to_numpy().tobytes())
    return digest.hexdigest()


class _Unkeyable:
    """A key part equal only to itself: a value with no content key is a cache miss, never a wrong hit."""


def content_key(value: Any) -> Hashable:
    """A hashable key equal for equal content: data frames and arrays by a digest of their cells, containers and
    dataclasses by their items, callables by their qualified name, other values as they are (or, unhashable, by
    type and ``repr``; a ``repr`` never abbreviates what is left once frames and arrays are digested)."""
    if isinstance(value, pd.DataFrame | pd.Series):
        digest = frame_digest(value)
        return ("frame", digest) if digest is not None else _Unkeyable()
    if isinstance(value, np.ndarray):
        return ("array", str(value.dtype), value.shape, hashlib.blake2b(value.tobytes(), digest_size=16).hexdigest())
    if isinstance(value, dict):
        return ("dict", tuple((content_key(k), content_key(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(content_key(v) for v in value))
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted((content_key(v) for v in value), key=repr)))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return ("dataclass", type(value).__qualname__,
                tuple(content_key(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if callable(value) and hasattr(value, "__qualname__"):
        return ("callable", getattr(value, "__module__", ""), value.__qualname__)
    try:
        hash(value)
    except TypeError:
        return ("repr", type(value).__qualname__, repr(value))
    return value


def clear_all() -> None:
    """Empty every process cache (with ``st.cache_data.clear()`` after an import, and in tests)."""
    for clear in _all:
        clear()
