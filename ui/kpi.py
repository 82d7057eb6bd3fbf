"""Shared pieces of the KPI pages: the KPI store, thresholds, actuals as the instance may show them, labels."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from kpi import PILLARS, Kpi, Thresholds, actuals_for, ensure_kpi_schema, list_kpis
from ui import data
from ui.context import engine, settings, t

RAG_NAMES = {"green": "Green: on course", "amber": "Amber: slightly behind", "red": "Red: behind",
             "no data": "No data yet"}
RAG_SHORT = {"green": "Green", "amber": "Amber", "red": "Red", "no data": "No data"}
PILLAR_SHORT = {"rwd_rwe": "RWD/RWE", "young_health": "Young Health Program", "early_diagnosis": "Early diagnosis",
                "sustainable_development": "Sustainable development"}
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
    return t(RAG_NAMES.get(rag, rag))


def rag_short(rag: str) -> str:
    return t(RAG_SHORT.get(rag, rag))


def pillar_short(pillar: str) -> str:
    return t(PILLAR_SHORT.get(pillar, pillar))


def projection_label(projection: str) -> str:
    return t(PROJECTION_NAMES.get(projection, projection))
