"""Confidence intervals for the values the dashboard shows (the methods of the PHE/APHO technical guidance).

- Proportions (screening coverage, vaccination): Wilson score interval (Wilson 1927; Newcombe 1998, method 3).
- Rates per 10k / 100k / 1M with a count numerator: Byar's approximation to the Poisson interval (Breslow & Day
  1987) for counts of 10 or more, the exact Poisson (chi-square) interval below 10, as Fingertips does; the exact
  interval can be forced with ``rate_method="exact"``.
- Where the source publishes its own 95 % interval, that interval is used as given.
- Where there is neither a count nor a published interval (life expectancy, published rates without counts), no
  interval is computed: the method says so, and the value is "not compared" rather than given an invented CI.

All functions are vectorised over numpy arrays / pandas Series and never import streamlit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from core.i18n import N_

LEVELS: tuple[float, ...] = (0.95, 0.998)
SOURCE_LEVEL = 0.95  # published intervals are 95 % intervals
BYAR_MIN_COUNT = 10  # below this Byar's approximation loses accuracy; the exact method is used instead

# Method ids stored next to each interval; pages translate their labels.
METHOD_LABELS: dict[str, str] = {
    "wilson": N_("Wilson score"),
    "byar": N_("Byar's method (Poisson)"),
    "exact_poisson": N_("Exact Poisson (chi-square)"),
    "source": N_("Published by the source"),
    "source_rescaled": N_("Published 95% CI, rescaled (normal approximation)"),
    "none": N_("No interval: no counts or published interval"),
    "suppressed": N_("Suppressed (small numbers)"),
    "census": N_("No interval: a complete count (census), not a sample"),
}


def z_value(level: float) -> float:
    """Two-sided standard normal quantile: 1.96 for 95 %, 3.09 for 99.8 %."""
    if not 0 < level < 1:
        raise ValueError(f"confidence level must be between 0 and 1, not {level!r}")
    return float(stats.norm.ppf(1 - (1 - level) / 2))


def wilson_interval(numerator, denominator, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for the proportion numerator/denominator, as fractions in [0, 1]."""
    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        centre = 2 * x + z ** 2
        spread = z * np.sqrt(z ** 2 + 4 * x * (1 - p))
        scale = 2 * (n + z ** 2)
        lower = (centre - spread) / scale
        upper = (centre + spread) / scale
    lower = np.where(x <= 0, 0.0, lower)
    upper = np.where(x >= n, 1.0, upper)
    return np.clip(lower, 0.0, 1.0), np.clip(upper, 0.0, 1.0)


def exact_poisson_interval(count, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) limits for a Poisson count from the chi-square distribution: O_lower = χ²(α/2, 2O)/2,
    O_upper = χ²(1−α/2, 2O+2)/2."""
    o = np.asarray(count, dtype=float)
    alpha = 1 - level
    with np.errstate(invalid="ignore"):
        lower = np.where(o > 0, stats.chi2.ppf(alpha / 2, 2 * np.maximum(o, 1e-300)) / 2, 0.0)
        upper = stats.chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2
    return lower, upper


def byar_interval(count, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximation to the Poisson limits of a count (Breslow & Day 1987, vol. II, eq. 2.11)."""
    o = np.asarray(count, dtype=float)
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
        upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    lower = np.where(o > 0, np.maximum(lower, 0.0), 0.0)
    return lower, upper


def rate_interval(count, denominator, multiplier: float, level: float = 0.95, method: str = "byar"
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Interval of the rate count/denominator × multiplier; ``method="byar"`` uses the exact limits for counts
    below 10 (PHE practice), ``method="exact"`` always uses them."""
    o = np.asarray(count, dtype=float)
    n = np.asarray(denominator, dtype=float)
    exact_lo, exact_hi = exact_poisson_interval(o, level)
    if method == "exact":
        lo, hi = exact_lo, exact_hi
    elif method == "byar":
        byar_lo, byar_hi = byar_interval(o, level)
        small = o < BYAR_MIN_COUNT
        lo, hi = np.where(small, exact_lo, byar_lo), np.where(small, exact_hi, byar_hi)
    else:
        raise ValueError(f"rate method must be 'byar' or 'exact', not {method!r}")
    with np.errstate(divide="ignore", invalid="ignore"):
        return lo / n * multiplier, hi / n * multiplier


def _present(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").notna().to_numpy()


def add_intervals(obs: pd.DataFrame, value_type: str, multiplier: float | None, level: float = 0.95,
                  rate_method: str = "byar") -> pd.DataFrame:
    """``obs`` with ``lower``, ``upper`` (in the indicator's unit) and ``ci_method`` for each row.

    Order of preference: the source's published CI (at 95 %; rescaled by z at other levels), then counts
    (Wilson for proportions, Poisson for rates), else no interval (``ci_method="none"``).
    """
    out = obs.copy()
    n_rows = len(out)
    lower = np.full(n_rows, np.nan)
    upper = np.full(n_rows, np.nan)
    method = np.full(n_rows, "none", dtype=object)
    num = pd.to_numeric(out.get("numerator", pd.Series(np.nan, index=out.index)), errors="coerce").to_numpy()
    den = pd.to_numeric(out.get("denominator", pd.Series(np.nan, index=out.index)), errors="coerce").to_numpy()
    value = pd.to_numeric(out["value"], errors="coerce").to_numpy()
    has_counts = ~np.isnan(num) & ~np.isnan(den) & (den > 0) & (num >= 0) & (num <= (den if value_type ==
                                                                                          "proportion" else np.inf))
    if value_type in ("proportion", "rate") and multiplier:
        if value_type == "proportion":
            lo, hi = wilson_interval(np.where(has_counts, num, 0), np.where(has_counts, den, 1), level)
            lo, hi, label = lo * multiplier, hi * multiplier, "wilson"
        else:
            lo, hi = rate_interval(np.where(has_counts, num, 0), np.where(has_counts, den, 1), multiplier, level,
                                   rate_method)
            label = "exact_poisson" if rate_method == "exact" else "byar"
        lower = np.where(has_counts, lo, lower)
        upper = np.where(has_counts, hi, upper)
        method = np.where(has_counts, label, method)
        if label == "byar":
            method = np.where(has_counts & (num < BYAR_MIN_COUNT), "exact_poisson", method)
    if "ci_lower" in out and "ci_upper" in out:
        src_lo = pd.to_numeric(out["ci_lower"], errors="coerce").to_numpy()
        src_hi = pd.to_numeric(out["ci_upper"], errors="coerce").to_numpy()
        published = _present(out["ci_lower"]) & _present(out["ci_upper"])
        if level != SOURCE_LEVEL:
            factor = z_value(level) / z_value(SOURCE_LEVEL)
            src_lo = value - (value - src_lo) * factor
            src_hi = value + (src_hi - value) * factor
            if value_type == "proportion" or value_type == "rate":
                src_lo = np.maximum(src_lo, 0.0)
        lower = np.where(published, src_lo, lower)
        upper = np.where(published, src_hi, upper)
        method = np.where(published, "source" if level == SOURCE_LEVEL else "source_rescaled", method)
    out["lower"] = lower
    out["upper"] = upper
    out["ci_method"] = method
    return out
