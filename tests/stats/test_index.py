"""The resilience index against a hand computation, its sensitivity, capacity gaps and small-number suppression."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics.capacity import capacity_gaps, reference_level
from analytics.resilience import compute_index, indicator_table, normalise, sensitivity
from analytics.suppression import COMPLEMENTARY_NOTE, suppress_small_numbers

# 3 regions × 2 indicators: "a" higher is better, "b" lower is better; one indicator per domain.
TABLE = pd.DataFrame({"a": [10.0, 20.0, 30.0], "b": [5.0, 15.0, 10.0]}, index=["R1", "R2", "R3"])
POLARITIES = {"a": "higher_is_better", "b": "lower_is_better"}
DOMAINS = {"d1": ("a",), "d2": ("b",)}


def test_index_matches_hand_computation_with_equal_weights():
    # min–max: a → 0, 50, 100; b (flipped) → (15−5)/10·100 = 100, 0, 50. Equal weights: 50, 25, 75.
    out = compute_index(TABLE, POLARITIES, DOMAINS, {"d1": 1, "d2": 1})
    assert out.loc["R1", "d1"] == 0 and out.loc["R2", "d1"] == 50 and out.loc["R3", "d1"] == 100
    assert out.loc["R1", "d2"] == 100 and out.loc["R2", "d2"] == 0 and out.loc["R3", "d2"] == 50
    assert out["index"].to_dict() == {"R3": 75.0, "R1": 50.0, "R2": 25.0}
    assert out["rank"].to_dict() == {"R3": 1, "R1": 2, "R2": 3}


def test_weights_change_the_ranking_as_computed_by_hand():
    # weights 3:1 → R1 = (0·3 + 100)/4 = 25, R2 = (50·3 + 0)/4 = 37.5, R3 = (100·3 + 50)/4 = 87.5
    out = compute_index(TABLE, POLARITIES, DOMAINS, {"d1": 3, "d2": 1})
    assert out["index"].to_dict() == {"R3": 87.5, "R2": 37.5, "R1": 25.0}
    assert list(out.index) == ["R3", "R2", "R1"]


def test_zscore_normalisation_by_hand():
    z = normalise(TABLE["a"], "higher_is_better", "zscore")
    sd = math.sqrt((100 + 0 + 100) / 3)
    assert list(z) == pytest.approx([-10 / sd, 0.0, 10 / sd])
    assert list(normalise(TABLE["a"], "lower_is_better", "zscore")) == pytest.approx([10 / sd, 0.0, -10 / sd])


def test_region_missing_a_domain_is_scored_on_the_rest_and_flagged():
    table = pd.concat([TABLE, pd.DataFrame({"a": [20.0], "b": [np.nan]}, index=["R4"])])
    out = compute_index(table, POLARITIES, DOMAINS, {"d1": 1, "d2": 1})
    assert out.loc["R4", "domains_used"] == 1
    assert out.loc["R4", "index"] == pytest.approx(50.0)


def test_sensitivity_rank_range_covers_the_chosen_rank():
    sens = sensitivity(TABLE, POLARITIES, DOMAINS, {"d1": 1, "d2": 1}, draws=200)
    assert (sens["rank_min"] <= sens["rank"]).all() and (sens["rank"] <= sens["rank_max"]).all()
    # R3 beats R2 on both domains, so no weighting can put R2 first.
    assert sens.loc["R2", "rank_min"] >= 2
    assert sens.loc["R1", "rank_min"] == 1 and sens.loc["R1", "rank_max"] == 3  # leave-one-out moves R1 fully


def test_indicator_table_takes_each_indicators_latest_regional_period():
    obs = pd.DataFrame({"indicator_id": ["a", "a", "a", "b"], "region": ["R1", "R1", "KZ", "R1"],
                        "period": ["2021", "2022", "2023", "2024Q2"], "value": [1.0, 2.0, 9.0, 3.0]})
    table, used = indicator_table(obs, ["a", "b", "missing"])
    assert used == {"a": "2022", "b": "2024Q2"}
    assert table.loc["R1", "a"] == 2.0


# --- capacity gaps ----------------------------------------------------------------------------------------------
def test_units_needed_to_reach_the_national_rate():
    obs = pd.DataFrame({"region": ["KZ", "A", "B"], "value": [15.0, 5.0, 30.0],
                        "numerator": [30.0, 5.0, 15.0], "denominator": [2_000_000.0, 1_000_000.0, 500_000.0]})
    ref = reference_level(obs, "national")
    gaps = capacity_gaps(obs, 1e6, ref)
    # A: 15 per million × 1,000,000 = 15 units, has 5 → needs 10; B is above the reference → 0
    assert gaps.loc["A", "units_needed"] == 10 and gaps.loc["B", "units_needed"] == 0
    custom = capacity_gaps(obs, 1e6, reference_level(obs, "custom", 40.0))
    assert custom.loc["B", "units_needed"] == 5 and custom.loc["A", "units_needed"] == 35


def test_units_estimated_from_rate_and_population_when_no_count():
    obs = pd.DataFrame({"region": ["KZ", "A"], "value": [50.0, 40.0], "numerator": [None, None],
                        "denominator": [None, None]})
    gaps = capacity_gaps(obs, 1e4, 50.0, population=pd.Series({"A": 100_000.0}))
    assert gaps.loc["A", "units"] == pytest.approx(400.0) and bool(gaps.loc["A", "units_estimated"])
    assert gaps.loc["A", "units_needed"] == 100


# --- suppression ------------------------------------------------------------------------------------------------
def _cells(numerators: dict[str, float]) -> pd.DataFrame:
    rows = [{"indicator_id": "x", "period": "2024", "region": r, "numerator": n, "denominator": 1000.0,
             "value": n / 10, "ci_lower": None, "ci_upper": None, "note": None} for r, n in numerators.items()]
    return pd.DataFrame(rows)


def test_one_small_cell_that_the_total_would_reveal_takes_the_next_smallest_with_it():
    # KZ = 4 + 25 + 30 + 41 = 100: hiding only A's 4 leaves it recoverable as 100 − 25 − 30 − 41.
    df = _cells({"KZ": 100, "A": 4, "B": 25, "C": 30, "D": 41})
    out = suppress_small_numbers(df, threshold=10).set_index("region")
    assert out.loc["A", "suppressed"] and np.isnan(out.loc["A", "value"]) and np.isnan(out.loc["A", "numerator"])
    assert out.loc["B", "suppressed"] and out.loc["B", "note"] == COMPLEMENTARY_NOTE
    assert not out.loc[["C", "D", "KZ"], "suppressed"].any()
    shown = out.loc[["C", "D"], "numerator"].sum()
    assert out.loc["KZ", "numerator"] - shown == 29  # only A + B together can be recovered, not A alone
    assert out.loc["A", "denominator"] == 1000.0


def test_two_small_cells_need_no_complement_and_threshold_is_configurable():
    out = suppress_small_numbers(_cells({"KZ": 100, "A": 4, "B": 6, "C": 90}), threshold=10)
    assert out["suppressed"].tolist() == [False, True, True, False]
    assert not suppress_small_numbers(_cells({"KZ": 100, "A": 4, "B": 96}), threshold=3)["suppressed"].any()


def test_count_indicators_use_their_value_and_exempt_ones_are_left_alone():
    df = pd.DataFrame({"indicator_id": ["deaths", "deaths", "deaths", "scanners"], "period": ["2024"] * 4,
                       "region": ["KZ", "A", "B", "A"], "value": [20.0, 3.0, 17.0, 2.0], "note": [None] * 4})
    out = suppress_small_numbers(df, 10, count_indicators={"deaths", "scanners"}, exempt={"scanners"})
    assert out["suppressed"].tolist() == [False, True, True, False]
