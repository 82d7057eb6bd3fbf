"""Each region against the national value, Fingertips-style: is the difference bigger than chance?

A region is *significantly higher* when its whole confidence interval lies above the national value, *lower*
when it lies below, and *similar* when the interval contains the national value (boundary included). For an
indicator with a polarity, higher/lower become better/worse; for one without (population, counts) they stay
higher/lower. A value with no interval (no counts, no published CI) is *not compared*: the dashboard never
pretends to know its uncertainty.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.intervals import add_intervals
from core.i18n import N_

NATIONAL = "KZ"
CATEGORIES: tuple[str, ...] = ("better", "similar", "worse", "higher", "lower", "not_compared")
CATEGORY_LABELS: dict[str, str] = {
    "better": N_("Significantly better than Kazakhstan"),
    "similar": N_("Similar to Kazakhstan"),
    "worse": N_("Significantly worse than Kazakhstan"),
    "higher": N_("Significantly higher than Kazakhstan"),
    "lower": N_("Significantly lower than Kazakhstan"),
    "not_compared": N_("Not compared (no interval)"),
}
# Colour-blind-safe (Okabe–Ito for the judgements, ColorBrewer Blues for higher/lower; grey for not compared).
CATEGORY_COLOURS: dict[str, str] = {
    "better": "#0072B2",
    "similar": "#F0E442",
    "worse": "#D55E00",
    "higher": "#08519c",
    "lower": "#9ecae1",
    "not_compared": "#bdbdbd",
}


def compare(lower: float | None, upper: float | None, benchmark: float | None, polarity: str) -> str:
    """Category of one value whose interval is [lower, upper] against ``benchmark``."""
    if any(v is None or (isinstance(v, float) and np.isnan(v)) for v in (lower, upper, benchmark)):
        return "not_compared"
    if lower > benchmark:
        direction = "higher"
    elif upper < benchmark:
        direction = "lower"
    else:
        return "similar"
    if polarity == "higher_is_better":
        return "better" if direction == "higher" else "worse"
    if polarity == "lower_is_better":
        return "worse" if direction == "higher" else "better"
    return direction


def compare_series(lower: pd.Series, upper: pd.Series, benchmark: float | None, polarity: str) -> pd.Series:
    return pd.Series([compare(lo, hi, benchmark, polarity) for lo, hi in
                      zip(pd.to_numeric(lower, errors="coerce").astype(float),
                          pd.to_numeric(upper, errors="coerce").astype(float), strict=True)],
                     index=lower.index, dtype=object)


def national_value(obs: pd.DataFrame) -> float | None:
    row = obs.loc[obs["region"] == NATIONAL, "value"]
    return float(row.iloc[0]) if len(row) and pd.notna(row.iloc[0]) else None


def benchmark_regions(obs: pd.DataFrame, value_type: str, multiplier: float | None, polarity: str,
                      level: float = 0.95, rate_method: str = "byar") -> pd.DataFrame:
    """Observations of one indicator and period with ``lower``/``upper``/``ci_method``, the national value and
    the comparison ``category`` of every regional row (the national row is ``not_compared`` with itself)."""
    national = national_value(obs)
    out = add_intervals(obs, value_type, multiplier, level, rate_method)
    out["national"] = national
    out["category"] = compare_series(out["lower"], out["upper"], national, polarity)
    out.loc[out["region"] == NATIONAL, "category"] = "not_compared"
    return out


def spine_summary(obs: pd.DataFrame) -> dict[str, float] | None:
    """Range of the regional values of one indicator and period: min, 25th, 75th percentile, max."""
    regional = pd.to_numeric(obs.loc[obs["region"] != NATIONAL, "value"], errors="coerce").dropna()
    if regional.empty:
        return None
    q = np.percentile(regional, [0, 25, 75, 100])
    return {"min": float(q[0]), "q25": float(q[1]), "q75": float(q[2]), "max": float(q[3])}
