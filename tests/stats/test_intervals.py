"""Confidence intervals against published worked examples, and properties that must hold for any input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.intervals import (
    add_intervals,
    byar_interval,
    exact_poisson_interval,
    rate_interval,
    wilson_interval,
    z_value,
)


def test_z_values_for_the_two_levels_the_dashboard_offers():
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_value(0.998) == pytest.approx(3.090232, abs=1e-6)


# Newcombe RG (1998), "Two-sided confidence intervals for the single proportion: comparison of seven methods",
# Statistics in Medicine 17:857–872, Table II, method 3 (Wilson score without continuity correction).
@pytest.mark.parametrize(("x", "n", "lower", "upper"), [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_wilson_matches_newcombe_1998(x, n, lower, upper):
    lo, hi = wilson_interval(x, n, 0.95)
    assert float(lo) == pytest.approx(lower, abs=5e-5)
    assert float(hi) == pytest.approx(upper, abs=5e-5)


# Exact 95 % limits of a Poisson count, as tabulated by Garwood (1936) and reproduced in the Documenta Geigy
# Scientific Tables and in Breslow & Day (1987), vol. II, appendix table.
@pytest.mark.parametrize(("count", "lower", "upper"), [
    (0, 0.0, 3.689),
    (1, 0.0253, 5.572),
    (2, 0.242, 7.225),
    (5, 1.623, 11.668),
    (10, 4.795, 18.390),
    (20, 12.217, 30.888),
])
def test_exact_poisson_matches_published_table(count, lower, upper):
    lo, hi = exact_poisson_interval(count, 0.95)
    assert float(lo) == pytest.approx(lower, abs=6e-4)
    assert float(hi) == pytest.approx(upper, abs=6e-4)


@pytest.mark.parametrize("count", [10, 12, 25, 50, 100, 389, 1000])
def test_byar_within_published_accuracy_of_exact(count):
    # PHE "Technical Guide: Confidence Intervals" (2018), appendix 1: for 95 % intervals Byar's method is within
    # 0.2 % of the exact value for numerators of 10 or more.
    b_lo, b_hi = byar_interval(count, 0.95)
    e_lo, e_hi = exact_poisson_interval(count, 0.95)
    assert abs(float(b_lo) / float(e_lo) - 1) < 0.002
    assert abs(float(b_hi) / float(e_hi) - 1) < 0.002


def test_byar_by_hand_for_ten_events():
    # Breslow & Day (1987) eq. 2.11 worked by hand for O = 10, z = 1.96:
    # lower = 10 (1 − 1/90 − 1.96/(3√10))³, upper = 11 (1 − 1/99 + 1.96/(3√11))³
    z = 1.959964
    lower = 10 * (1 - 1 / 90 - z / (3 * math.sqrt(10))) ** 3
    upper = 11 * (1 - 1 / 99 + z / (3 * math.sqrt(11))) ** 3
    lo, hi = byar_interval(10, 0.95)
    assert float(lo) == pytest.approx(lower, rel=1e-6) and float(lo) == pytest.approx(4.787, abs=1e-3)
    assert float(hi) == pytest.approx(upper, rel=1e-6) and float(hi) == pytest.approx(18.391, abs=1e-3)


def test_rate_interval_uses_exact_method_below_ten_and_scales_by_the_multiplier():
    lo, hi = rate_interval([3, 40], [221_395, 2_161_695], 1e6, 0.95)
    e_lo, e_hi = exact_poisson_interval(3, 0.95)
    assert hi[0] == pytest.approx(float(e_hi) / 221_395 * 1e6)
    assert lo[0] == pytest.approx(float(e_lo) / 221_395 * 1e6)
    b_lo, _b_hi = byar_interval(40, 0.95)
    assert lo[1] == pytest.approx(float(b_lo) / 2_161_695 * 1e6)
    assert hi[0] > 3 / 221_395 * 1e6 > lo[0]


def test_wider_at_998_than_at_95():
    lo95, hi95 = wilson_interval(40, 100, 0.95)
    lo998, hi998 = wilson_interval(40, 100, 0.998)
    assert lo998 < lo95 < 0.4 < hi95 < hi998


def test_add_intervals_uses_counts_source_ci_or_says_none():
    obs = pd.DataFrame({
        "region": ["A", "B", "C"], "value": [40.0, 55.0, 12.0],
        "numerator": [40.0, None, None], "denominator": [100.0, None, None],
        "ci_lower": [None, 50.0, None], "ci_upper": [None, 60.0, None],
    })
    out = add_intervals(obs, "proportion", 100, 0.95)
    assert list(out["ci_method"]) == ["wilson", "source", "none"]
    assert out.loc[1, "lower"] == 50.0 and out.loc[1, "upper"] == 60.0
    assert np.isnan(out.loc[2, "lower"])
    wider = add_intervals(obs, "proportion", 100, 0.998)
    assert wider.loc[1, "ci_method"] == "source_rescaled"
    assert wider.loc[1, "lower"] < 50.0 and wider.loc[1, "upper"] > 60.0


def test_mean_indicators_get_no_invented_interval():
    obs = pd.DataFrame({"region": ["A"], "value": [71.2], "numerator": [None], "denominator": [None]})
    out = add_intervals(obs, "mean", None)
    assert out.loc[0, "ci_method"] == "none" and np.isnan(out.loc[0, "upper"])


@given(n=st.integers(min_value=1, max_value=10_000_000), share=st.floats(min_value=0, max_value=1),
       level=st.sampled_from([0.95, 0.998]))
def test_wilson_contains_estimate_and_stays_in_unit_interval(n, share, level):
    x = round(share * n)
    lo, hi = wilson_interval(x, n, level)
    assert 0.0 <= float(lo) <= x / n + 1e-12
    assert x / n - 1e-12 <= float(hi) <= 1.0


@given(count=st.integers(min_value=0, max_value=1_000_000), n=st.integers(min_value=1, max_value=50_000_000),
       level=st.sampled_from([0.95, 0.998]), method=st.sampled_from(["byar", "exact"]))
def test_rate_interval_contains_estimate_and_is_non_negative(count, n, level, method):
    lo, hi = rate_interval(count, n, 1e5, level, method)
    rate = count / n * 1e5
    assert 0.0 <= float(lo) <= rate * (1 + 1e-12)
    assert float(hi) >= rate * (1 - 1e-12)
