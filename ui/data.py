"""Cached reads for pages: caching only; what is read and what a reader may see is ``readmodel``'s.

Reads are cached per process (``ui.process_cache``: one shared result, shallow copies handed out). The store URL,
the read policy and the store's data version are part of every cache key, so two stores or modes
never share an entry, and a write made through any replica (or the refresh Job) reaches every process within
``VERSION_CHECK_S`` seconds: each process asks the store for its version at most that often.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

import readmodel
from catalogue import Catalogue, load_catalogue
from core.config import load_settings
from core.i18n import N_
from core.provenance_text import localize_columns
from geo import map_geojson
from readmodel import ReadPolicy
from store import open_store
from store.version import cached_data_version
from ui.context import language, settings
from ui.process_cache import SharedCache, handed_out, process_cache

R = TypeVar("R")

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


@st.cache_resource
def catalogue() -> Catalogue:
    return load_catalogue()


@st.cache_resource
def policy() -> ReadPolicy:
    """What this instance's readers may see (public: small numbers suppressed)."""
    return readmodel.policy_for(settings(), catalogue())


OBSERVATION_TEXTS = ("source_title", "source_licence", "note", "boundary_note")


@process_cache(CACHE_ENTRIES)
def _observations(url: str, read_policy: ReadPolicy, version: str, indicator_id: str | None, period: str | None,
                  region: str | None, lang: str = "en") -> pd.DataFrame:
    obs = readmodel.observations(open_store(url), read_policy, indicator_id, period, region)
    return localize_columns(obs, lang, OBSERVATION_TEXTS)


def observations(indicator_id: str | None = None, period: str | None = None, region: str | None = None
                 ) -> pd.DataFrame:
    """Observations with their source title, URL, licence and as-of date, as this instance's readers see them
    (the titles, licences and notes the product writes itself in the reader's language)."""
    return _observations(_url(), policy(), store_version(), indicator_id, period, region, language())


@process_cache(CACHE_ENTRIES)
def _periods(url: str, version: str, indicator_id: str, regional_only: bool) -> list[str]:
    return readmodel.periods(open_store(url), indicator_id, regional_only)


def periods(indicator_id: str, regional_only: bool = False) -> list[str]:
    return _periods(_url(), store_version(), indicator_id, regional_only)


@process_cache(CACHE_ENTRIES)
def _sources(url: str, read_policy: ReadPolicy, version: str, lang: str = "en") -> pd.DataFrame:
    return localize_columns(readmodel.sources(open_store(url), read_policy), lang, ("title", "licence"))


def sources() -> pd.DataFrame:
    return _sources(_url(), policy(), store_version(), language())


@process_cache()
def _revisions(url: str, read_policy: ReadPolicy, version: str) -> pd.DataFrame:
    return readmodel.revisions(open_store(url), read_policy)


def revisions() -> pd.DataFrame:
    """The revision history as this instance's readers may see it (public: no names, small cells blanked)."""
    return _revisions(_url(), policy(), store_version())


@st.cache_resource
def geojson() -> dict:
    cfg = load_settings().section("map")
    return map_geojson(float(cfg.get("simplify_tolerance", 0.01)), int(cfg.get("coordinate_precision", 3)))


@process_cache(CACHE_ENTRIES)
def _headlines(url: str, read_policy: ReadPolicy, version: str) -> tuple[pd.DataFrame, list[str]]:
    from analytics.freshness import recent_headlines
    from analytics.profile import national_headlines

    return recent_headlines(national_headlines(observations(), catalogue()))


def headlines() -> pd.DataFrame:
    """The Overview's national headline figures with their change, and how many years each is behind the newest:
    featured indicators with a value in the last 5 years (``analytics.freshness.HEADLINE_YEARS``), computed once
    per store version."""
    return _headlines(_url(), policy(), store_version())[0]


def headlines_left_out() -> list[str]:
    """Featured indicators whose latest national value is too old to be a headline."""
    return _headlines(_url(), policy(), store_version())[1]


@process_cache(CACHE_ENTRIES)
def _with_denominators(url: str, read_policy: ReadPolicy, version: str) -> set[str]:
    obs = observations()
    return set(obs.loc[obs["denominator"].notna(), "indicator_id"].unique())


def indicators_with_denominators() -> set[str]:
    """Ids of the indicators that have a denominator somewhere (funnel plot candidates), once per store version."""
    return _with_denominators(_url(), policy(), store_version())


@process_cache(CACHE_ENTRIES)
def _freshness(url: str, read_policy: ReadPolicy, version: str) -> pd.DataFrame:
    from analytics.freshness import source_freshness

    return source_freshness(observations(), sources())


def freshness() -> pd.DataFrame:
    """Per source: latest period covered, retrieval date, refresh status (``analytics.freshness``), once per
    store version."""
    return _freshness(_url(), policy(), store_version())


@process_cache(CACHE_ENTRIES)
def _index_inputs(url: str, read_policy: ReadPolicy, version: str, indicator_ids: tuple[str, ...]) -> tuple:
    from analytics.resilience import indicator_table, synthetic_flags

    obs = observations()
    obs = obs[obs["indicator_id"].isin(indicator_ids)]
    table, periods_used = indicator_table(obs, list(indicator_ids))
    return obs, table, periods_used, synthetic_flags(obs, periods_used)


def index_inputs(indicator_ids: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame, dict, pd.DataFrame]:
    """The resilience index's inputs, once per store version: (observations of ``indicator_ids``, regions ×
    indicators at each one's latest regional period, those periods, which of the values are illustrative)."""
    return _index_inputs(_url(), policy(), store_version(), tuple(indicator_ids))


SOURCE_KIND_NAMES = {"snapshot": N_("Embedded snapshot (real published figures)"), "api": N_("Fetched from an API"),
                     "upload": N_("Uploaded files"), "derived": N_("Derived by Densaulyq"),
                     "synthetic": N_("Illustrative series")}
REFRESH_NAMES = {"ok": N_("OK"), "failed": N_("Failed")}


@process_cache(CACHE_ENTRIES)
def _freshness_table(url: str, read_policy: ReadPolicy, version: str, lang: str) -> pd.DataFrame:
    from core.i18n import format_date, translate
    from ui.tables import MISSING

    fresh = _freshness(url, read_policy, version)

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


def freshness_table(lang: str) -> pd.DataFrame:
    """The Overview's data-freshness table in ``lang`` (column names translated), once per store version."""
    return _freshness_table(_url(), policy(), store_version(), lang)


_VIEWS = SharedCache(max_entries=512)


def view(name: str, key: tuple, build: Callable[[], R]) -> R:
    """What ``build()`` returns, built once per (``name``, ``key``, store, read policy, data version, language) in
    this process and shared by every session (each gets a copy-on-write copy): for tables a page derives from the
    store, which would otherwise be rebuilt on every click. ``build`` must depend on nothing but the store, the
    language and ``key``."""
    from ui.context import language

    return handed_out(_VIEWS.get((name, key, _url(), policy(), store_version(), language()), build))
