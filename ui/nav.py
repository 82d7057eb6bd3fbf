"""The page registry: which pages exist, in which section, and in which instance mode.

A new page is one file in ``pages/`` and one entry here. A page's ``url_path`` must differ from its file name:
Streamlit's legacy multipage mode still matches ``/<file stem>`` against ``pages/`` on a fresh server and would
run the page without this router (tests/test_architecture.py checks it).
``modes`` says where a page is registered at all; a page that writes (upload, data entry, administration) is
never registered in the public instance.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.config import Settings
from core.i18n import N_
from ui.context import t


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


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", "home", ":material/home:", "Explore", default=True),
    PageSpec("pages/regional_map.py", "Regional map", "map", ":material/map:", "Explore"),
    PageSpec("pages/region_profile.py", "Region profile", "profile", ":material/location_city:", "Explore"),
    PageSpec("pages/compare.py", "Compare", "comparison", ":material/compare_arrows:", "Explore"),
    PageSpec("pages/data_sources.py", "Data & sources", "data", ":material/dataset:", "About the data"),
    PageSpec("pages/real_world_data.py", "Real-world data", "real-world-data", ":material/clinical_notes:",
             "About the data"),
    PageSpec("pages/funnel.py", "Funnel plot", "funnel-plot", ":material/filter_alt:", "Analysis"),
    PageSpec("pages/resilience_index.py", "Resilience index", "resilience", ":material/shield:", "Analysis"),
    PageSpec("pages/capacity_gaps.py", "Capacity gaps", "capacity", ":material/biotech:", "Analysis"),
    PageSpec("pages/upload.py", "Upload data", "import", ":material/upload_file:", "Manage data",
             modes=("internal",), writes=True),
    PageSpec("pages/kpi_scorecard.py", "KPI scorecard", "kpis", ":material/flag:", "Partnership KPIs"),
    PageSpec("pages/kpi_detail.py", "KPI detail", "kpi", ":material/insights:", "Partnership KPIs"),
    PageSpec("pages/kpi_entry.py", "Enter actuals", "kpi-entry", ":material/edit_note:", "Partnership KPIs",
             modes=("internal",), writes=True),
    PageSpec("pages/kpi_admin.py", "KPI administration", "kpi-admin", ":material/admin_panel_settings:",
             "Partnership KPIs", modes=("internal",), writes=True),
)

# Sidebar section headings, listed so `pybabel extract` collects them (page titles are collected from PageSpec).
SECTION_TITLES: tuple[str, ...] = (
    N_("Explore"), N_("About the data"), N_("Analysis"), N_("Manage data"), N_("Partnership KPIs"),
)


def registered_specs(settings: Settings) -> list[PageSpec]:
    """Pages of this instance; in public mode a page that writes is never registered, whatever its modes say."""
    return [p for p in PAGES if settings.mode in p.modes and not (settings.is_public and p.writes)]


def build_navigation(settings: Settings) -> dict[str, list[st.Page]]:
    sections: dict[str, list[st.Page]] = {}
    for spec in registered_specs(settings):
        page = st.Page(spec.path, title=t(spec.title), icon=spec.icon, url_path=spec.url_path, default=spec.default)
        sections.setdefault(t(spec.section), []).append(page)
    return sections
