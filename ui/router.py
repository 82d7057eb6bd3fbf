"""The router script run for every session: language, store, log-in gate, navigation, the page itself."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from core.config import LANGUAGES
from core.i18n import LANGUAGE_NAMES, negotiate_language
from ui.context import engine, settings, t
from ui.login import login_navigation, needs_login, user_sidebar
from ui.nav import build_navigation
from ui.widgets import url_selectbox


def run_router() -> None:
    """Draw the shared frame and run the page the URL asks for (or the log-in page in the internal instance)."""
    # Set at server start by dashboard.py; repeated here for runs without the st.App entry (AppTest).
    PagesManager.uses_pages_directory = False
    st.set_page_config(page_title="Densaulyq", page_icon=":material/health_and_safety:", layout="wide")

    cfg = settings()
    # ?lang= in the URL wins, then the session's choice; on a first visit the browser's Accept-Language may pick
    # a product language, else the configured default.
    first_choice = negotiate_language(st.context.headers.get("Accept-Language"), cfg.default_language)
    st.session_state["lang"] = url_selectbox("Language · Язык · Тіл", LANGUAGES, "lang", first_choice,
                                             format_func=LANGUAGE_NAMES.get, container=st.sidebar)
    engine()  # creates and seeds the local store on the very first run (no network involved)

    if needs_login():  # internal instance: nobody sees a page before logging in
        page = st.navigation(login_navigation(cfg), position="hidden")
    else:
        page = st.navigation(build_navigation(cfg))
        user_sidebar()
    with st.sidebar:
        st.caption(t("Public read-only instance") if cfg.is_public else t("Internal instance"))
        st.caption(t("Densaulyq: open data on healthcare resilience in Kazakhstan's 17 regions and 3 cities."))
    page.run()
