"""The public KPI pages under AppTest: the scorecard's cards and table, regional targets on a KPI's detail page."""

from __future__ import annotations

import pytest

from tests.apptest_helpers import open_page, screen_text

pytestmark = pytest.mark.usefixtures("app_store")  # the public app on the module's seeded store (pages/conftest.py)


def test_kpi_with_regional_targets_shows_region_names():
    at = open_page("pages/kpi_detail.py", {"kpi": "yhp_young_people_reached"})
    targets = next(frame.value for frame in at.dataframe if "Region" in frame.value.columns)
    assert {"Almaty", "Astana", "Shymkent"} <= set(targets["Region"])


def test_scorecard_cards_state_status_and_projection_as_two_labelled_facts_and_count_no_data(store_url):
    from data_sources.seed import open_store
    from kpi import ensure_kpi_schema, list_kpis

    at = open_page("pages/kpi_scorecard.py")
    kpis = list_kpis(ensure_kpi_schema(open_store(store_url)))
    assert all(m.delta in (None, "") for m in at.metric), "no 'n of m on track' under a status it may contradict"
    assert {m.label for m in at.metric} == {"Status"}
    captions = [c.value for c in at.caption]
    projections = [c for c in captions if c.startswith("Projection: ")]
    assert len(projections) == len(at.metric)
    assert any(f"of {len(kpis)} on track" in c for c in projections)  # "· N without a projection" may follow
    assert any("1 no data" in c for c in captions), "a KPI without data is counted as 'no data'"
    rows = [row for frame in at.table if "KPI" in frame.value.columns for _i, row in frame.value.iterrows()]
    assert len(rows) == len(kpis)
    assert any(row["Status"] == "No data" for row in rows)
    assert "None" not in screen_text(at) and "nan" not in screen_text(at).split()
