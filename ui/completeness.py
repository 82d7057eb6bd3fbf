"""Data completeness of one indicator, for the map's completeness mode and the Data & sources page: the status grid
and per-region summary from ``analytics.completeness``, the national count in words, and the readers' table."""

from __future__ import annotations

import pandas as pd

from analytics.completeness import STATUS_LABELS, PeriodCount, period_count, period_ranges, region_summary, status_grid
from catalogue import Indicator
from charts.completeness import completeness_choropleth
from geo import region_name
from ui import data
from ui.context import t
from ui.tables import MISSING


def completeness(indicator_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(regions × periods status grid, per-region summary) of one indicator, once per store version."""
    def build() -> tuple[pd.DataFrame, pd.DataFrame]:
        grid = status_grid(data.observations(indicator_id), data.periods(indicator_id, regional_only=True))
        return grid, region_summary(grid)

    return data.view("completeness", (indicator_id,), build)


def count_text(count: PeriodCount) -> str:
    """"14 of 20 regions have 2024" (with the illustrative, suppressed and not-yet-formed ones named)."""
    text = t("{n} of {total} regions have {period}", n=count.with_value, total=count.regions, period=count.period)
    extra = []
    if count.illustrative:
        extra.append(t("illustrative: {n}", n=count.illustrative))
    if count.suppressed:
        extra.append(t("suppressed: {n}", n=count.suppressed))
    if count.not_existing:
        extra.append(t("not yet formed: {n}", n=count.not_existing))
    return text + (f" ({'; '.join(extra)})" if extra else "")


def national_count(indicator_id: str, period: str) -> PeriodCount | None:
    grid, _summary = completeness(indicator_id)
    return period_count(grid, period) if period in grid.columns else None


def completeness_map(indicator: Indicator, period: str, frame: pd.DataFrame, lang: str):
    """(figure, frame with ``status`` and the summary columns) of the map's completeness mode for ``period``."""
    grid, summary = completeness(indicator.id)
    status = grid[period] if period in grid.columns else pd.Series("missing", index=grid.index)
    shown = frame.drop(columns=[c for c in summary.columns if c != "region" and c in frame]).merge(
        summary, on="region", how="left")
    shown["status"] = shown["region"].map(status).fillna("missing")
    count = national_count(indicator.id, period)
    line = count_text(count) if count is not None else ""
    return completeness_choropleth(shown, data.geojson(), indicator, period, lang, t, line), shown


def completeness_table(indicator_id: str, period: str | None, lang: str) -> pd.DataFrame:
    """Per region: its status in ``period`` (when given), latest period with a value, counts of published,
    illustrative, suppressed and missing periods, and the missing ones as ranges (readers' column names)."""
    grid, summary = completeness(indicator_id)
    table = pd.DataFrame({
        t("Region"): summary["region"].map(lambda c: region_name(c, lang)), t("Code"): summary["region"]})
    if period is not None and period in grid.columns:
        table[t("In {period}", period=period)] = summary["region"].map(grid[period]).map(
            lambda s: t(STATUS_LABELS[s]))
    table[t("Latest period with a value")] = summary["latest"].fillna(MISSING)
    table[t("Published periods")] = summary["published"]
    table[t("Illustrative periods")] = summary["illustrative"]
    table[t("Suppressed periods")] = summary["suppressed"]
    table[t("Missing periods")] = summary["missing_periods"].map(lambda ps: period_ranges(ps) or MISSING)
    table[t("Periods expected")] = summary["expected"]
    return table.sort_values(t("Region")).reset_index(drop=True)
