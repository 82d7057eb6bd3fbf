"""How fresh the data are: per source, the latest period it covers and when it was retrieved; per headline, whether
its latest value is years behind the others."""

from __future__ import annotations

import pandas as pd

from core.periods import parse_period, sort_key

OLD_AFTER_YEARS = 4  # a headline this many years behind the newest one is flagged as old
# Headlines are the featured indicators with a national value in the last 5 years, counted back from the newest
# headline period in the store (2021–2025 when the newest is 2025), not from today's date: the Overview shows what
# the data hold, the same on every day for the same store, and a store not yet refreshed still has headlines (each
# card names its period). An indicator whose latest value is older is left out and named under the cards.
HEADLINE_YEARS = 5


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


def recent_headlines(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """(the headlines with their ``years_behind``, the indicator ids left out): an indicator whose latest national
    value is ``HEADLINE_YEARS`` or more years behind the newest headline period is no headline."""
    if frame.empty:
        return frame.assign(years_behind=pd.Series(dtype="int64")), []
    behind = frame.assign(years_behind=[years_behind(p, frame["period"]) for p in frame["period"]])
    recent = behind["years_behind"] < HEADLINE_YEARS
    return behind[recent].reset_index(drop=True), list(behind.loc[~recent, "indicator_id"])


def years_behind(period: str, periods: pd.Series) -> int:
    """How many years ``period`` is behind the newest of ``periods``."""
    newest = max((parse_period(p)[0] for p in periods.dropna()), default=parse_period(period)[0])
    return newest - parse_period(period)[0]
