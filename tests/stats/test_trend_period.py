"""The map's "Recent change" describes the trend up to the period shown, not the end of the series."""

from __future__ import annotations

import pandas as pd

from analytics.trends import trends_by_region


def _obs(values: list[float], start: int = 2012) -> pd.DataFrame:
    return pd.DataFrame({"region": "KZ-11", "period": [str(start + i) for i in range(len(values))], "value": values,
                         "numerator": None, "denominator": None})


def test_trend_up_to_the_chosen_period():
    obs = _obs([10, 11, 12, 13, 14, 13, 12, 11, 10, 9])  # rises to 2016, falls after
    assert trends_by_region(obs, "mean")["KZ-11"].direction == "decreasing"
    assert trends_by_region(obs, "mean", up_to="2016")["KZ-11"].direction == "increasing"
    assert trends_by_region(obs, "mean", up_to="2013")["KZ-11"].direction == "cannot_calculate"


def test_trend_up_to_a_period_uses_the_points_before_it_in_order():
    shuffled = _obs([10, 11, 12, 13, 14, 13, 12, 11, 10, 9]).sample(frac=1, random_state=3)
    trend = trends_by_region(shuffled, "mean", up_to="2016")["KZ-11"]
    assert trend.points == 5 and trend.slope > 0
