"""Figures built once per inputs and language, shared by every session of the process.

A Plotly figure costs tens of milliseconds to build and validate; pages rebuild theirs on every click although the
inputs rarely change. ``cached_figure(build, *args)`` keys the figure by the builder, its arguments (data frames
by content: ``ui.process_cache.content_key``, so a new store version is a new key) and the reader's language, and
returns a frozen figure
(``charts.frozen``) that ``st.plotly_chart`` serialises without deep copies. Callables among the arguments (the
translator ``t``) are left out of the key: the language stands for them; so is the catalogue (one per process).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go

from catalogue import Catalogue
from charts.frozen import FrozenFigure, freeze
from charts.locale import localize_figure
from ui.compute import function_cache
from ui.context import language
from ui.process_cache import content_key

FIGURES_PER_BUILDER = 128  # figures kept per builder (least recently used dropped first)


def _key(value: Any) -> Any:
    if callable(value):
        return "<callable>"
    if isinstance(value, Catalogue):  # one per process, loaded from data/indicators.yaml
        return "<catalogue>"
    return content_key(value)


def cached_figure(build: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> FrozenFigure:
    """``build(*args, **kwargs)``, built once per (builder, arguments, language) and frozen."""
    cache = function_cache(f"figure:{build.__module__}.{build.__qualname__}", FIGURES_PER_BUILDER)
    lang = language()
    key = (lang, tuple(_key(a) for a in args), tuple(sorted((k, _key(v)) for k, v in kwargs.items())))
    # one build per key even when sessions arrive together; localised before freezing, never after
    return cache.get(key, lambda: freeze(localize_figure(build(*args, **kwargs), lang)))


def frozen(fig: go.Figure) -> FrozenFigure:
    """``fig`` localised to the reader's language and frozen: for figures cached with their page's other outputs
    (``ui.data.view``), which ``cached_figure`` cannot key."""
    return freeze(localize_figure(fig, language()))
