"""Each region against the national value, Fingertips-style: is the difference bigger than chance?

A region is *significantly higher* when its whole confidence interval lies above the national value, *lower*
when it lies below, and *similar* when the interval contains the national value (boundary included). For an
indicator with a polarity, higher/lower become better/worse; for one without (population, counts) they stay
higher/lower. A value with no interval (no counts, no published CI) is *not compared*: the dashboard never
pretends to know its uncertainty.

A census (a complete count of staff, facilities, equipment or residents; ``census: true`` in the catalogue) is
not a sample of events: it gets no interval and no significance verdict, only *above* / *below* the national
value. A verdict whose value or national value is illustrative is ``illustrative``: shown as "illustrative —
demonstrates the method", in muted colours, never as a finding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.intervals import add_intervals
from core.i18n import N_

NATIONAL = "KZ"
CATEGORIES: tuple[str, ...] = ("better", "similar", "worse", "higher", "lower", "above", "below", "not_compared")
CATEGORY_LABELS: dict[str, str] = {
    "better": N_("Significantly better than Kazakhstan"),
    "similar": N_("Similar to Kazakhstan"),
    "worse": N_("Significantly worse than Kazakhstan"),
    "higher": N_("Significantly higher than Kazakhstan"),
    "lower": N_("Significantly lower than Kazakhstan"),
    "above": N_("Above Kazakhstan (complete count, no test)"),
    "below": N_("Below Kazakhstan (complete count, no test)"),
    "not_compared": N_("Not compared (no interval)"),
}
ILLUSTRATIVE_VERDICT = N_("Illustrative — demonstrates the method")
# Colour-blind-safe (Okabe–Ito for the judgements, ColorBrewer Blues for higher/lower, Purples for above/below; grey
# for not compared): tests/charts/test_palettes_cvd.py checks them under simulated colour-vision deficiencies.
CATEGORY_COLOURS: dict[str, str] = {
    "better": "#0072B2",
    "similar": "#F0E442",
    "worse": "#D55E00",
    "higher": "#08519c",
    "lower": "#9ecae1",
    "above": "#9e9ac8",  # ColorBrewer Purples (#b8a9d6 was 6.2 ΔE from "not compared" grey under tritanomaly)
    "below": "#dadaeb",
    "not_compared": "#bdbdbd",
}
# The same judgements on illustrative inputs: washed out towards grey, so no colour reads as a finding.
MUTED_COLOURS: dict[str, str] = {
    "better": "#a9c6d9",
    "similar": "#e9e5c2",
    "worse": "#e3bfa8",
    "higher": "#a3b5c9",
    "lower": "#d3dde4",
    "above": "#d8d2ec",
    "below": "#f2f0f7",
    "not_compared": "#bdbdbd",
}


def verdict_label(category: str, illustrative: bool) -> str:
    """English label (msgid) of a comparison: the category, or the illustrative notice when its inputs are."""
    if illustrative and category != "not_compared":
        return ILLUSTRATIVE_VERDICT
    return CATEGORY_LABELS[category]


def verdict_colour(category: str, illustrative: bool) -> str:
    return (MUTED_COLOURS if illustrative else CATEGORY_COLOURS)[category]


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
                      level: float = 0.95, rate_method: str = "byar", census: bool = False) -> pd.DataFrame:
    """Observations of one indicator and period with ``lower``/``upper``/``ci_method``, the national value, the
    comparison ``category`` of every regional row (the national row is ``not_compared`` with itself) and
    ``illustrative`` (the value or the national value it is judged against is illustrative)."""
    national = national_value(obs)
    if census:  # a complete count: no sampling interval, only above / below the benchmark
        out = obs.copy()
        out["lower"], out["upper"], out["ci_method"] = np.nan, np.nan, "census"
        values = pd.to_numeric(out["value"], errors="coerce")
        out["category"] = ["not_compared" if national is None or pd.isna(v) or v == national else
                           "above" if v > national else "below" for v in values]
    else:
        out = add_intervals(obs, value_type, multiplier, level, rate_method)
        out["category"] = compare_series(out["lower"], out["upper"], national, polarity)
    out["national"] = national
    out.loc[out["region"] == NATIONAL, "category"] = "not_compared"
    synthetic = out["synthetic"].astype("boolean").fillna(False).astype(bool) if "synthetic" in out else False
    national_synthetic = bool(obs.loc[obs["region"] == NATIONAL, "synthetic"].astype(bool).any()) \
        if "synthetic" in obs else False
    out["illustrative"] = synthetic | national_synthetic
    return out


def spine_summary(obs: pd.DataFrame) -> dict[str, float] | None:
    """Range of the regional values of one indicator and period: min, 25th, 75th percentile, max."""
    regional = pd.to_numeric(obs.loc[obs["region"] != NATIONAL, "value"], errors="coerce").dropna()
    if regional.empty:
        return None
    q = np.percentile(regional, [0, 25, 75, 100])
    return {"min": float(q[0]), "q25": float(q[1]), "q75": float(q[2]), "max": float(q[3])}
