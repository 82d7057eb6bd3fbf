"""The KPI scorecard's table: status as a coloured label, progress towards the target as a bar, compact numbers,
and the key columns sized to fit a 1366 px wide screen; missing values as "–"."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.i18n import format_number
from ui.context import t
from ui.kpi import projection_label, rag_short
from ui.tables import MISSING

RAG_ORDER = ("green", "amber", "red", "no data", "not published")
RAG_COLOURS = ("#2e7d32", "#ef8f00", "#c62828", "#9e9e9e", "#9e9e9e")


def _number(value, lang: str) -> str:
    return MISSING if value is None or pd.isna(value) else format_number(float(value), lang)


def progress_to_target(rows: pd.DataFrame) -> pd.Series:
    """Share of the change from baseline to target achieved by the latest actual (0 to 1; NaN without data)."""
    change = rows["target"] - rows["baseline"]
    share = (pd.to_numeric(rows["latest_actual"]) - rows["baseline"]) / change.where(change != 0)
    return share.clip(0, 1)


def scorecard_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per KPI of a pillar, with translated column names; KPIs without data stay, marked 'No data yet'."""
    return pd.DataFrame({
        t("KPI"): rows["kpi"],
        t("Status"): rows["rag"].map(lambda r: [rag_short(r)]),
        t("Progress"): progress_to_target(rows) * 100,
        t("Latest actual"): [_number(v, lang) for v in rows["latest_actual"]],
        t("Target"): [_number(v, lang) for v in rows["target"]],
        t("Unit"): rows["unit"],
        t("Quarter"): rows["latest_quarter"].fillna(MISSING),
        t("Projection"): rows["projection"].map(projection_label),
        t("Trend"): rows["trend"],
        t("Baseline"): [_number(v, lang) for v in rows["baseline"]],
        t("Expected"): [_number(v, lang) for v in rows["expected"]],
        t("Target date"): rows["target_date"].astype(str),
        t("Projected"): [_number(v, lang) for v in rows["projected"]],
        t("Illustrative"): rows["illustrative"].astype(bool),
    })


def scorecard_columns() -> dict:
    right = "right"
    return {
        t("KPI"): st.column_config.TextColumn(width=300, pinned=True),
        t("Status"): st.column_config.MultiselectColumn(
            width=80, options=[rag_short(r) for r in RAG_ORDER], color=list(RAG_COLOURS),
            help=t("Green: on course; amber: slightly behind; red: behind the straight path from baseline to target "
                   "at the latest actual's quarter. No data: no actual yet. Not published: the latest actual rests "
                   "on too few cases to be shown, so it gets no status.")),
        t("Progress"): st.column_config.ProgressColumn(
            width=110, format="%.0f%%", min_value=0, max_value=100,
            help=t("Share of the change from baseline to target achieved by the latest actual.")),
        t("Latest actual"): st.column_config.TextColumn(width=95, alignment=right),
        t("Target"): st.column_config.TextColumn(width=65, alignment=right),
        t("Unit"): st.column_config.TextColumn(width=90),
        t("Quarter"): st.column_config.TextColumn(width=70),
        t("Projection"): st.column_config.TextColumn(
            width=85, help=t("Where the trend of the actuals reaches by the target date.")),
        t("Trend"): st.column_config.LineChartColumn(width=90),
        t("Baseline"): st.column_config.TextColumn(alignment=right),
        t("Expected"): st.column_config.TextColumn(alignment=right),
        t("Projected"): st.column_config.TextColumn(alignment=right),
    }
