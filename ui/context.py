"""Per-process settings and store, and the current language; ``t()`` is the one translation function of the UI."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from core.config import Settings, load_settings
from core.i18n import Msgid, translate
from data_sources.seed import open_store


@st.cache_resource
def settings() -> Settings:
    return load_settings()


def engine() -> Engine:
    return open_store(settings().database_url)


def language() -> str:
    return st.session_state.get("lang") or settings().default_language


def t(msgid: Msgid, **values: object) -> str:
    """Translate a UI text into the language the user chose (English source text is the message id); a plural
    pair ``P_("{n} row", "{n} rows")`` takes the form the language uses for ``n``."""
    return translate(msgid, language(), **values)
