"""Shared pieces of the KPI pages: the KPI store, thresholds, actuals as the instance may show them, labels."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from kpi import PILLARS, Kpi, Thresholds, actuals_for, ensure_kpi_schema, list_kpis
from ui import data
from ui.context import engine, settings, t

RAG_ICONS = {"green": "🟢", "amber": "🟠", "red": "🔴", "no data": "⚪"}
RAG_NAMES = {"green": "On course", "amber": "Slightly behind", "red": "Behind", "no data": "No data yet"}
PROJECTION_NAMES = {"on track": "On track", "at risk": "At risk", "off track": "Off track", "no data": "No data yet"}


def kpi_engine() -> Engine:
    return ensure_kpi_schema(engine())


def thresholds() -> Thresholds:
    return Thresholds.from_config(settings().section("kpi"))


def kpis() -> list[Kpi]:
    return list_kpis(kpi_engine())


def public_only() -> bool:
    """The public instance shows published quarters only."""
    return settings().is_public


def national_observations() -> pd.DataFrame:
    obs = data.observations(region="KZ")
    return obs


def actuals_by_kpi(items: list[Kpi]) -> dict[str, pd.DataFrame]:
    obs = national_observations()
    return {k.id: actuals_for(kpi_engine(), k, obs, published_only=public_only()) for k in items}


def pillar_label(pillar: str) -> str:
    return t(PILLARS.get(pillar, pillar))


def rag_label(rag: str) -> str:
    return f"{RAG_ICONS.get(rag, '')} {t(RAG_NAMES.get(rag, rag))}"


def projection_label(projection: str) -> str:
    return t(PROJECTION_NAMES.get(projection, projection))
