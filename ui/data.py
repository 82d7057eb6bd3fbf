"""Cached reads for pages. The store URL is part of every cache key, so two stores never share a cache entry."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.suppression import DEFAULT_THRESHOLD, suppress_small_numbers
from catalogue import Catalogue, load_catalogue
from core.config import load_settings
from geo import map_geojson
from store import all_sources, observations_for, open_store, periods_for, with_sources
from ui.context import settings

CACHE_TTL_S = 300  # pages see a refresh within five minutes without a restart


def _url() -> str:
    return settings().database_url


@st.cache_resource
def catalogue() -> Catalogue:
    return load_catalogue()


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _observations(url: str, indicator_id: str | None, period: str | None, region: str | None,
                  min_count: int | None = None) -> pd.DataFrame:
    engine = open_store(url)
    if min_count is None:
        return with_sources(observations_for(engine, indicator_id, period, region), all_sources(engine))
    # Suppress over whole indicator × period groups (the national total included), then filter by region.
    obs = _suppressed(observations_for(engine, indicator_id, period), min_count)
    if region is not None:
        obs = obs[obs["region"] == region].reset_index(drop=True)
    return with_sources(obs, all_sources(engine))


def _suppressed(obs: pd.DataFrame, min_count: int) -> pd.DataFrame:
    exempt = settings().section("privacy").get("exempt_indicators", [])
    counts = {i for i, ind in catalogue().items() if ind.value_type == "count"}
    return suppress_small_numbers(obs, min_count, count_indicators=counts, exempt=exempt)


def observations(indicator_id: str | None = None, period: str | None = None, region: str | None = None
                 ) -> pd.DataFrame:
    """Observations with their source title, URL, licence and as-of date. In the public instance small numbers
    are suppressed (``suppressed`` column, note on the row; ``[privacy] min_count`` in config.toml)."""
    cfg = settings()
    min_count = int(cfg.section("privacy").get("min_count", DEFAULT_THRESHOLD)) if cfg.is_public else None
    return _observations(_url(), indicator_id, period, region, min_count)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _periods(url: str, indicator_id: str, regional_only: bool) -> list[str]:
    return periods_for(open_store(url), indicator_id, regional_only)


def periods(indicator_id: str, regional_only: bool = False) -> list[str]:
    return _periods(_url(), indicator_id, regional_only)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _sources(url: str) -> pd.DataFrame:
    return all_sources(open_store(url))


def sources() -> pd.DataFrame:
    return _sources(_url())


@st.cache_resource
def geojson() -> dict:
    cfg = load_settings().section("map")
    return map_geojson(float(cfg.get("simplify_tolerance", 0.01)), int(cfg.get("coordinate_precision", 3)))
