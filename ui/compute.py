"""Results of pure computations, cached per inputs: pages call them on every click, their inputs rarely change.

``cached_result(fn, *args)`` keys the result by the function's name and its arguments (data frames hashed by content,
so new data is a new key). One result is kept per process and each caller gets a shallow copy of it
(``ui.process_cache``: pandas copies on write), not an unpickled deep copy. Only for functions whose result depends
on nothing but their arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from ui.process_cache import handed_out

R = TypeVar("R")


@st.cache_resource(ttl=3600, max_entries=512, show_spinner=False)
def _result(name: str, args: tuple, kwargs: tuple, _fn: Callable[..., Any]) -> Any:
    return _fn(*args, **dict(kwargs))


def cached_result(fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """``fn(*args, **kwargs)``, computed once per distinct arguments."""
    return handed_out(_result(f"{fn.__module__}.{fn.__qualname__}", args, tuple(sorted(kwargs.items())), _fn=fn))
