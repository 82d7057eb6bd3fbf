"""RAG status and projection checked against numbers worked out by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kpi import Thresholds, kpi_status, parse_framework, rollup, scorecard
from kpi.status import expected_value
from tests.kpi_helpers import FRAMEWORK

KPIS = {k.id: k for k in parse_framework(FRAMEWORK)}
TODAY = date(2026, 6, 30)


def acts(values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"quarter": list(values), "value": list(values.values())})


def test_expected_value_on_the_straight_path_and_held_at_the_ends():
    kpi = KPIS["coverage_pct"]
    assert expected_value(kpi, date(2025, 12, 31)) == pytest.approx(40 + 30 / 3)
    assert expected_value(kpi, date(2024, 1, 1)) == 40
    assert expected_value(kpi, date(2030, 1, 1)) == 70


def test_higher_is_better_snapshot_amber_and_projection_at_risk():
    # expected at 2025-12-31 = 50; achieved 9 of the 10 expected points -> 0.9 -> amber.
    # Trend through (2025-06-30, 45) and (2025-12-31, 49): 4 per 184 days; 730 more days to the target.
    st = kpi_status(KPIS["coverage_pct"], acts({"2025Q2": 45, "2025Q4": 49}), today=TODAY)
    assert st.as_of_quarter == "2025Q4" and st.actual == 49
    assert st.expected == pytest.approx(50)
    assert st.progress_ratio == pytest.approx(0.9)
    assert st.rag == "amber"
    assert st.projected == pytest.approx(49 + 4 * 730 / 184)
    assert st.projection == "at risk"  # (64.87 - 40) / 30 = 0.83
    assert st.expected_today == pytest.approx(40 + 30 * 546 / 1095)


def test_lower_is_better_green_on_track_and_red_off_track():
    kpi = KPIS["wait_days"]
    # expected at 2025-12-31 = 20 - 6/3 = 18; 17.5 is 2.5 of the 2 expected days down -> 1.25 -> green.
    # One actual: line from baseline (2024-12-31, 20) through (2025-12-31, 17.5) -> 20 - 3 * 2.5 = 12.5 at target.
    good = kpi_status(kpi, acts({"2025Q4": 17.5}), today=TODAY)
    assert (good.expected, good.progress_ratio, good.rag) == (pytest.approx(18), pytest.approx(1.25), "green")
    assert good.projected == pytest.approx(12.5) and good.projection == "on track"
    # 19 is only 1 of 2 expected days down -> 0.5 -> red; projected 20 - 3 = 17 -> share 0.5 -> off track.
    bad = kpi_status(kpi, acts({"2025Q4": 19}), today=TODAY)
    assert (bad.progress_ratio, bad.rag) == (pytest.approx(0.5), "red")
    assert bad.projected == pytest.approx(17) and bad.projection == "off track"
    # getting worse (above baseline) is red, not green
    assert kpi_status(kpi, acts({"2025Q4": 21}), today=TODAY).rag == "red"


def test_cumulative_kpi_sums_quarters_and_projects_the_running_total():
    kpi = KPIS["people_reached"]
    st = kpi_status(kpi, acts({"2025Q1": 100, "2025Q2": 100, "2025Q3": 100, "2025Q4": 100}), today=TODAY)
    assert st.actual == 400 and st.expected == pytest.approx(400) and st.rag == "green"
    # least squares by hand: x = days after 2024-12-31 of the quarter ends, y = running totals
    xs, ys = [90, 181, 273, 365], [100, 200, 300, 400]
    mx, my = sum(xs) / 4, sum(ys) / 4
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    assert st.projected == pytest.approx(my + slope * (1095 - mx))
    assert st.projection == "on track"


def test_status_as_of_an_earlier_quarter_ignores_later_actuals():
    st = kpi_status(KPIS["coverage_pct"], acts({"2025Q2": 45, "2025Q4": 49}), as_of="2025Q3", today=TODAY)
    assert st.as_of_quarter == "2025Q2" and st.actual == 45


def test_kpi_without_actuals_has_no_data():
    st = kpi_status(KPIS["survey_pct"], acts({}), today=TODAY)
    assert (st.rag, st.projection, st.actual, st.projected) == ("no data", "no data", None, None)
    assert st.expected_today == pytest.approx(14 - 5 * 546 / 1095)


def test_thresholds_come_from_config():
    strict = Thresholds.from_config({"green_at": 1.0, "amber_at": 0.95})
    assert kpi_status(KPIS["coverage_pct"], acts({"2025Q4": 49}), thresholds=strict).rag == "red"
    lenient = Thresholds.from_config({"green_at": 0.85})
    assert kpi_status(KPIS["coverage_pct"], acts({"2025Q4": 49}), thresholds=lenient).rag == "green"


def test_rollup_counts_per_pillar_and_overall():
    card = scorecard(list(KPIS.values()), {"coverage_pct": acts({"2025Q4": 49}), "wait_days": acts({"2025Q4": 17.5}),
                                           "people_reached": acts({"2025Q4": 100})}, today=TODAY)
    assert list(card["rag"]) == ["amber", "green", "red", "no data"]
    roll = rollup(card).set_index("pillar")
    assert roll.loc["early_diagnosis", ["green", "amber", "red"]].tolist() == [1, 1, 0]
    assert roll.loc["early_diagnosis", "score"] == pytest.approx(0.75)
    assert roll.loc["young_health", ["red", "no data"]].tolist() == [1, 1]
    assert roll.loc["overall", "kpis"] == 4 and roll.loc["overall", "score"] == pytest.approx(1.5 / 3)
