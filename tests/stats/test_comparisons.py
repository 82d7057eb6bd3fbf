"""Benchmark classes at their boundaries, funnel limits against Spiegelhalter (2005), and trend directions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.benchmark import benchmark_regions, compare, spine_summary
from analytics.funnel import classify_points, funnel_curve, limits, proportion_limits, rate_limits
from analytics.trends import chi_square_trend, recent_points, trend_of


# --- benchmark classes: constructed boundary cases -------------------------------------------------------------
@pytest.mark.parametrize(("lower", "upper", "polarity", "expected"), [
    (50.0001, 60, "higher_is_better", "better"),
    (50.0, 60, "higher_is_better", "similar"),      # interval touching the national value: not significant
    (40, 50.0, "higher_is_better", "similar"),
    (40, 49.9999, "higher_is_better", "worse"),
    (50.0001, 60, "lower_is_better", "worse"),
    (40, 49.9999, "lower_is_better", "better"),
    (50.0001, 60, "none", "higher"),
    (40, 49.9999, "none", "lower"),
    (45, 55, "none", "similar"),
    (float("nan"), float("nan"), "higher_is_better", "not_compared"),
])
def test_compare_against_national_value_of_50(lower, upper, polarity, expected):
    assert compare(lower, upper, 50.0, polarity) == expected


def test_benchmark_regions_from_counts():
    obs = pd.DataFrame({
        "region": ["KZ", "A", "B", "C", "D"],
        "value": [50.0, 60.0, 51.0, 40.0, 71.2],
        "numerator": [5000.0, 600.0, 51.0, 400.0, None],
        "denominator": [10000.0, 1000.0, 100.0, 1000.0, None],
    })
    out = benchmark_regions(obs, "proportion", 100, "higher_is_better").set_index("region")
    assert out.loc["A", "category"] == "better"        # 60 % of 1000: CI 57–63, above 50
    assert out.loc["B", "category"] == "similar"       # 51 % of 100: CI 41–61 contains 50
    assert out.loc["C", "category"] == "worse"
    assert out.loc["D", "category"] == "not_compared"  # no counts: no interval, no judgement
    assert out.loc["KZ", "category"] == "not_compared"


def test_spine_summary_quartiles():
    obs = pd.DataFrame({"region": ["KZ", "A", "B", "C", "D", "E"], "value": [3.0, 1.0, 2.0, 3.0, 4.0, 5.0]})
    assert spine_summary(obs) == {"min": 1.0, "q25": 2.0, "q75": 4.0, "max": 5.0}


# --- funnel limits ----------------------------------------------------------------------------------------------
def _binom_cdf(r: int, n: int, p: float) -> float:
    return sum(math.comb(n, k) * p ** k * (1 - p) ** (n - k) for k in range(r + 1))


def test_proportion_limits_follow_spiegelhalter_appendix_interpolation_by_hand():
    # Spiegelhalter DJ (2005), "Funnel plots for comparing institutional performance", Stat Med 24:1185–1202,
    # appendix A.1.1: r_p = smallest r with P(R ≤ r) ≥ p; α = (P(R ≤ r_p) − p)/(P(R ≤ r_p) − P(R ≤ r_p − 1));
    # limit = (r_p − α)/n. Worked here by hand with math.comb for n = 50, θ0 = 0.2, p = 0.975.
    n, theta, p = 50, 0.2, 0.975
    r = next(k for k in range(n + 1) if _binom_cdf(k, n, theta) >= p)
    alpha = (_binom_cdf(r, n, theta) - p) / (_binom_cdf(r, n, theta) - _binom_cdf(r - 1, n, theta))
    _lower, upper = proportion_limits(theta, [n], 0.95)
    assert r == 16
    assert float(upper[0]) == pytest.approx((r - alpha) / n, abs=1e-9)


@pytest.mark.parametrize(("level", "z"), [(0.95, 1.96), (0.998, 3.09)])
def test_proportion_limits_approach_normal_limits_for_large_n(level, z):
    # Spiegelhalter (2005), section 3 / APHO Technical Briefing 2: for large n the limits are
    # θ0 ± z·sqrt(θ0(1 − θ0)/n), with z = 1.96 (95 %) and 3.09 (99.8 %).
    theta, n = 0.3, 200_000
    lo, hi = proportion_limits(theta, [n], level)
    se = math.sqrt(theta * (1 - theta) / n)
    assert float(lo[0]) == pytest.approx(theta - z * se, abs=0.02 * z * se + 1e-5)
    assert float(hi[0]) == pytest.approx(theta + z * se, abs=0.02 * z * se + 1e-5)


def test_rate_limits_approach_normal_limits_for_large_counts():
    rate, n = 50.0, 50_000_000  # per 100k: expected count 25,000
    lo, hi = rate_limits(rate, [n], 0.998, 1e5)
    se = math.sqrt(rate / 1e5 / n) * 1e5
    assert float(lo[0]) == pytest.approx(rate - 3.09 * se, rel=2e-4)
    assert float(hi[0]) == pytest.approx(rate + 3.09 * se, rel=2e-4)


def test_funnel_narrows_as_denominator_grows_and_998_is_wider():
    curve = funnel_curve(60.0, 1_000, 1_000_000, "proportion", 100)
    width95 = curve["upper_95"] - curve["lower_95"]
    assert width95.iloc[0] > width95.iloc[-1]
    assert (curve["upper_99.8"] >= curve["upper_95"]).all() and (curve["lower_99.8"] <= curve["lower_95"]).all()


def test_points_classified_against_limits():
    obs = pd.DataFrame({"region": ["A", "B", "C", "D"], "value": [60.0, 75.0, 40.0, 61.0],
                        "denominator": [10_000.0, 10_000.0, 10_000.0, None]})
    out = classify_points(obs, 60.0, "proportion", 100).set_index("region")["position"]
    assert out.to_dict() == {"A": "within", "B": "above_998", "C": "below_998", "D": "no_denominator"}


# --- trends -------------------------------------------------------------------------------------------------------
def test_chi_square_trend_by_hand():
    # 10/100, 20/100, 30/100 at scores 0,1,2: p = 0.2, x̄ = 1, T = 20, Var = 0.2·0.8·200 = 32, χ² = 400/32 = 12.5
    chi2, p, t_stat = chi_square_trend([10, 20, 30], [100, 100, 100])
    assert chi2 == pytest.approx(12.5)
    assert t_stat == pytest.approx(20.0)
    assert p == pytest.approx(0.000407, abs=1e-6)


def _series(values, numerators=None, denominators=None, periods=None):
    periods = periods or [str(2019 + i) for i in range(len(values))]
    return pd.DataFrame({"period": periods, "value": values, "numerator": numerators or [None] * len(values),
                         "denominator": denominators or [None] * len(values)})


def test_trend_directions_with_counts_and_by_regression():
    up = trend_of(_series([10, 15, 20, 25, 30], [100, 150, 200, 250, 300], [1000] * 5), "proportion")
    assert (up.direction, up.method, up.arrow) == ("increasing", "chi_square_trend", "↑")
    flat = trend_of(_series([10, 10.2, 9.9, 10.1, 10], [100, 102, 99, 101, 100], [1000] * 5), "proportion")
    assert flat.direction == "no_change"
    down = trend_of(_series([70.0, 69.0, 68.1, 67.0, 66.0]), "mean")
    assert (down.direction, down.method) == ("decreasing", "regression")
    assert down.improving("higher_is_better") is False
    assert trend_of(_series([1.0, 2.0]), "mean").direction == "cannot_calculate"


def test_quarterly_trend_uses_non_overlapping_quarters():
    periods = ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    s = _series(list(np.arange(8.0)), periods=periods)
    assert list(recent_points(s)["period"]) == ["2024Q4", "2025Q4"]


@given(theta=st.floats(min_value=0.001, max_value=0.999), n=st.integers(min_value=5, max_value=5_000_000))
def test_proportion_limits_bracket_the_target_and_stay_in_unit_interval(theta, n):
    lo95, hi95 = limits(theta * 100, [n], "proportion", 100, 0.95)
    lo998, hi998 = limits(theta * 100, [n], "proportion", 100, 0.998)
    assert 0.0 <= lo998[0] <= lo95[0] <= theta * 100
    assert theta * 100 <= hi95[0] <= hi998[0] <= 100.0


@given(rate=st.floats(min_value=0.1, max_value=500), n=st.integers(min_value=1_000, max_value=50_000_000))
def test_rate_limits_bracket_the_target_and_are_non_negative(rate, n):
    lo, hi = limits(rate, [n], "rate", 1e5, 0.998)
    assert 0.0 <= lo[0] <= rate <= hi[0]
