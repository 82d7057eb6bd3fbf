"""Figures built once per inputs and language, shared by every session of the process.

A Plotly figure costs tens of milliseconds to build and validate; pages rebuild theirs on every click although the
inputs rarely change. ``cached_figure(build, *args)`` keys the figure by the builder, its arguments (data frames
hashed by content, so a new store version is a new key) and the reader's language, and returns a frozen figure
(``charts.frozen``) that ``st.plotly_chart`` serialises without deep copies. Callables among the arguments (the
translator ``t``) are left out of the key: the language stands for them; so is the catalogue (one per process).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from catalogue import Catalogue
from charts.frozen import FrozenFigure, freeze
from charts.locale import localize_figure
from ui.context import language

_lock = threading.Lock()  # sessions arriving together build a missing figure once


def _key(value: Any) -> Any:
    if callable(value):
        return "<callable>"
    if isinstance(value, Catalogue):  # one per process, loaded from data/indicators.yaml
        return "<catalogue>"
    return value


@st.cache_resource(max_entries=512, show_spinner=False)
def _figure(name: str, lang: str, args_key: tuple, kwargs_key: tuple, _build: Callable[..., go.Figure],
            _args: tuple, _kwargs: dict) -> FrozenFigure:
    return freeze(localize_figure(_build(*_args, **_kwargs), lang))  # localised before freezing, never after


def cached_figure(build: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> FrozenFigure:
    """``build(*args, **kwargs)``, built once per (builder, arguments, language) and frozen."""
    name = f"{build.__module__}.{build.__qualname__}"
    args_key = tuple(_key(a) for a in args)
    kwargs_key = tuple(sorted((k, _key(v)) for k, v in kwargs.items()))
    with _lock:
        return _figure(name, language(), args_key, kwargs_key, _build=build, _args=args, _kwargs=kwargs)


def frozen(fig: go.Figure) -> FrozenFigure:
    """``fig`` localised to the reader's language and frozen: for figures cached with their page's other outputs
    (``ui.data.view``), which ``cached_figure`` cannot key."""
    return freeze(localize_figure(fig, language()))
