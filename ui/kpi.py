"""Shared pieces of the KPI pages: the KPI store, thresholds, actuals as the instance may show them, labels."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from core.i18n import N_
from kpi import PILLARS, Kpi, Thresholds, actuals_for, audit_trail, ensure_kpi_schema, list_kpis, scorecard
from ui import data
from ui.context import engine, language, settings, t
from ui.data import StoreRead, store_read

RAG_NAMES = {"green": N_("Green: on course"), "amber": N_("Amber: slightly behind"), "red": N_("Red: behind"),
             "no data": N_("No data yet"), "not published": N_("Not published")}
RAG_SHORT = {"green": N_("Green"), "amber": N_("Amber"), "red": N_("Red"), "no data": N_("No data"),
             "not published": N_("Not published")}
PILLAR_SHORT = {"rwd_rwe": N_("RWD/RWE"), "young_health": N_("Young Health Program"),
                "early_diagnosis": N_("Early diagnosis"), "sustainable_development": N_("Sustainable development")}
# Fields of a KPI entry that validation errors name, as the entry form labels them.
FIELD_NAMES = {"quarter": N_("quarter"), "value": N_("value"), "evidence_url": N_("evidence link"),
               "reason": N_("reason"), "comment": N_("comment")}
PROJECTION_NAMES = {"on track": N_("On track"), "at risk": N_("At risk"), "off track": N_("Off track"),
                    "no data": N_("No data yet"), "not published": N_("Not published")}


def kpi_engine() -> Engine:
    return ensure_kpi_schema(engine())


def thresholds() -> Thresholds:
    return Thresholds.from_config(settings().section("kpi"))


@store_read(16, per_language=False)  # names in every language
def kpis(read: StoreRead) -> list[Kpi]:
    """The KPI framework (read once per store version)."""
    return list_kpis(kpi_engine())


def public_only() -> bool:
    """The public instance shows published quarters only."""
    return settings().is_public


def national_observations() -> pd.DataFrame:
    obs = data.observations(region="KZ")
    return obs


def framework_items(ids: tuple[str, ...]) -> list[Kpi]:
    """The stored framework's KPIs of ``ids``, in that order (an id not in the framework left out)."""
    by_id = {k.id: k for k in kpis()}
    return [by_id[i] for i in ids if i in by_id]


@store_read(64)
def _actuals(read: StoreRead, ids: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    obs = national_observations()
    return {k.id: actuals_for(kpi_engine(), k, obs, published_only=read.policy.public) for k in framework_items(ids)}


def actuals_by_kpi(items: list[Kpi]) -> dict[str, pd.DataFrame]:
    """Each KPI's actuals as this instance may show them (read once per store version and KPI set)."""
    ids = tuple(k.id for k in items)
    cached = _actuals(ids)
    missing = [k for k in items if k.id not in cached]  # a KPI not (or no longer) in the stored framework
    obs = national_observations() if missing else None
    return {**cached, **{k.id: actuals_for(kpi_engine(), k, obs, published_only=public_only()) for k in missing}}


@store_read(64)
def _scorecard(read: StoreRead, ids: tuple[str, ...], as_of: str, lang: str) -> pd.DataFrame:
    items = framework_items(ids)
    return scorecard(items, actuals_by_kpi(items), as_of=as_of, thresholds=thresholds(), lang=lang)


def cached_scorecard(items: list[Kpi], as_of: str, lang: str) -> pd.DataFrame:
    """The scorecard as of a quarter: computed once per store version, KPI set, quarter and language."""
    if [k.id for k in items] != [k.id for k in framework_items(tuple(k.id for k in items))]:
        return scorecard(items, actuals_by_kpi(items), as_of=as_of, thresholds=thresholds(), lang=lang)
    return _scorecard(tuple(k.id for k in items), as_of, lang)


def text_or_blank(value) -> str:
    """A stored free-text field for a form: an empty string when missing (never "nan" or "None")."""
    return "" if value is None or pd.isna(value) else str(value)


def allowed_values_text(kpi: Kpi) -> str:
    """The allowed values of a KPI's actuals as a sentence."""
    low, high = kpi.min_value, kpi.max_value
    if low is not None and high is not None:
        text = t("Allowed values: from {low} to {high}.", low=f"{low:g}", high=f"{high:g}")
    elif low is not None:
        text = t("Allowed values: {low} or more.", low=f"{low:g}")
    elif high is not None:
        text = t("Allowed values: at most {high}.", high=f"{high:g}")
    else:
        text = t("Any number is allowed.")
    return text + (" " + t("Whole numbers only.") if kpi.unit == "count" else "")


def not_published_text() -> str:
    """Why a suppressed latest actual has no status: "Not published (fewer than 10 cases)"."""
    return t("Not published (fewer than {n} cases)", n=data.policy().min_count)


def kpi_reason(reason: str, kpi: Kpi) -> str:
    """A validation message in the reader's language, naming the KPI by its name and unit label there (domain
    messages name it by id: "KPI rwe_studies_completed counts (count)")."""
    lang = language()
    return t(reason, kpi=kpi.name(lang), unit=kpi.unit_label(lang))


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


@store_read(64, per_language=False)
def cached_audit_trail(read: StoreRead, kpi_id: str) -> pd.DataFrame:
    """A KPI's history of changes as this instance may show it (public: no names), once per store version."""
    return audit_trail(kpi_engine(), kpi_id, public=read.policy.public)
