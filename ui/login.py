"""The internal instance's log-in gate: OIDC through ``st.login()`` when configured, else the log-in form route.

A Streamlit script can neither set a cookie nor redirect, so the local log-in lives on the HTTP routes
``/auth/login`` and ``/auth/logout`` (``server/login.py``); this page links there with the address first asked for,
and the router checks the resulting cookie on every rerun (``ui/identity.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from urllib.parse import quote, urlencode

import streamlit as st

from auth.passwords import MIN_PASSWORD
from core.config import Settings
from core.i18n import N_
from ui.context import language, settings, t
from ui.identity import current_identity, oidc_configured
from ui.nav import registered_specs

ROLE_NAMES = {"viewer": N_("viewer"), "editor": N_("editor"), "admin": N_("administrator")}
LINK_STYLE = ("display:inline-block;padding:.45rem 1rem;border-radius:.5rem;text-decoration:none;font-weight:600;"
              "background:#1f6f8b;color:#fff")


def needs_login() -> bool:
    """True in the internal instance while nobody is logged in."""
    return not settings().is_public and current_identity() is None


def _here(url_path: str) -> str:
    """The address of this page with its query (page state), for the log-in form to send the browser back to."""
    query = {k: v for k, v in st.query_params.to_dict().items() if k != "lang"}
    path = "/" + url_path if url_path else "/"
    return path + ("?" + urlencode(query) if query else "")


def _login_page(url_path: str) -> Callable[[], None]:
    def login_page() -> None:
        """The only page of the internal instance before log-in."""
        st.title(t("Log in"))
        st.caption(t("This is the internal Densaulyq instance for partners and officials."))
        if oidc_configured():
            if st.button(t("Log in with your organisation account"), type="primary"):
                st.login()
            return
        target = f"/auth/login?lang={language()}&next={quote(_here(url_path), safe='')}"
        label = t("Log in")
        st.html(f'<a href="{escape(target)}" style="{LINK_STYLE}">{escape(label)}</a>')
        st.caption(t("No account yet? Ask an administrator of this instance. They create it on the server with "
                     "{command}; a password has at least {count} characters and is not a common one.",
                     command="`python -m auth add-user NAME --role editor`", count=MIN_PASSWORD))
    return login_page


def login_navigation(cfg: Settings) -> list[st.Page]:
    """The log-in page at ``/login`` (the default) and at every other page's address, so a shared link opens its
    page right after log-in."""
    pages = [st.Page(_login_page(""), title=t("Log in"), icon=":material/login:", url_path="login", default=True)]
    return pages + [st.Page(_login_page(spec.url_path), title=t("Log in"), icon=":material/login:",
                            url_path=spec.url_path) for spec in registered_specs(cfg)]


def login_addresses(cfg: Settings) -> list[str]:
    """The addresses ``login_navigation`` registers."""
    return ["login", *(spec.url_path for spec in registered_specs(cfg))]


def user_sidebar() -> None:
    """Who is logged in, and a log-out link (internal instance): the route revokes the session and clears the
    cookie; with OIDC, ``st.logout()``."""
    identity = current_identity()
    if settings().is_public or identity is None:
        return
    with st.sidebar:
        st.caption(t("Logged in as {user} ({role})", user=identity.user,
                     role=t(ROLE_NAMES.get(identity.role, identity.role))))
        if oidc_configured():
            if st.button(t("Log out"), key="logout", icon=":material/logout:"):
                st.logout()
        else:
            label = t("Log out")
            st.html(f'<a href="/auth/logout" style="{LINK_STYLE}">{escape(label)}</a>')
