"""What the Overview and Region profile pages show, computed from the observation table.

Every row says whether it is ``illustrative``: its value is, or anything it is computed from, ranked against or
judged against is (the previous value of a change, the peers of a rank, the points of a sparkline, the national
value). Sparklines and changes never span a boundary change of the region (``geo.vintages``).
"""

from __future__ import annotations

import pandas as pd

from analytics.ranking import rank_regions
from catalogue import Catalogue
from core.periods import sort_key
from geo.vintages import current_segment

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
            "illustrative": bool(last["synthetic"]) or (prev is not None and bool(prev["synthetic"])),
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
        segment = current_segment(series)
        same_period = obs[(obs["indicator_id"] == indicator_id) & (obs["period"] == last["period"])]
        regional_rows = same_period[same_period["region"] != NATIONAL]
        regional = regional_rows.set_index("region")["value"]
        national_rows = same_period[same_period["region"] == NATIONAL]
        national = national_rows["value"]
        ranks = rank_regions(regional, ind.polarity)
        rank = ranks.get(region) if region in ranks.index else None
        rank_illustrative = rank is not None and bool(regional_rows["synthetic"].astype(bool).any())
        trend_illustrative = bool(segment["synthetic"].astype(bool).any())
        national_illustrative = bool(national_rows["synthetic"].astype(bool).any())
        rows.append({
            "indicator_id": indicator_id, "domain": ind.domain, "period": last["period"], "value": last["value"],
            "ci_lower": last.get("ci_lower"), "ci_upper": last.get("ci_upper"),
            "national": national.iloc[0] if len(national) else None,
            "rank": rank, "of": int(regional.notna().sum()),
            "trend": segment["value"].round(ind.decimals + 1).tolist(),
            "synthetic": bool(last["synthetic"]), "derived": bool(last["derived"]),
            "rank_illustrative": rank_illustrative, "trend_illustrative": trend_illustrative,
            "national_illustrative": national_illustrative,
            "illustrative": bool(last["synthetic"]) or rank_illustrative or trend_illustrative or national_illustrative,
            "boundary_note": last.get("boundary_note"),
            "series_from": segment["period"].iloc[0] if len(segment) < len(series) else None,  # a boundary break
            "source_title": last.get("source_title"),
        })
    order = {i: n for n, i in enumerate(catalogue)}
    df = pd.DataFrame(rows)
    return df.sort_values("indicator_id", key=lambda s: s.map(order)).reset_index(drop=True) if rows else df
