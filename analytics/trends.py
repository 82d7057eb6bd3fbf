"""Direction of recent change per region and indicator: increasing, decreasing, or no significant change.

- With numerators and denominators: the chi-square test for linear trend (Cochran 1954; Armitage 1955) on the
  counts of the recent periods, binomial variance for proportions and Poisson variance for rates. One degree of
  freedom; the sign of the trend statistic gives the direction.
- Otherwise: an ordinary least-squares slope of the values on time with its t-based confidence interval
  (PHE/APHO Technical Guide, Confidence Intervals, appendix 7); significant when the interval excludes zero.

Quarterly rolling four-quarter indicators overlap from one quarter to the next, so only the quarters of the
same kind as the latest (e.g. every Q4) are used: those windows do not overlap.

A trend never spans a boundary change (``geo.vintages``): only the periods after the region's last break are used.
A trend computed from any illustrative point is itself ``illustrative``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from core.i18n import N_
from core.periods import parse_period, sort_key
from geo.vintages import current_segment

RECENT_POINTS = 5
DIRECTIONS: dict[str, str] = {
    "increasing": N_("Increasing"),
    "decreasing": N_("Decreasing"),
    "no_change": N_("No significant change"),
    "cannot_calculate": N_("Cannot be calculated"),
    "boundary_break": N_("Not comparable: boundaries changed"),
}
ARROWS: dict[str, str] = {"increasing": "↑", "decreasing": "↓", "no_change": "→", "cannot_calculate": "·",
                          "boundary_break": "¦"}


@dataclass(frozen=True)
class Trend:
    direction: str  # a key of DIRECTIONS
    method: str  # "chi_square_trend" | "regression" | "none"
    p_value: float | None = None
    slope: float | None = None  # change per period step, in the indicator's unit
    points: int = 0
    illustrative: bool = False  # any point it was computed from is illustrative
    broken: bool = False  # earlier periods were left out: the region's boundaries changed

    @property
    def arrow(self) -> str:
        return ARROWS[self.direction]

    def improving(self, polarity: str) -> bool | None:
        """Whether the change is an improvement (None when no direction or no polarity)."""
        if self.direction not in ("increasing", "decreasing") or polarity == "none":
            return None
        return (self.direction == "increasing") == (polarity == "higher_is_better")


def chi_square_trend(numerators, denominators, scores=None, variance: str = "binomial") -> tuple[float, float, float]:
    """(chi-square, p-value, signed statistic T) of the test for linear trend in proportions or rates."""
    o = np.asarray(numerators, dtype=float)
    n = np.asarray(denominators, dtype=float)
    x = np.arange(len(o), dtype=float) if scores is None else np.asarray(scores, dtype=float)
    p = o.sum() / n.sum()
    x_bar = (n * x).sum() / n.sum()
    t_stat = (o * (x - x_bar)).sum()
    spread = (n * (x - x_bar) ** 2).sum()
    var = p * (1 - p) * spread if variance == "binomial" else p * spread
    if var <= 0:
        return 0.0, 1.0, 0.0
    chi2 = t_stat ** 2 / var
    return float(chi2), float(stats.chi2.sf(chi2, 1)), float(t_stat)


def regression_slope(values, level: float = 0.95) -> tuple[float, float, float]:
    """(slope, lower, upper) of the least-squares line of ``values`` on 0, 1, 2 …"""
    y = np.asarray(values, dtype=float)
    x = np.arange(len(y), dtype=float)
    fit = stats.linregress(x, y)
    dof = len(y) - 2
    t_crit = stats.t.ppf(1 - (1 - level) / 2, dof)
    return float(fit.slope), float(fit.slope - t_crit * fit.stderr), float(fit.slope + t_crit * fit.stderr)


def recent_points(series: pd.DataFrame, points: int = RECENT_POINTS) -> pd.DataFrame:
    """The last ``points`` non-overlapping periods of one region's series (same quarter as the latest)."""
    s = series.dropna(subset=["value"])
    if s.empty:
        return s
    if "region" in s:
        s = current_segment(s)
    s = s.assign(_k=s["period"].map(sort_key)).sort_values("_k")
    latest_quarter = parse_period(s["period"].iloc[-1])[1]
    if latest_quarter is not None:
        s = s[s["period"].map(lambda p: parse_period(p)[1]) == latest_quarter]
    return s.drop(columns="_k").tail(points)


def trend_of(series: pd.DataFrame, value_type: str, level: float = 0.95, points: int = RECENT_POINTS) -> Trend:
    """Trend of one region's observations of one indicator (columns period, value, numerator, denominator)."""
    s = recent_points(series, points)
    illustrative = bool(s["synthetic"].astype(bool).any()) if "synthetic" in s and len(s) else False
    broken = bool("region" in series and
                  len(current_segment(series.dropna(subset=["value"]))) < series["value"].notna().sum())
    if len(s) < 3:
        return Trend("boundary_break" if broken else "cannot_calculate", "none", points=len(s),
                     illustrative=illustrative, broken=broken)
    num = pd.to_numeric(s.get("numerator"), errors="coerce")
    den = pd.to_numeric(s.get("denominator"), errors="coerce")
    if value_type in ("proportion", "rate") and num.notna().all() and den.notna().all() and (den > 0).all():
        _chi2, p, t_stat = chi_square_trend(num, den, variance="binomial" if value_type == "proportion" else "poisson")
        direction = "no_change" if p >= 1 - level else ("increasing" if t_stat > 0 else "decreasing")
        slope = regression_slope(s["value"], level)[0]
        return Trend(direction, "chi_square_trend", p, slope, len(s), illustrative, broken)
    slope, lo, hi = regression_slope(s["value"], level)
    direction = "increasing" if lo > 0 else "decreasing" if hi < 0 else "no_change"
    return Trend(direction, "regression", None, slope, len(s), illustrative, broken)


def up_to_period(obs: pd.DataFrame, period: str | None) -> pd.DataFrame:
    """The observations of periods up to and including ``period`` (all of them when it is None)."""
    if period is None or obs.empty:
        return obs
    return obs[obs["period"].map(sort_key) <= sort_key(period)]


def trends_by_region(obs: pd.DataFrame, value_type: str, level: float = 0.95,
                     up_to: str | None = None) -> dict[str, Trend]:
    """The trend of every region (and Kazakhstan) in the observations of one indicator, over the recent periods
    up to ``up_to`` (the period a page shows), or up to the latest when it is None."""
    return {region: trend_of(series, value_type, level)
            for region, series in up_to_period(obs, up_to).groupby("region", sort=False)}
