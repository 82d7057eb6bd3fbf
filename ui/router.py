"""The router script run for every session: language, store, log-in gate, navigation, the page itself."""

from __future__ import annotations

import base64
from pathlib import Path

import streamlit as st

from core.config import LANGUAGES
from core.i18n import BROWSER_LANGUAGE_COOKIE, LANGUAGE_NAMES, negotiate_language
from ui.context import engine, settings, t
from ui.identity import current_identity
from ui.login import login_addresses, login_navigation, user_sidebar
from ui.nav import DEFAULT_URL_PATH, build_navigation, not_found_pages, registered_specs
from ui.sidebar_nav import draw_navigation, set_document_language
from ui.streamlit_compat import open_default_page_at, requested_page_name
from ui.widgets import url_selectbox

# In the page itself, as a data URL (509 bytes): a ":material/…:" page icon makes the browser fetch the favicon from a
# Google host, and an image file is copied into every session's media store and fetched by the browser from there
# (four requests per first visit, ≈ 2 ms of server CPU per session with the file's reading and hashing).
FAVICON = "data:image/png;base64," + base64.b64encode(
    (Path(__file__).resolve().parent / "assets" / "favicon.png").read_bytes()).decode("ascii")


def run_router() -> None:
    """Draw the shared frame and run the page the URL asks for (or the log-in page in the internal instance)."""
    st.set_page_config(page_title="Densaulyq", page_icon=FAVICON, layout="wide")

    cfg = settings()
    # ?lang= in the URL wins, then the session's choice; on a first visit the browser's language may pick a product
    # language (negotiated on the page request, handed over in a cookie: server/language.py), else the default.
    from_page_request = st.context.cookies.get(BROWSER_LANGUAGE_COOKIE)
    nav_slot = st.sidebar.container()  # the page links come first in the sidebar, drawn once the language is known
    first_choice = from_page_request if from_page_request in LANGUAGES else negotiate_language(
        st.context.headers.get("Accept-Language"), cfg.default_language)
    st.session_state["lang"] = url_selectbox("Language · Язык · Тіл", LANGUAGES, "lang", first_choice,
                                             format_func=LANGUAGE_NAMES.get, container=st.sidebar)
    set_document_language(st.session_state["lang"])
    engine()  # creates and seeds the local store on the very first run (no network involved)

    identity = current_identity()  # from the request's cookie, on every rerun (ui/identity.py)
    # ``/home`` (the default page's own name) opens the default page: Streamlit serves it only at ``/``
    open_default_page_at("login" if identity is None else DEFAULT_URL_PATH)
    if identity is None:  # internal instance: nobody sees a page before logging in
        page = st.navigation([*login_navigation(cfg), *not_found_pages(login_addresses(cfg), _requested())],
                             position="hidden")
    else:
        sections = build_navigation(cfg, identity)
        registered = [spec.url_path for spec in registered_specs(cfg, identity)]
        # hidden: Streamlit's own menu is no valid list for screen readers; ui/sidebar_nav.py draws the links
        page = st.navigation({**sections, "": not_found_pages(registered, _requested())}, position="hidden")
        draw_navigation(sections, nav_slot)
        user_sidebar()
    with st.sidebar:
        st.caption(t("Public read-only instance") if cfg.is_public else t("Internal instance"))
        st.caption(t("Densaulyq: open data on healthcare resilience in Kazakhstan's 17 regions and 3 cities."))
    page.run()


def _requested() -> list[str]:
    """Addresses the browser asked for in this session (kept, so a rerun of a "no such page" notice stays on it)."""
    asked = st.session_state.setdefault("_asked_addresses", [])
    name = requested_page_name()
    if name and name not in asked and len(asked) < 20:
        asked.append(name)
    return asked
