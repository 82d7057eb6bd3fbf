"""Cached reads for pages: caching only; what is read and what a reader may see is ``readmodel``'s.

The one page cache (docs/caching.md): ``@store_read`` caches a function of the store per process (one shared
result, shallow copies handed out: ``ui.process_cache``). The decorated function receives a ``StoreRead`` as its
first argument (store URL, read policy, the store's data version and the reader's language) and callers never
pass it: the decorator builds it and it is part of every key, so two stores or modes
never share an entry and a cached read can not forget the version. A write made through any replica (or the refresh
Job) reaches every process within ``VERSION_CHECK_S`` seconds: each process asks the store for its version at most
that often (the internal instance, where editors write, on every read). ``view()`` keys what a page derives from
such reads the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

import readmodel
from catalogue import Catalogue, load_catalogue
from charts.map_geometry import geometry_path
from core.config import load_settings
from core.i18n import N_
from core.provenance_text import localize_columns
from geo import map_geojson, map_simplification
from readmodel import ReadPolicy
from store import open_store
from store.version import cached_data_version
from ui.context import language, settings
from ui.process_cache import SharedCache, handed_out, process_cache

R = TypeVar("R")
P = ParamSpec("P")

CACHE_ENTRIES = 256  # per cached function, bounds memory whatever readers ask for
VERSION_CHECK_S = 3.0  # how stale a process's idea of the store's version may get


def _url() -> str:
    return settings().database_url


def store_version(url: str | None = None, max_age_s: float | None = None) -> str:
    """The store's data version, read from the database at most once per ``max_age_s`` per process (the copy the
    HTTP ETags share, ``store.version.cached_data_version``).

    The public instance never writes, so it checks every ``VERSION_CHECK_S``; the internal one checks on every
    read, so an editor sees their own change at once."""
    if max_age_s is None:
        max_age_s = VERSION_CHECK_S if settings().is_public else 0.0
    return cached_data_version(open_store(url or _url()), max_age_s)


@dataclass(frozen=True)
class StoreRead:
    """Which store a cached read reads, as whom, at which data version (and in which language): its cache key."""

    url: str
    policy: ReadPolicy
    version: str
    lang: str | None = None  # None for a ``per_language=False`` read

    @property
    def engine(self) -> Engine:
        return open_store(self.url)


def current_read(per_language: bool = False) -> StoreRead:
    """The ``StoreRead`` of this script run: this instance's store and policy, its current data version."""
    return StoreRead(_url(), policy(), store_version(), language() if per_language else None)


def store_read(max_entries: int = CACHE_ENTRIES, *, per_language: bool = True
               ) -> Callable[[Callable[Concatenate[StoreRead, P], R]], Callable[P, R]]:
    """Cache ``fn(read, *args)`` per (``current_read()``, args) in this process; callers call ``fn(*args)``.

    ``args`` must be hashable. The result is shared: each caller gets a copy it may change
    (``ui.process_cache.handed_out``). The reader's language is part of the key (``read.lang``), since a read
    that uses another read (observations, sources) carries texts in that language; ``per_language=False`` only for
    a result with no text the product translates (ids, periods, numbers)."""

    def decorate(fn: Callable[Concatenate[StoreRead, P], R]) -> Callable[P, R]:
        per_read = process_cache(max_entries)(fn)  # keyed by every argument, the StoreRead first

        @wraps(fn)
        def cached(*args: P.args, **kwargs: P.kwargs) -> R:
            return per_read(current_read(per_language), *args, **kwargs)

        cached.cache_clear = per_read.cache_clear  # type: ignore[attr-defined]
        return cached

    return decorate


@st.cache_resource
def catalogue() -> Catalogue:
    return load_catalogue()


@st.cache_resource
def policy() -> ReadPolicy:
    """What this instance's readers may see (public: small numbers suppressed)."""
    return readmodel.policy_for(settings(), catalogue())


OBSERVATION_TEXTS = ("source_title", "source_licence", "note", "boundary_note")


@store_read()
def observations(read: StoreRead, indicator_id: str | None = None, period: str | None = None,
                 region: str | None = None) -> pd.DataFrame:
    """Observations with their source title, URL, licence and as-of date, as this instance's readers see them
    (the titles, licences and notes the product writes itself in the reader's language)."""
    obs = readmodel.observations(read.engine, read.policy, indicator_id, period, region)
    return localize_columns(obs, read.lang or "en", OBSERVATION_TEXTS)


@store_read(per_language=False)
def periods(read: StoreRead, indicator_id: str, regional_only: bool = False) -> list[str]:
    return readmodel.periods(read.engine, indicator_id, regional_only)


