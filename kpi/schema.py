"""The KPI module's tables, by the names the KPI code uses; they are defined (with every other table of the product,
in one ``MetaData`` under Alembic) in ``store.schema``.

History is never overwritten: ``kpi_actuals`` holds the current value of each KPI-quarter with a version
number (optimistic concurrency), and every change is appended to ``kpi_audit``.
"""

from __future__ import annotations

from store.schema import kpi_actuals as actuals
from store.schema import kpi_audit as audit
from store.schema import kpi_kpis as kpis
from store.schema import kpi_meta
from store.schema import kpi_publications as publications
from store.schema import kpi_region_targets as region_targets

__all__ = ["actuals", "audit", "kpi_meta", "kpis", "publications", "region_targets"]
