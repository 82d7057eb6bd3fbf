"""The KPI scorecard's table: status as a coloured label, progress towards the target as a bar, compact numbers,
and the key columns sized to fit a 1366 px wide screen; missing values as "–"."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.i18n import format_number
from kpi import Kpi, rollup
from ui.context import t
from ui.data import StoreRead, store_read
from ui.kpi import cached_scorecard, framework_items, projection_label, rag_short
from ui.tables import MISSING

NB_HYPHEN = "\u2011"  # a date never breaks at its hyphens when a narrow column wraps
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


def _view_of(card: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, list[tuple[str, pd.DataFrame]]]:
    return rollup(card), [(pillar, scorecard_table(rows, lang)) for pillar, rows in card.groupby("pillar", sort=False)]


@store_read(64)
def _scorecard_view(read: StoreRead, ids: tuple[str, ...], as_of: str, lang: str) -> tuple:
    return _view_of(cached_scorecard(framework_items(ids), as_of, lang), lang)


def scorecard_view(items: list[Kpi], as_of: str, lang: str) -> tuple[pd.DataFrame, list[tuple[str, pd.DataFrame]]]:
    """What the scorecard page draws, built once per store version, KPI set, quarter and language: the roll-up per
    pillar and overall (``kpi.rollup``) and each pillar's table (``scorecard_table``)."""
    ids = tuple(k.id for k in items)
    if [k.id for k in items] != [k.id for k in framework_items(ids)]:
        return _view_of(cached_scorecard(items, as_of, lang), lang)
    return _scorecard_view(ids, as_of, lang)


def _status_text(value) -> str:
    return value[0] if isinstance(value, (list, tuple)) and value else (value if isinstance(value, str) else MISSING)


def scorecard_reading(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The scorecard's table as a page of 1366 px shows it whole (``ui.tables.show_reading_table``): status as text,
    progress as a percentage, the quarter beside the latest actual, the date beside the target, the projected value
    beside the projection; the sparkline stays on the KPI's detail page."""
    def pair(value, extra) -> str:
        return value if extra in (None, "", MISSING, "NaT", "None") or pd.isna(extra) else f"{value} ({extra})"

    progress = [MISSING if pd.isna(v) else f"{format_number(float(v), lang, 0)} %" for v in table[t("Progress")]]
    return pd.DataFrame({
        t("KPI"): table[t("KPI")],
        t("Status"): table[t("Status")].map(_status_text),
        t("Progress"): progress,
        t("Latest actual"): [pair(v, q) for v, q in zip(table[t("Latest actual")], table[t("Quarter")], strict=True)],
        t("Target"): [pair(v, str(d).replace("-", NB_HYPHEN))
                      for v, d in zip(table[t("Target")], table[t("Target date")], strict=True)],
        t("Unit"): table[t("Unit")],
        t("Projection"): [pair(p, v) for p, v in zip(table[t("Projection")], table[t("Projected")], strict=True)],
        t("Baseline"): table[t("Baseline")],
        t("Expected"): table[t("Expected")],
        t("Illustrative"): table[t("Illustrative")].map(lambda v: "✓" if bool(v) else ""),
    }, index=table.index)


def scorecard_styler(reading: pd.DataFrame):
    """Status cells coloured like the status cards (text colour, so the label stays readable in print)."""
    colours = dict(zip((rag_short(r) for r in RAG_ORDER), RAG_COLOURS, strict=True))
    return reading.style.map(lambda v: f"color: {colours[v]}; font-weight: 600" if v in colours else "",
                             subset=[t("Status")])


def show_scorecard(table: pd.DataFrame, lang: str) -> None:
    """One pillar's table, whole on the page. When every KPI in it is illustrative, one line above the table says
    so instead of a column of ticks (the page keeps its room for the numbers)."""
    from ui.tables import show_reading_table

    reading = scorecard_reading(table, lang)
    if len(reading) and (reading[t("Illustrative")] == "✓").all():
        st.caption(":material/science: " + t("Every KPI in this table is illustrative: invented to show how the "
                                               "scorecard works."))
        reading = reading.drop(columns=[t("Illustrative")])
    show_reading_table(reading, styler=scorecard_styler(reading))
