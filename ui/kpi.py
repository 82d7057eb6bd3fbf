"""Shared pieces of the KPI pages: the KPI store, thresholds, actuals as the instance may show them, labels."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from core.i18n import N_
from kpi import PILLARS, Kpi, Thresholds, actuals_for, ensure_kpi_schema, list_kpis
from ui import data
from ui.context import engine, settings, t

RAG_NAMES = {"green": N_("Green: on course"), "amber": N_("Amber: slightly behind"), "red": N_("Red: behind"),
             "no data": N_("No data yet")}
RAG_SHORT = {"green": N_("Green"), "amber": N_("Amber"), "red": N_("Red"), "no data": N_("No data")}
PILLAR_SHORT = {"rwd_rwe": N_("RWD/RWE"), "young_health": N_("Young Health Program"),
                "early_diagnosis": N_("Early diagnosis"), "sustainable_development": N_("Sustainable development")}
# Fields of a KPI entry that validation errors name, as the entry form labels them.
FIELD_NAMES = {"quarter": N_("quarter"), "value": N_("value"), "evidence_url": N_("evidence link"),
               "reason": N_("reason"), "comment": N_("comment")}
PROJECTION_NAMES = {"on track": N_("On track"), "at risk": N_("At risk"), "off track": N_("Off track"),
                    "no data": N_("No data yet")}


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


def field_label(field: str) -> str:
    """A validation error's field as the reader knows it (framework file paths such as ``kpis[2]: unit`` stay)."""
    return t(FIELD_NAMES[field]) if field in FIELD_NAMES else field


def projection_label(projection: str) -> str:
    return t(PROJECTION_NAMES.get(projection, projection))
