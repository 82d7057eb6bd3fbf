"""The sidebar's page navigation, drawn with ``st.page_link`` instead of Streamlit's own navigation menu.

Streamlit (1.67) renders ``st.navigation``'s sidebar menu as a ``<ul>`` whose direct children are the section
headers' ``<div>`` elements and, inside them, ``<li>`` elements without a list parent: a screen reader announces no
list (axe-core rules ``list`` and ``listitem``, WCAG 2.1 1.3.1, fail on every page). No theme or config option
changes that markup, and no upstream Streamlit issue reports it yet (searched 2026-12: the nearest,
streamlit/streamlit#4832, asked for a way to hide the built-in menu and build one's own, which ``position="hidden"``
and ``st.page_link`` now are). So the router registers the pages with
``st.navigation(position="hidden")`` and this module draws them: one labelled section per group, one link per page,
the current page marked by Streamlit (``aria-current``) as in its own menu. Every page of the reader's role is shown;
nothing is collapsed behind "View N more".
"""

from __future__ import annotations

import streamlit as st


def draw_navigation(sections: dict[str, list[st.Page]], container) -> None:
    """Links to every page of ``sections`` (section title → pages, in order) inside ``container``."""
    with container.container(key="site_navigation"):
        for title, pages in sections.items():
            if title:
                st.caption(f"**{title}**")
            for page in pages:
                st.page_link(page, label=page.title, icon=page.icon)


def set_document_language(lang: str) -> None:
    """``<html lang>`` follows the reader's language when it changes in the session (the page request already gets
    it from server/language.py): screen readers pick their voice and hyphenation by it (WCAG 2.1 3.1.1)."""
    if lang.isalpha() and len(lang) <= 3:  # a product language code, nothing else reaches the script
        st.sidebar.html(f'<script>document.documentElement.lang = "{lang}";</script>',
                        unsafe_allow_javascript=True)
