"""Funnel plots: where would a region's value fall by chance alone, given its size?

Control limits around the national value θ0 as a function of the denominator n, after Spiegelhalter (2005),
"Funnel plots for comparing institutional performance", Statistics in Medicine 24:1185–1202, Appendix A.1:

- proportions: binomial(n, θ0); the p-quantile r_p is interpolated,
  α = (P(R ≤ r_p) − p) / (P(R ≤ r_p) − P(R ≤ r_p − 1)), limit = (r_p − α) / n;
- rates: Poisson(θ0 · n) with the same interpolation, limit = (r_p − α) / n × multiplier.

For large n both approach θ0 ± z·SE (z = 1.96 for 95 %, 3.09 for 99.8 %). A point outside the 99.8 % limits is
very unlikely to be chance variation (about 1 in 500 per side).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

FUNNEL_LEVELS: tuple[float, ...] = (0.95, 0.998)
POSITIONS: dict[str, str] = {
    "above_998": "Above the 99.8% limit",
    "above_95": "Above the 95% limit",
    "within": "Within the 95% limits",
    "below_95": "Below the 95% limit",
    "below_998": "Below the 99.8% limit",
    "no_denominator": "No denominator",
}


def _interpolated_quantile(dist, p: float) -> np.ndarray:
    r = dist.ppf(p)
    cdf_r = dist.cdf(r)
    cdf_below = dist.cdf(r - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(cdf_r > cdf_below, (cdf_r - p) / (cdf_r - cdf_below), 0.0)
    return r - alpha


def proportion_limits(theta0: float, n, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper control limits (fractions) for a proportion with target ``theta0`` and denominator n."""
    n = np.round(np.asarray(n, dtype=float))
    dist = stats.binom(n, theta0)
    lower = _interpolated_quantile(dist, (1 - level) / 2) / n
    upper = _interpolated_quantile(dist, 1 - (1 - level) / 2) / n
    return np.clip(lower, 0.0, 1.0), np.clip(upper, 0.0, 1.0)


def rate_limits(rate0: float, n, level: float, multiplier: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Control limits for a rate (per ``multiplier``) with target ``rate0`` (already per multiplier)."""
    n = np.asarray(n, dtype=float)
    dist = stats.poisson(rate0 / multiplier * n)
    lower = _interpolated_quantile(dist, (1 - level) / 2) / n * multiplier
    upper = _interpolated_quantile(dist, 1 - (1 - level) / 2) / n * multiplier
    return np.maximum(lower, 0.0), upper


def limits(target: float, n, value_type: str, multiplier: float, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Limits in the indicator's unit (``target`` is the national value in that unit)."""
    if value_type == "proportion":
        lo, hi = proportion_limits(target / multiplier, n, level)
        return lo * multiplier, hi * multiplier
    if value_type == "rate":
        return rate_limits(target, n, level, multiplier)
    raise ValueError(f"funnel limits need a proportion or a rate, not {value_type!r}")


def funnel_curve(target: float, n_min: float, n_max: float, value_type: str, multiplier: float,
                 points: int = 200) -> pd.DataFrame:
    """Limits on a log-spaced grid of denominators, one column pair per level (``lower_95``, ``upper_99.8`` …)."""
    grid = np.unique(np.round(np.geomspace(max(n_min, 1.0), max(n_max, n_min + 1), points)))
    frame = pd.DataFrame({"denominator": grid})
    for level in FUNNEL_LEVELS:
        lo, hi = limits(target, grid, value_type, multiplier, level)
        frame[f"lower_{level_tag(level)}"] = lo
        frame[f"upper_{level_tag(level)}"] = hi
    return frame


def level_tag(level: float) -> str:
    return f"{level * 100:g}"


def classify_points(obs: pd.DataFrame, target: float, value_type: str, multiplier: float) -> pd.DataFrame:
    """Regional rows with a denominator, each with its limits and its position relative to them."""
    out = obs.copy()
    den = pd.to_numeric(out.get("denominator"), errors="coerce")
    value = pd.to_numeric(out["value"], errors="coerce")
    ok = den.notna() & (den > 0) & value.notna()
    position = pd.Series("no_denominator", index=out.index, dtype=object)
    if ok.any():
        lo95, hi95 = limits(target, den[ok].to_numpy(), value_type, multiplier, 0.95)
        lo998, hi998 = limits(target, den[ok].to_numpy(), value_type, multiplier, 0.998)
        v = value[ok].to_numpy()
        pos = np.select([v > hi998, v > hi95, v < lo998, v < lo95], ["above_998", "above_95", "below_998",
                                                                     "below_95"], "within")
        position[ok] = pos
    out["position"] = position
    return out
