"""Rows of the region profile's spine chart: each indicator's regional value against the national value and the
spread of all regions (min, 25th–75th percentile, max), with the significance category and the recent trend."""

from __future__ import annotations

import pandas as pd

from analytics.benchmark import NATIONAL, benchmark_regions, spine_summary
from analytics.intervals import add_intervals
from analytics.trends import Trend, trend_of
from catalogue import Catalogue
from core.periods import sort_key


def spine_rows(obs: pd.DataFrame, region: str, catalogue: Catalogue, level: float = 0.95,
               rate_method: str = "byar", min_regions: int = 3) -> pd.DataFrame:
    """One row per regional indicator (not plain counts) the region reports at its latest period, where at least
    ``min_regions`` regions report the same period so that a range means something."""
    rows = []
    mine = obs[(obs["region"] == region) & obs["value"].notna()]
    for indicator_id, series in mine.groupby("indicator_id", sort=False):
        ind = catalogue.get(indicator_id)
        if ind is None or not ind.is_regional or ind.value_type == "count":
            continue
        period = max(series["period"], key=sort_key)
        same = obs[(obs["indicator_id"] == indicator_id) & (obs["period"] == period)]
        summary = spine_summary(same)
        if summary is None or same.loc[same["region"] != NATIONAL, "value"].notna().sum() < min_regions:
            continue
        compared = benchmark_regions(same, ind.value_type, ind.multiplier, ind.polarity, level, rate_method,
                                     census=ind.census)
        row = compared[compared["region"] == region].iloc[0]
        peers_synthetic = bool(same.loc[same["region"] != NATIONAL, "synthetic"].astype(bool).any())
        trend = trend_of(obs[(obs["indicator_id"] == indicator_id) & (obs["region"] == region)], ind.value_type,
                         level)
        rows.append({
            "indicator_id": indicator_id, "domain": ind.domain, "polarity": ind.polarity, "period": period,
            "value": float(row["value"]), "lower": row["lower"], "upper": row["upper"], "ci_method": row["ci_method"],
            "national": row["national"], "category": row["category"], **summary,
            "regions": int(same.loc[same["region"] != NATIONAL, "value"].notna().sum()),
            "trend": trend.direction, "trend_arrow": trend.arrow, "trend_method": trend.method,
            "trend_improving": trend.improving(ind.polarity), "synthetic": bool(row.get("synthetic", False)),
            # the verdict (value or national value illustrative); the row (also the range of the regions, trend)
            "verdict_illustrative": bool(row["illustrative"]),
            "illustrative": bool(row["illustrative"]) or peers_synthetic or trend.illustrative,
        })
    order = {i: n for n, i in enumerate(catalogue)}
    df = pd.DataFrame(rows)
    return df.sort_values("indicator_id", key=lambda s: s.map(order)).reset_index(drop=True) if rows else df


def region_trends(obs: pd.DataFrame, region: str, catalogue: Catalogue, level: float = 0.95) -> dict[str, Trend]:
    """The recent-change trend of every indicator the region reports (never across a boundary change)."""
    mine = obs[obs["region"] == region]
    return {i: trend_of(series, catalogue[i].value_type, level)
            for i, series in mine.groupby("indicator_id", sort=False) if i in catalogue}


def region_intervals(obs: pd.DataFrame, region: str, catalogue: Catalogue, level: float = 0.95,
                     rate_method: str = "byar") -> pd.DataFrame:
    """Interval (``lower``, ``upper``, ``ci_method``) of every observation of ``region``, keyed by indicator and
    period: the source's CI, else one computed from the counts, else none."""
    mine = obs[obs["region"] == region]
    frames = [add_intervals(rows, catalogue[i].value_type, catalogue[i].multiplier, level, rate_method)
              if not catalogue[i].census else rows.assign(lower=float("nan"), upper=float("nan"), ci_method="census")
              for i, rows in mine.groupby("indicator_id", sort=False) if i in catalogue]
    columns = ["indicator_id", "period", "lower", "upper", "ci_method"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
