"""Cached reads for pages: caching only; what is read and what a reader may see is ``readmodel``'s.

The store URL and the read policy are part of every cache key, so two stores or modes never share an entry."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import readmodel
from catalogue import Catalogue, load_catalogue
from core.config import load_settings
from geo import map_geojson
from readmodel import ReadPolicy
from store import open_store
from ui.context import settings

CACHE_TTL_S = 300  # pages see a refresh within five minutes without a restart


def _url() -> str:
    return settings().database_url


@st.cache_resource
def catalogue() -> Catalogue:
    return load_catalogue()


@st.cache_resource
def policy() -> ReadPolicy:
    """What this instance's readers may see (public: small numbers suppressed)."""
    return readmodel.policy_for(settings(), catalogue())


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _observations(url: str, read_policy: ReadPolicy, indicator_id: str | None, period: str | None,
                  region: str | None) -> pd.DataFrame:
    return readmodel.observations(open_store(url), read_policy, indicator_id, period, region)


def observations(indicator_id: str | None = None, period: str | None = None, region: str | None = None
                 ) -> pd.DataFrame:
    """Observations with their source title, URL, licence and as-of date, as this instance's readers see them."""
    return _observations(_url(), policy(), indicator_id, period, region)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _periods(url: str, indicator_id: str, regional_only: bool) -> list[str]:
    return readmodel.periods(open_store(url), indicator_id, regional_only)


def periods(indicator_id: str, regional_only: bool = False) -> list[str]:
    return _periods(_url(), indicator_id, regional_only)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _sources(url: str, read_policy: ReadPolicy) -> pd.DataFrame:
    return readmodel.sources(open_store(url), read_policy)


def sources() -> pd.DataFrame:
    return _sources(_url(), policy())


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _revisions(url: str, read_policy: ReadPolicy) -> pd.DataFrame:
    return readmodel.revisions(open_store(url), read_policy)


def revisions() -> pd.DataFrame:
    """The revision history as this instance's readers may see it (public: no names, small cells blanked)."""
    return _revisions(_url(), policy())


@st.cache_resource
def geojson() -> dict:
    cfg = load_settings().section("map")
    return map_geojson(float(cfg.get("simplify_tolerance", 0.01)), int(cfg.get("coordinate_precision", 3)))
