"""How fresh the data are: per source, the latest period it covers and when it was retrieved; per headline, whether
its latest value is years behind the others."""

from __future__ import annotations

import pandas as pd

from core.periods import parse_period, sort_key

OLD_AFTER_YEARS = 4  # a headline this many years behind the newest one is flagged as old


def source_freshness(obs: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per source with data: title, kind, latest period covered, first period, retrieved (as_of), number of
    indicators and rows, refresh status; newest coverage first."""
    rows = []
    for source_id, group in obs.groupby("source_id", sort=False):
        periods = sorted(group["period"].dropna().unique(), key=sort_key)
        rows.append({"source_id": source_id, "first_period": periods[0] if periods else None,
                     "latest_period": periods[-1] if periods else None,
                     "indicators": group["indicator_id"].nunique(), "rows": len(group)})
    covered = pd.DataFrame(rows, columns=["source_id", "first_period", "latest_period", "indicators", "rows"])
    out = covered.merge(sources.rename(columns={"id": "source_id"}), on="source_id", how="left")
    out["_k"] = out["latest_period"].map(lambda p: sort_key(p) if isinstance(p, str) else (0, 0))
    return out.sort_values(["_k", "title"], ascending=[False, True]).drop(columns="_k").reset_index(drop=True)


def years_behind(period: str, periods: pd.Series) -> int:
    """How many years ``period`` is behind the newest of ``periods``."""
    newest = max((parse_period(p)[0] for p in periods.dropna()), default=parse_period(period)[0])
    return newest - parse_period(period)[0]
