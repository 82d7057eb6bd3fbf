"""Funnel plots: where would a region's value fall by chance alone, given its size?

Control limits around the national value θ0 as a function of the denominator n, after Spiegelhalter (2005),
"Funnel plots for comparing institutional performance", Statistics in Medicine 24:1185–1202, Appendix A.1:

- proportions: binomial(n, θ0); the p-quantile r_p is interpolated,
  α = (P(R ≤ r_p) − p) / (P(R ≤ r_p) − P(R ≤ r_p − 1)), limit = (r_p − α) / n;
- rates: Poisson(θ0 · n) with the same interpolation, limit = (r_p − α) / n × multiplier.

For large n both approach θ0 ± z·SE (z = 1.96 for 95 %, 3.09 for 99.8 %). A point outside the 99.8 % limits is
very unlikely to be chance variation (about 1 in 500 per side).

When regions differ far more than chance allows (over-dispersion, usual with large denominators), the
random-effects limits θ0 ± z·√(SE² + τ²) of Spiegelhalter's companion paper show which regions stand out even
against the ordinary spread between regions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analytics.intervals import z_value
from core.i18n import N_

FUNNEL_LEVELS: tuple[float, ...] = (0.95, 0.998)
POSITIONS: dict[str, str] = {
    "above_998": N_("Above the 99.8% limit"),
    "above_95": N_("Above the 95% limit"),
    "within": N_("Within the 95% limits"),
    "below_95": N_("Below the 95% limit"),
    "below_998": N_("Below the 99.8% limit"),
    "no_denominator": N_("No denominator"),
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


def limits(target: float, n, value_type: str, multiplier: float, level: float, tau2: float | None = None
           ) -> tuple[np.ndarray, np.ndarray]:
    """Limits in the indicator's unit (``target`` is the national value in that unit); with ``tau2`` the
    random-effects limits that allow for over-dispersion, never narrower than the exact ones (with small counts
    the normal-based random-effects limits could otherwise undercut the skewed exact limits)."""
    if tau2 is not None:
        exact_lo, exact_hi = limits(target, n, value_type, multiplier, level)
        re_lo, re_hi = random_effects_limits(target, n, value_type, multiplier, level, tau2)
        return np.minimum(exact_lo, re_lo), np.maximum(exact_hi, re_hi)
    if value_type == "proportion":
        lo, hi = proportion_limits(target / multiplier, n, level)
        lo, hi = lo * multiplier, hi * multiplier
    elif value_type == "rate":
        lo, hi = rate_limits(target, n, level, multiplier)
    else:
        raise ValueError(f"funnel limits need a proportion or a rate, not {value_type!r}")
    # With an expected count far below 1 the interpolated quantile can fall on the wrong side of the target;
    # the limits always bracket the target.
    return np.minimum(lo, target), np.maximum(hi, target)


def funnel_curve(target: float, n_min: float, n_max: float, value_type: str, multiplier: float,
                 points: int = 200, tau2: float | None = None) -> pd.DataFrame:
    """Limits on a log-spaced grid of denominators, one column pair per level (``lower_95``, ``upper_99.8`` …)."""
    grid = np.unique(np.round(np.geomspace(max(n_min, 1.0), max(n_max, n_min + 1), points)))
    frame = pd.DataFrame({"denominator": grid})
    for level in FUNNEL_LEVELS:
        lo, hi = limits(target, grid, value_type, multiplier, level, tau2)
        frame[f"lower_{level_tag(level)}"] = lo
        frame[f"upper_{level_tag(level)}"] = hi
    return frame


def level_tag(level: float) -> str:
    return f"{level * 100:g}"


def classify_points(obs: pd.DataFrame, target: float, value_type: str, multiplier: float,
                    tau2: float | None = None, target_illustrative: bool = False) -> pd.DataFrame:
    """Regional rows with a denominator, each with its limits and its position relative to them, and whether
    that position is ``illustrative`` (the value or the national target, or the over-dispersion ``tau2`` estimated
    from the regions, rests on illustrative values)."""
    out = obs.copy()
    synthetic = out["synthetic"].astype(bool) if "synthetic" in out else pd.Series(False, index=out.index)
    out["illustrative"] = synthetic | target_illustrative | (tau2 is not None and bool(synthetic.any()))
    den = pd.to_numeric(out.get("denominator"), errors="coerce")
    value = pd.to_numeric(out["value"], errors="coerce")
    ok = den.notna() & (den > 0) & value.notna()
    position = pd.Series("no_denominator", index=out.index, dtype=object)
    if ok.any():
        lo95, hi95 = limits(target, den[ok].to_numpy(), value_type, multiplier, 0.95, tau2)
        lo998, hi998 = limits(target, den[ok].to_numpy(), value_type, multiplier, 0.998, tau2)
        v = value[ok].to_numpy()
        pos = np.select([v > hi998, v > hi95, v < lo998, v < lo95], ["above_998", "above_95", "below_998",
                                                                     "below_95"], "within")
        position[ok] = pos
    out["position"] = position
    return out


def standard_error(target: float, n, value_type: str, multiplier: float) -> np.ndarray:
    """Standard error of a value (in the indicator's unit) around ``target`` for denominator n."""
    n = np.asarray(n, dtype=float)
    theta = target / multiplier
    var = theta * (1 - theta) / n if value_type == "proportion" else theta / n
    return np.sqrt(var) * multiplier


def overdispersion_tau2(values, n, target: float, value_type: str, multiplier: float,
                        winsor: float = 0.10) -> tuple[float, float]:
    """(φ, τ²) of the additive random-effects funnel (Spiegelhalter 2005, "Handling over-dispersion of performance
    indicators", Qual Saf Health Care 14:347–351): z-scores winsorised at 10 %/90 %, φ = mean z², and when
    Iφ > I − 1, τ² = (Iφ − (I − 1)) / (Σw − Σw²/Σw) with w = 1/s²; otherwise τ² = 0."""
    y = np.asarray(values, dtype=float)
    s = standard_error(target, n, value_type, multiplier)
    z = (y - target) / s
    lo, hi = np.quantile(z, [winsor, 1 - winsor])
    z = np.clip(z, lo, hi)
    count = len(z)
    phi = float(np.mean(z ** 2))
    w = 1 / s ** 2
    if count * phi <= count - 1:
        return phi, 0.0
    return phi, float((count * phi - (count - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))


@dataclass(frozen=True)
class Overdispersion:
    """φ and τ² of the regions' spread, and whether they rest on illustrative values (any region's value or the
    target they are measured against): a derived number is illustrative when anything it is computed from is."""

    phi: float
    tau2: float
    illustrative: bool


def overdispersion(rows: pd.DataFrame, target: float, value_type: str, multiplier: float,
                   target_illustrative: bool = False) -> Overdispersion:
    """``overdispersion_tau2`` of ``rows`` (``value``, ``denominator``, ``synthetic``) with its illustrative flag."""
    phi, tau2 = overdispersion_tau2(rows["value"], rows["denominator"], target, value_type, multiplier)
    synthetic = rows["synthetic"].fillna(False).astype(bool).any() if "synthetic" in rows else False
    return Overdispersion(phi, tau2, bool(synthetic) or bool(target_illustrative))


def random_effects_limits(target: float, n, value_type: str, multiplier: float, level: float, tau2: float
                          ) -> tuple[np.ndarray, np.ndarray]:
    """Normal limits widened by the between-region variance: target ± z·√(s²(n) + τ²)."""
    half = z_value(level) * np.sqrt(standard_error(target, n, value_type, multiplier) ** 2 + tau2)
    lower, upper = target - half, target + half
    if value_type == "proportion":
        return np.clip(lower, 0, multiplier), np.clip(upper, 0, multiplier)
    return np.maximum(lower, 0.0), upper
