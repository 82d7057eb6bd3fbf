"""Ranks and summaries of regional values (plain pandas)."""

from __future__ import annotations

import pandas as pd

from core.periods import sort_key


def rank_regions(values: pd.Series, polarity: str) -> pd.Series:
    """Rank 1 = best (highest where higher is better, lowest where lower is better; highest when no polarity).
    Ties share the best rank; missing values get no rank."""
    ascending = polarity == "lower_is_better"
    return values.rank(ascending=ascending, method="min").astype("Int64")


def latest_period(periods: pd.Series) -> str | None:
    values = [p for p in periods.dropna().unique()]
    return max(values, key=sort_key) if values else None


def sorted_periods(periods: pd.Series) -> list[str]:
    return sorted(periods.dropna().unique(), key=sort_key)
