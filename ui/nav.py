"""The page registry: which pages exist, in which section, and in which instance mode.

A new page is one file in ``pages/`` and one entry here. A page's ``url_path`` must differ from its file name:
Streamlit's legacy multipage mode still matches ``/<file stem>`` against ``pages/`` on a fresh server and would
run the page without this router (tests/project/test_architecture.py checks it).
``modes`` says where a page is registered at all; a page that writes (upload, data entry, administration) is
never registered in the public instance. ``role`` is the least role that sees the page in the internal instance
(viewers see no entry or admin page, editors no admin page); the domain layer checks the role again on every write.
Any other address (a page file's stem, a page of the other instance, a typo) opens the router's own "no such
page" notice, never Streamlit's legacy file-name pages.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from html import escape

import streamlit as st

from core.access import Identity
from core.config import Settings
from core.i18n import N_
from core.paths import REPO_ROOT
from core.text import plain
from ui.context import language, t
from ui.streamlit_compat import fresh_page


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str  # English source text, translated at run time
    url_path: str
    icon: str
    section: str
    modes: tuple[str, ...] = ("public", "internal")
    default: bool = False
    writes: bool = False  # a page that can change stored data; never registered in the public instance
    role: str = "viewer"  # the least role that sees the page (internal instance)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", "home", ":material/home:", "Explore", default=True),
    PageSpec("pages/regional_map.py", "Regional map", "map", ":material/map:", "Explore"),
    PageSpec("pages/region_profile.py", "Region profile", "profile", ":material/location_city:", "Explore"),
    PageSpec("pages/compare.py", "Compare", "comparison", ":material/compare_arrows:", "Explore"),
    PageSpec("pages/heat_map.py", "Heat map", "heatmap", ":material/grid_on:", "Explore"),
    PageSpec("pages/sources_and_data.py", "Data & sources", "data", ":material/dataset:", "About the data"),
    PageSpec("pages/real_world_data.py", "Real-world data", "real-world-data", ":material/clinical_notes:",
             "About the data"),
    PageSpec("pages/funnel.py", "Funnel plot", "funnel-plot", ":material/filter_alt:", "Analysis"),
    PageSpec("pages/resilience_index.py", "Resilience index", "resilience", ":material/shield:", "Analysis"),
    PageSpec("pages/capacity_gaps.py", "Capacity gaps", "capacity", ":material/biotech:", "Analysis"),
    PageSpec("pages/upload.py", "Upload data", "import", ":material/upload_file:", "Manage data",
             modes=("internal",), writes=True, role="editor"),
    PageSpec("pages/kpi_scorecard.py", "KPI scorecard", "kpis", ":material/flag:", "Partnership KPIs"),
    PageSpec("pages/kpi_detail.py", "KPI detail", "kpi", ":material/insights:", "Partnership KPIs"),
    PageSpec("pages/kpi_entry.py", "Enter actuals", "kpi-entry", ":material/edit_note:", "Partnership KPIs",
             modes=("internal",), writes=True, role="editor"),
    PageSpec("pages/kpi_admin.py", "KPI administration", "kpi-admin", ":material/admin_panel_settings:",
             "Partnership KPIs", modes=("internal",), writes=True, role="admin"),
)

DEFAULT_URL_PATH = next(p.url_path for p in PAGES if p.default)  # Streamlit serves it at "/"; "/home" is an alias

# Sidebar section headings, listed so `pybabel extract` collects them (page titles are collected from PageSpec).
SECTION_TITLES: tuple[str, ...] = (
    N_("Explore"), N_("About the data"), N_("Analysis"), N_("Manage data"), N_("Partnership KPIs"),
)


# The benchmarks' baseline: an empty page run through the same router (never registered in normal use).
BENCH_EMPTY_PAGE = PageSpec("bench/empty_page.py", "Empty page", "bench-empty", ":material/timer:", "Explore")


def registered_specs(settings: Settings, identity: Identity | None = None) -> list[PageSpec]:
    """Pages of this instance (for ``identity``'s role, when given); in public mode a page that writes is never
    registered, whatever its modes say."""
    specs = [p for p in PAGES if settings.mode in p.modes and not (settings.is_public and p.writes)
             and (identity is None or settings.is_public or identity.has(p.role))]
    if os.environ.get("DENSAULYQ_BENCH_EMPTY_PAGE") == "1":
        specs.append(BENCH_EMPTY_PAGE)
    return specs


def page_addresses() -> list[str]:
    """Every address the router answers with a page in some instance (``/`` included), for the HTTP layer."""
    return ["/", "/login", *(f"/{p.url_path}" for p in PAGES)]


def instance_addresses(settings: Settings) -> list[str]:
    """Addresses that are a page in this instance (``/``, ``/home`` and the registered pages; internal: ``/login``
    too): any other address answers HTTP 404 (server/not_found.py) with the router's "No such page" notice."""
    extra = [] if settings.is_public else ["/login"]
    return ["/", f"/{DEFAULT_URL_PATH}", *extra, *(f"/{p.url_path}" for p in registered_specs(settings))]


SLUG = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


def unknown_addresses(registered: list[str], requested: list[str]) -> list[str]:
    """Addresses that get the "no such page" notice: page file stems, pages not registered here, and the address
    asked for now when it is no page at all (so Streamlit never shows its own "Page not found" dialog)."""
    candidates = [*_page_stems(), *(p.url_path for p in PAGES), "login"]
    candidates += [r for r in requested if SLUG.match(r)]
    taken = set(registered)
    return [c for c in dict.fromkeys(candidates) if c not in taken]


@functools.cache
def _page_stems() -> tuple[str, ...]:
    """The stems of the files in ``pages/`` (read once per process: the files change only with a deployment)."""
    return tuple(path.stem for path in sorted((REPO_ROOT / "pages").glob("*.py")))


def not_found_pages(registered: list[str], requested: list[str]) -> list[st.Page]:
    title = t("No such page")
    return [fresh_page(("not_found", path, title), lambda path=path: st.Page(
        _not_found(path), title=title, icon=":material/block:", url_path=path, visibility="hidden"))
        for path in unknown_addresses(registered, requested)]


def _not_found(path: str):
    def no_such_page() -> None:
        st.title(t("No such page"))
        st.info(t("There is no page at /{path} in this instance. Choose a page in the sidebar.", path=plain(path)))
        label = t("Open the overview")
        st.html(f'<a href="/?lang={escape(language())}" target="_self">{escape(label)}</a>')  # keeps the language
    return no_such_page


def build_navigation(settings: Settings, identity: Identity | None = None) -> dict[str, list[st.Page]]:
    sections: dict[str, list[st.Page]] = {}
    for spec in registered_specs(settings, identity):
        title = t(spec.title)
        page = fresh_page(("page", spec, title), lambda spec=spec, title=title: st.Page(
            spec.path, title=title, icon=spec.icon, url_path=spec.url_path, default=spec.default))
        sections.setdefault(t(spec.section), []).append(page)
    return sections
