"""Small KPI frameworks for tests, written out by hand so expected numbers can be worked out on paper."""

from __future__ import annotations

from core.access import Identity

ADMIN = Identity("ayla", "admin")
EDITOR = Identity("erlan", "editor")
EDITOR_2 = Identity("dana", "editor")
VIEWER = Identity("vera", "viewer")

# Baseline 2024-12-31, target 2027-12-31: 1095 days; 2025-12-31 is exactly one third of the way.
FRAMEWORK = """
illustrative: false
kpis:
  - id: coverage_pct
    pillar: early_diagnosis
    name: {en: Screening coverage, ru: Охват скринингом, kk: Скринингпен қамту}
    unit: percent
    direction: higher_is_better
    baseline: {value: 40, date: 2024-12-31}
    target: {value: 70, date: 2027-12-31}
    aggregation: snapshot
  - id: wait_days
    pillar: early_diagnosis
    name: {en: Waiting days}
    unit: days
    direction: lower_is_better
    baseline: {value: 20, date: 2024-12-31}
    target: {value: 14, date: 2027-12-31}
    aggregation: snapshot
  - id: people_reached
    pillar: young_health
    name: {en: People reached}
    unit: count
    direction: higher_is_better
    baseline: {value: 0, date: 2024-12-31}
    target: {value: 1200, date: 2027-12-31}
    region_targets: {KZ-ALA: 300}
    aggregation: cumulative
  - id: survey_pct
    pillar: young_health
    name: {en: Survey prevalence}
    unit: percent
    direction: lower_is_better
    baseline: {value: 14, date: 2024-12-31}
    target: {value: 9, date: 2027-12-31}
    aggregation: snapshot
"""


def kpi_engine(db_url: str):
    """An engine on a fresh SQLite file with the KPI tables and FRAMEWORK loaded (no example data)."""
    from kpi import ensure_kpi_schema, load_framework_text
    from store import make_engine

    engine = ensure_kpi_schema(make_engine(db_url), seed=False)
    load_framework_text(engine, ADMIN, FRAMEWORK, "test framework")
    return engine
