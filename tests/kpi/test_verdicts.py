"""KPI verdicts that agree with their numbers (issue 20, items 2 and 3): a suppressed latest actual gets no status,
projections stay within what the indicator can take, computed actuals replacing entered ones are announced, and a
pillar's status is the worst of its KPIs with a status. Expected values worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from kpi import kpi_status, parse_framework, replaced_entries, rollup, save_actual, scorecard
from kpi.status import NOT_PUBLISHED
from tests.kpi_helpers import EDITOR, FRAMEWORK, kpi_engine

KPIS = {k.id: k for k in parse_framework(FRAMEWORK)}
TODAY = date(2026, 6, 30)


def acts(values: dict[str, float], suppressed: tuple[str, ...] = ()) -> pd.DataFrame:
    return pd.DataFrame({"quarter": list(values), "value": [np.nan if q in suppressed else v
                                                             for q, v in values.items()],
                         "suppressed": [q in suppressed for q in values]})


def test_a_suppressed_latest_actual_has_no_status_and_no_projection():
    st = kpi_status(KPIS["coverage_pct"], acts({"2025Q2": 45, "2025Q4": 0}, suppressed=("2025Q4",)), today=TODAY)
    assert (st.rag, st.projection, st.actual, st.projected) == (NOT_PUBLISHED, NOT_PUBLISHED, None, None)
    assert st.as_of_quarter == "2025Q4"
    # an earlier quarter with a published value still has its status
    assert kpi_status(KPIS["coverage_pct"], acts({"2025Q2": 45, "2025Q4": 0}, suppressed=("2025Q4",)),
                      as_of="2025Q3", today=TODAY).rag == "green"


def test_a_cumulative_total_is_unknown_from_its_first_suppressed_quarter_on():
    st = kpi_status(KPIS["people_reached"], acts({"2025Q1": 100, "2025Q2": 5, "2025Q3": 100},
                                                 suppressed=("2025Q2",)), today=TODAY)
    assert st.rag == NOT_PUBLISHED and st.actual is None


@pytest.mark.parametrize(("kpi_id", "values", "unclipped", "clipped"), [
    # one actual: the line from the baseline (2024-12-31, 20) through (2025-12-31, 5) reaches 20 - 3·15 = -25
    ("wait_days", {"2025Q4": 5}, -25, 0),
    # from (2024-12-31, 40) through (2025-12-31, 65): 40 + 3·25 = 115 % -> 100 %
    ("coverage_pct", {"2025Q4": 65}, 115, 100),
])
def test_projections_are_clipped_to_the_possible_range(kpi_id, values, unclipped, clipped):
    st = kpi_status(KPIS[kpi_id], acts(values), today=TODAY)
    assert st.projected == pytest.approx(clipped) and st.projected != pytest.approx(unclipped)


def test_a_falling_snapshot_count_is_not_projected_below_zero():
    kpi = replace(KPIS["people_reached"], aggregation="snapshot", baseline_value=400, target_value=1200)
    # from (2024-12-31, 400) through (2025-12-31, 100): 400 - 3·300 = -500 people -> 0
    assert kpi_status(kpi, acts({"2025Q4": 100}), today=TODAY).projected == 0


def test_a_pillar_status_is_the_worst_of_its_kpis_with_a_status():
    card = scorecard(list(KPIS.values()), {
        "coverage_pct": acts({"2025Q4": 49}),            # expected 50 -> 0.9 -> amber
        "wait_days": acts({"2025Q4": 17.5}),             # 1.25 -> green
        "people_reached": acts({"2025Q4": 400}),         # expected 400 -> green
        "survey_pct": acts({"2025Q4": 0}, suppressed=("2025Q4",)),
    }, today=TODAY)
    assert list(card["rag"]) == ["amber", "green", "green", NOT_PUBLISHED]
    roll = rollup(card).set_index("pillar")
    assert roll.loc["early_diagnosis", "rag"] == "amber"   # 1 green + 1 amber: amber, not green
    assert roll.loc["young_health", "rag"] == "green"      # 1 green, 1 not published: counted beside it
    assert roll.loc["young_health", ["green", "not published", "projected"]].tolist() == [1, 1, 1]
    assert roll.loc["overall", "rag"] == "amber"
    red = scorecard(list(KPIS.values()), {"wait_days": acts({"2025Q4": 19}), "coverage_pct": acts({"2025Q4": 60})},
                    today=TODAY)
    roll = rollup(red).set_index("pillar")
    assert roll.loc["early_diagnosis", "rag"] == "red" and roll.loc["young_health", "rag"] == "no data"
    assert roll.loc["young_health", "no data"] == 2 and roll.loc["overall", "rag"] == "red"


def test_computed_actuals_replacing_entered_ones_are_listed(db_url):
    engine = kpi_engine(db_url)
    kpi = replace(KPIS["wait_days"], indicator_id="rwd_days_suspicion_to_diagnosis_median")
    save_actual(engine, EDITOR, "wait_days", "2025Q2", 19, 0)
    save_actual(engine, EDITOR, "wait_days", "2025Q4", 18, 0)
    computed = pd.DataFrame({"quarter": ["2025Q4"], "value": [16.5], "source": ["indicator x"],
                             "suppressed": [False], "updated_at": [pd.Timestamp("2026-03-02 10:00")],
                             "updated_by": ["RWD run"]})
    rows = replaced_entries(engine, kpi, computed)
    assert rows["quarter"].tolist() == ["2025Q2", "2025Q4"]
    assert rows["entered_value"].tolist() == [19, 18] and rows["counted_value"].tolist()[1] == 16.5
    assert set(rows["by"]) == {"RWD run"} and rows["at"].max() == pd.Timestamp("2026-03-02 10:00")
    entered = computed.assign(source="entered")
    assert replaced_entries(engine, kpi, entered).empty
