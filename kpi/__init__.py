"""Partnership KPIs: framework, quarterly actuals with audit and optimistic concurrency, status and projection.

Plain Python (no streamlit). Every write takes an :class:`core.access.Identity` and checks its role first.
"""

from kpi.actuals import (
    actuals_for,
    audit_trail,
    current_version,
    linked_actuals,
    publish_quarter,
    published_quarters,
    replaced_entries,
    save_actual,
    stored_actuals,
)
from kpi.errors import Conflict, ValidationError
from kpi.framework import PILLARS, Kpi, get_kpi, list_kpis, load_framework_text, parse_framework
from kpi.seed import ensure_kpi_schema
from kpi.status import KpiStatus, Thresholds, expected_value, kpi_status, rollup, scorecard

__all__ = [
    "PILLARS", "Conflict", "Kpi", "KpiStatus", "Thresholds", "ValidationError", "actuals_for", "audit_trail",
    "current_version", "ensure_kpi_schema", "expected_value", "get_kpi", "kpi_status", "linked_actuals",
    "list_kpis", "load_framework_text", "parse_framework", "publish_quarter", "published_quarters",
    "replaced_entries", "rollup", "save_actual", "scorecard", "stored_actuals",
]
