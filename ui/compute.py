"""Results of pure computations, cached per inputs: pages call them on every click, their inputs rarely change.

``cached_result(fn, *args)`` keys the result by the function's name and the content of its arguments
(``ui.process_cache.content_key``: data frames by a digest of their cells, so new data is a new key). One result is
kept per process and each caller gets a shallow copy of it (``ui.process_cache``: pandas copies on write), not an
unpickled deep copy. Only for functions whose result depends on nothing but their arguments.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from ui.process_cache import SharedCache, content_key, handed_out

R = TypeVar("R")

RESULTS_PER_FUNCTION = 64  # results kept per function (least recently used dropped first)
_caches: dict[str, SharedCache] = {}
_caches_lock = threading.Lock()


def function_cache(name: str, max_entries: int) -> SharedCache:
    """The cache of one function (by qualified name): a slow build of one never waits for another's."""
    with _caches_lock:
        if name not in _caches:
            _caches[name] = SharedCache(max_entries)
        return _caches[name]


def cached_result(fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """``fn(*args, **kwargs)``, computed once per distinct arguments."""
    cache = function_cache(f"{fn.__module__}.{fn.__qualname__}", RESULTS_PER_FUNCTION)
    key = (content_key(args), content_key(tuple(sorted(kwargs.items()))))
    return handed_out(cache.get(key, lambda: fn(*args, **kwargs)))
