"""The internal instance's log-in gate: OIDC through ``st.login()`` when configured, else the local user file."""

from __future__ import annotations

import streamlit as st

from auth import authenticate, users_file
from core.config import Settings
from core.i18n import N_
from ui.context import settings, t
from ui.identity import SESSION_KEY, current_identity, oidc_configured
from ui.nav import registered_specs

ROLE_NAMES = {"viewer": N_("viewer"), "editor": N_("editor"), "admin": N_("administrator")}


def _local_form() -> None:
    with st.form("login"):
        name = st.text_input(t("User name"))
        password = st.text_input(t("Password"), type="password")
        submitted = st.form_submit_button(t("Log in"), type="primary")
    if submitted:
        identity = authenticate(users_file(settings().section("auth")), name.strip(), password)
        if identity is None:
            st.error(t("Unknown user name or wrong password."))
        else:
            st.session_state[SESSION_KEY] = identity
            st.rerun()


def needs_login() -> bool:
    """True in the internal instance while nobody is logged in."""
    return not settings().is_public and current_identity() is None


def login_page() -> None:
    """The only page of the internal instance before log-in."""
    st.title(t("Log in"))
    st.caption(t("This is the internal Densaulyq instance for partners and officials."))
    if oidc_configured():
        if st.button(t("Log in with your organisation account"), type="primary"):
            st.login()
    else:
        _local_form()


def login_navigation(cfg: Settings) -> list[st.Page]:
    """The log-in form at ``/login`` (the default) and at every other page's address, so a shared link opens its
    page right after log-in."""
    pages = [st.Page(login_page, title=t("Log in"), icon=":material/login:", url_path="login", default=True)]
    return pages + [st.Page(login_page, title=t("Log in"), icon=":material/login:", url_path=spec.url_path)
                    for spec in registered_specs(cfg) if not spec.default]


def user_sidebar() -> None:
    """Who is logged in, and a log-out button (internal instance)."""
    identity = current_identity()
    if settings().is_public or identity is None:
        return
    with st.sidebar:
        st.caption(t("Logged in as {user} ({role})", user=identity.user,
                     role=t(ROLE_NAMES.get(identity.role, identity.role))))
        if st.button(t("Log out"), key="logout", icon=":material/logout:"):
            st.session_state.pop(SESSION_KEY, None)
            if oidc_configured():
                st.logout()
            st.rerun()
