"""The router script run for every session: language, store, log-in gate, navigation, the page itself."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from core.config import LANGUAGES
from core.i18n import LANGUAGE_NAMES
from ui.context import engine, settings, t
from ui.login import login_navigation, needs_login, user_sidebar
from ui.nav import build_navigation
from ui.widgets import url_selectbox

# Served by the app itself: a ":material/…:" page icon makes the browser fetch the favicon from a Google host.
FAVICON = str(Path(__file__).resolve().parent / "assets" / "favicon.png")


def run_router() -> None:
    """Draw the shared frame and run the page the URL asks for (or the log-in page in the internal instance)."""
    # Set at server start by dashboard.py; repeated here for runs without the st.App entry (AppTest).
    PagesManager.uses_pages_directory = False
    st.set_page_config(page_title="Densaulyq", page_icon=FAVICON, layout="wide")

    cfg = settings()
    st.session_state["lang"] = url_selectbox("Language · Язык · Тіл", LANGUAGES, "lang", cfg.default_language,
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