@store_read()
def sources(read: StoreRead) -> pd.DataFrame:
    return localize_columns(readmodel.sources(read.engine, read.policy), read.lang or "en", ("title", "licence"))


@store_read(per_language=False)  # names and notes as stored
def revisions(read: StoreRead) -> pd.DataFrame:
    """The revision history as this instance's readers may see it (public: no names, small cells blanked)."""
    return readmodel.revisions(read.engine, read.policy)


@st.cache_resource
def geojson() -> dict:
    return map_geojson(*map_simplification(load_settings().section("map")))


@st.cache_resource
def geometry_url() -> str:
    """The URL of the map's boundaries as a static file (``charts.map_geometry``), relative to a page of the app;
    read once per process, like the boundaries themselves."""
    return geometry_path(*map_simplification(load_settings().section("map")))


@store_read()
def _headlines(read: StoreRead) -> tuple[pd.DataFrame, list[str]]:
    from analytics.freshness import recent_headlines
    from analytics.profile import national_headlines

    return recent_headlines(national_headlines(observations(), catalogue()))


def headlines() -> pd.DataFrame:
    """The Overview's national headline figures with their change, and how many years each is behind the newest:
    featured indicators with a value in the last 5 years (``analytics.freshness.HEADLINE_YEARS``), computed once
    per store version."""
    return _headlines()[0]


def headlines_left_out() -> list[str]:
    """Featured indicators whose latest national value is too old to be a headline."""
    return _headlines()[1]


@store_read(per_language=False)
def indicators_with_denominators(read: StoreRead) -> set[str]:
    """Ids of the indicators that have a denominator somewhere (funnel plot candidates), once per store version."""
    obs = observations()
    return set(obs.loc[obs["denominator"].notna(), "indicator_id"].unique())


@store_read()
def freshness(read: StoreRead) -> pd.DataFrame:
    """Per source: latest period covered, retrieval date, refresh status (``analytics.freshness``), once per
    store version."""
    from analytics.freshness import source_freshness

    return source_freshness(observations(), sources())


@store_read()
def index_inputs(read: StoreRead, indicator_ids: tuple[str, ...]
                 ) -> tuple[pd.DataFrame, pd.DataFrame, dict, pd.DataFrame]:
    """The resilience index's inputs, once per store version: (observations of ``indicator_ids``, regions ×
    indicators at each one's latest regional period, those periods, which of the values are illustrative)."""
    from analytics.resilience import indicator_table, synthetic_flags

    obs = observations()
    obs = obs[obs["indicator_id"].isin(indicator_ids)]
    table, periods_used = indicator_table(obs, list(indicator_ids))
    return obs, table, periods_used, synthetic_flags(obs, periods_used)


SOURCE_KIND_NAMES = {"snapshot": N_("Embedded snapshot (real published figures)"), "api": N_("Fetched from an API"),
                     "upload": N_("Uploaded files"), "derived": N_("Derived by Densaulyq"),
                     "synthetic": N_("Illustrative series")}
REFRESH_NAMES = {"ok": N_("OK"), "failed": N_("Failed")}


@store_read()
def freshness_table(read: StoreRead, lang: str) -> pd.DataFrame:
    """The Overview's data-freshness table in ``lang`` (column names translated), once per store version."""
    from core.i18n import format_date, translate
    from ui.tables import MISSING

    fresh = freshness()

    def name(msgid: str) -> str:
        return translate(msgid, lang)

    return pd.DataFrame({
        name("Source"): fresh["title"], name("Latest period"): fresh["latest_period"].fillna(MISSING),
        name("Retrieved"): pd.to_datetime(fresh["as_of"]).map(
            lambda d: MISSING if pd.isna(d) else format_date(d, lang)),
        name("Kind"): fresh["kind"].map({k: name(v) for k, v in SOURCE_KIND_NAMES.items()}).fillna(MISSING),
        name("Indicators"): fresh["indicators"],
        name("Last refresh"): fresh["last_status"].map({k: name(v) for k, v in REFRESH_NAMES.items()}).fillna(MISSING),
    })


_VIEWS = SharedCache(max_entries=512)


def view(name: str, key: tuple, build: Callable[[], R]) -> R:
    """What ``build()`` returns, built once per (``name``, ``key``, ``current_read`` with the language) in this
    process and shared by every session (each gets a copy-on-write copy): for tables a page derives from the
    store, which would otherwise be rebuilt on every click. ``build`` must depend on nothing but the store, the
    language and ``key``."""
    return handed_out(_VIEWS.get((name, key, current_read(per_language=True)), build))
