"""Classification of map values on hand-made data: quantiles, natural breaks, few distinct values, gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.classes import class_label, classify


def _darkness(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 1 - (0.2126 * r + 0.7152 * g + 0.0722 * b)


def test_quantiles_put_equal_counts_in_each_class() -> None:
    values = pd.Series(range(1, 11), index=[f"r{i}" for i in range(10)], dtype=float)
    classes = classify(values, "none", "quantiles", k=5)
    assert classes.k == 5
    assert classes.assignment.value_counts().sort_index().tolist() == [2, 2, 2, 2, 2]
    assert classes.assignment["r0"] == 0 and classes.assignment["r9"] == 4
    assert classes.bounds[0] == 1.0 and classes.bounds[-1] == 10.0
    assert classes.bounds == sorted(classes.bounds)


def test_natural_breaks_find_obvious_clusters() -> None:
    values = pd.Series([1.0, 1.2, 1.1, 10.0, 10.3, 20.0, 20.5, 19.8])
    classes = classify(values, "none", "natural_breaks", k=3)
    assert classes.k == 3
    assert classes.assignment.tolist() == [0, 0, 0, 1, 1, 2, 2, 2]
    assert classes.bounds == [1.0, 1.2, 10.3, 20.5]


def test_fewer_distinct_values_than_classes() -> None:
    values = pd.Series([5.0, 5.0, 7.0, 7.0, 7.0])
    for scheme in ("quantiles", "natural_breaks"):
        classes = classify(values, "higher_is_better", scheme, k=5)
        assert classes.k == 2
        assert classes.assignment.tolist() == [0, 0, 1, 1, 1]
        assert len(classes.colours) == 2


def test_one_distinct_value_is_one_class_and_missing_values_stay_unclassified() -> None:
    values = pd.Series([3.0, np.nan, 3.0])
    classes = classify(values, "lower_is_better", "quantiles", k=5)
    assert classes.k == 1
    assert classes.assignment.tolist() == [0, -1, 0]
    empty = classify(pd.Series([np.nan, np.nan]), "none")
    assert empty.k == 0 and empty.assignment.tolist() == [-1, -1]


@pytest.mark.parametrize(("polarity", "darkest_class"), [
    ("higher_is_better", 0), ("lower_is_better", 4), ("none", 4)])
def test_colours_are_darker_for_worse(polarity: str, darkest_class: int) -> None:
    classes = classify(pd.Series(np.arange(20.0)), polarity, "quantiles", k=5)
    darkness = [_darkness(c) for c in classes.colours]
    assert darkness.index(max(darkness)) == darkest_class
    assert len(set(classes.colours)) == 5


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="scheme"):
        classify(pd.Series([1.0, 2.0]), "none", "equal_interval")


def test_class_label_states_both_bounds() -> None:
    assert class_label([1.0, 2.345, 10_000.0], 1, 1) == "2.3 – 10,000.0"
