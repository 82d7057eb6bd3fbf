"""Data completeness of one indicator (DHIS2's reporting rates): per region and period, whether a published value,
an illustrative value, a suppressed value or nothing is stored, and whether the region existed then.

Counted, never folded: a suppressed value is neither "has a value" nor "missing", and a period before a region was
formed is neither missing nor present (Abai, Jetisu and Ulytau exist from mid-2022).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.i18n import N_
from core.periods import sort_key
from geo import REGION_CODES
from geo.vintages import exists_in

NATIONAL = "KZ"
STATUSES: tuple[str, ...] = ("published", "illustrative", "suppressed", "missing", "not_existing")
STATUS_LABELS: dict[str, str] = {
    "published": N_("Published value"),
    "illustrative": N_("Illustrative value"),
    "suppressed": N_("Suppressed (small numbers)"),
    "missing": N_("Missing"),
    "not_existing": N_("Region not yet formed"),
}
# Colour-blind safe: blue for a published value, washed-out blue for an illustrative one, grey for nothing.
STATUS_COLOURS: dict[str, str] = {
    "published": "#0072B2",
    "illustrative": "#a9c6d9",
    "suppressed": "#8c8c8c",
    "missing": "#e0e0e0",
    "not_existing": "#f7f7f7",
}


def status_grid(obs: pd.DataFrame, periods: list[str], regions: tuple[str, ...] = REGION_CODES) -> pd.DataFrame:
    """Regions × periods (oldest first) of :data:`STATUSES` for one indicator's observations."""
    periods = sorted(periods, key=sort_key)
    regional = obs[obs["region"] != NATIONAL]
    grid = pd.DataFrame("missing", index=list(regions), columns=periods, dtype=object)
    for region in regions:
        for period in periods:
            if not exists_in(region, period):
                grid.loc[region, period] = "not_existing"
    for _idx, row in regional.iterrows():
        if row["region"] not in grid.index or row["period"] not in grid.columns:
            continue
        if pd.notna(row["value"]):
            status = "illustrative" if bool(row.get("synthetic", False)) else "published"
        elif bool(row.get("suppressed", False)):
            status = "suppressed"
        else:
            continue
        grid.loc[row["region"], row["period"]] = status
    return grid


def region_summary(grid: pd.DataFrame) -> pd.DataFrame:
    """Per region: periods with a published value, with an illustrative one, suppressed, missing (their list) and
    the latest period with a value (None when there is none)."""
    rows = []
    for region, statuses in grid.iterrows():
        with_value = [p for p, s in statuses.items() if s in ("published", "illustrative")]
        rows.append({
            "region": region,
            "published": int((statuses == "published").sum()),
            "illustrative": int((statuses == "illustrative").sum()),
            "suppressed": int((statuses == "suppressed").sum()),
            "missing": int((statuses == "missing").sum()),
            "missing_periods": [p for p, s in statuses.items() if s == "missing"],
            "expected": int((statuses != "not_existing").sum()),
            "latest": with_value[-1] if with_value else None,
        })
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class PeriodCount:
    """How many regions have a value for one period ("14 of 20 regions have 2024")."""

    period: str
    with_value: int  # published or illustrative
    illustrative: int
    suppressed: int
    not_existing: int
    regions: int  # all first-level units today


def period_count(grid: pd.DataFrame, period: str) -> PeriodCount:
    column = grid[period]
    return PeriodCount(period, int(column.isin(("published", "illustrative")).sum()),
                       int((column == "illustrative").sum()), int((column == "suppressed").sum()),
                       int((column == "not_existing").sum()), len(column))


def period_ranges(periods: list[str]) -> str:
    """Consecutive years or quarters as ranges: ``1999–2003, 2007`` (a short cell for a long list)."""
    if not periods:
        return ""
    ordered = sorted(periods, key=sort_key)
    parts, start, prev = [], ordered[0], ordered[0]

    def step(a: str, b: str) -> bool:
        (ya, qa), (yb, qb) = sort_key(a), sort_key(b)
        if ("Q" in a) != ("Q" in b):
            return False
        return (yb == ya + 1) if "Q" not in a else (ya * 4 + qa + 1 == yb * 4 + qb)

    for p in ordered[1:]:
        if step(prev, p):
            prev = p
            continue
        parts.append(start if start == prev else f"{start}–{prev}")
        start = prev = p
    parts.append(start if start == prev else f"{start}–{prev}")
    return ", ".join(parts)
