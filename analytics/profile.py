"""What the Overview and Region profile pages show, computed from the observation table."""

from __future__ import annotations

import pandas as pd

from analytics.ranking import rank_regions
from catalogue import Catalogue
from core.periods import sort_key

NATIONAL = "KZ"


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(_k=df["period"].map(sort_key)).sort_values("_k").drop(columns="_k")


def national_headlines(obs: pd.DataFrame, catalogue: Catalogue, featured_only: bool = True) -> pd.DataFrame:
    """Latest national value per indicator with the previous one and the change between them."""
    rows = []
    national = _sorted(obs[obs["region"] == NATIONAL])
    for indicator_id, series in national.groupby("indicator_id", sort=False):
        ind = catalogue.get(indicator_id)
        if ind is None or (featured_only and not ind.featured):
            continue
        last = series.iloc[-1]
        prev = series.iloc[-2] if len(series) > 1 else None
        rows.append({
            "indicator_id": indicator_id, "domain": ind.domain, "period": last["period"], "value": last["value"],
            "previous_period": None if prev is None else prev["period"],
            "previous_value": None if prev is None else prev["value"],
            "change": None if prev is None else last["value"] - prev["value"],
            "synthetic": bool(last["synthetic"]), "source_id": last["source_id"],
        })
    order = {i: n for n, i in enumerate(catalogue)}
    df = pd.DataFrame(rows)
    return df.sort_values("indicator_id", key=lambda s: s.map(order)).reset_index(drop=True) if rows else df


def region_profile(obs: pd.DataFrame, region: str, catalogue: Catalogue) -> pd.DataFrame:
    """Every indicator with data for ``region``: latest value, national value of the same period, rank among the
    regions reporting that period, the CI where known, and the series for a sparkline."""
    rows = []
    mine = _sorted(obs[obs["region"] == region])
    for indicator_id, series in mine.groupby("indicator_id", sort=False):
        ind = catalogue.get(indicator_id)
        if ind is None:
            continue
        last = series.iloc[-1]
        same_period = obs[(obs["indicator_id"] == indicator_id) & (obs["period"] == last["period"])]
        regional = same_period[same_period["region"] != NATIONAL].set_index("region")["value"]
        national = same_period.loc[same_period["region"] == NATIONAL, "value"]
        ranks = rank_regions(regional, ind.polarity)
        rows.append({
            "indicator_id": indicator_id, "domain": ind.domain, "period": last["period"], "value": last["value"],
            "ci_lower": last.get("ci_lower"), "ci_upper": last.get("ci_upper"),
            "national": national.iloc[0] if len(national) else None,
            "rank": ranks.get(region) if region in ranks.index else None, "of": int(regional.notna().sum()),
            "trend": series["value"].round(ind.decimals + 1).tolist(),
            "synthetic": bool(last["synthetic"]), "derived": bool(last["derived"]),
            "source_title": last.get("source_title"),
        })
    order = {i: n for n, i in enumerate(catalogue)}
    df = pd.DataFrame(rows)
    return df.sort_values("indicator_id", key=lambda s: s.map(order)).reset_index(drop=True) if rows else df
