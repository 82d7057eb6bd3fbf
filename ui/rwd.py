"""Cached read of the last real-world-data run (what is shown is ``readmodel.rwd``'s decision)."""

from __future__ import annotations

import streamlit as st

from readmodel import ReadPolicy
from readmodel.rwd import latest_rwd_run
from store import open_store
from ui import data
from ui.context import settings


@st.cache_data(ttl=data.CACHE_TTL_S, show_spinner=False)
def _latest(url: str, read_policy: ReadPolicy) -> dict | None:
    return latest_rwd_run(open_store(url), read_policy)


def latest_run() -> dict | None:
    return _latest(settings().database_url, data.policy())
