"""The statistics pages render in the app: comparison map, spine chart, funnel plot, resilience index, capacity."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from core.access import Identity
from tests.conftest import ROOT
from tests.figures import page_figures


@pytest.fixture()
def app(app_env):
    streamlit.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    return at


def _open(at: AppTest, page: str, **params) -> AppTest:
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def _array(data) -> np.ndarray:
    """A plotly JSON array: a plain list, or a base64 typed array ({"dtype": …, "bdata": …})."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
    return np.asarray(data, dtype=float)


def _figures(at: AppTest) -> list[dict]:
    return page_figures(at)


def test_map_compared_with_kazakhstan(app):
    at = _open(app, "pages/regional_map.py", indicator="breast_cancer_screening_coverage_pct", mapmode="benchmark",
               ci="99.8")
    fig = _figures(at)[0]
    regions = [loc for trace in fig["data"] for loc in trace["locations"]]
    assert len(regions) == 20 and len(set(regions)) == 20
    names = {trace["name"] for trace in fig["data"]}
    # the screening series are illustrative: their verdicts demonstrate the method, they are never findings
    assert any(n.startswith("Illustrative — demonstrates the method: Significantly") for n in names)
    assert not names & {"Significantly better than Kazakhstan", "Significantly worse than Kazakhstan"}
    assert all(len(row) == 2 for trace in fig["data"] for row in trace["customdata"])
    assert "OpenStreetMap" in json.dumps(fig["layout"]["annotations"])
    assert "99.8%" in fig["layout"]["legend"]["title"]["text"]
    table = at.dataframe[0].value
    assert "Compared with Kazakhstan" in table.columns and "Recent change" in table.columns
    assert table["Recent change"].str.contains("Increasing|Decreasing|No significant change").all()


def test_map_without_counts_is_all_not_compared(app):
    at = _open(app, "pages/regional_map.py", indicator="life_expectancy_years", mapmode="benchmark")
    fig = _figures(at)[0]
    assert [trace["name"] for trace in fig["data"]] == ["Not compared (no interval)"]


def test_map_value_mode_is_unchanged(app):
    at = _open(app, "pages/regional_map.py", indicator="physicians_per_10k")
    fig = _figures(at)[0]
    assert sum(len(trace["locations"]) for trace in fig["data"]) == 20
    assert not any(trace["name"].startswith("Significantly") for trace in fig["data"])


def test_profile_spine_chart_and_trend_column(app):
    at = _open(app, "pages/region_profile.py", region="KZ-39")
    spine = next(f for f in _figures(at) if f["layout"].get("barmode") == "overlay")
    markers = [trace for trace in spine["data"] if trace["type"] == "scatter"]
    # Issue 20 §12: each muted (illustrative) marker style has its own legend entry naming its category.
    muted = [trace for trace in markers if trace["name"].startswith("Illustrative — demonstrates the method (")]
    assert muted and all(trace.get("showlegend", True) for trace in muted)
    assert len({trace["marker"]["color"] for trace in muted}) == len({trace["name"] for trace in muted}) == len(muted)
    assert not any(trace["name"].startswith("Significantly") for trace in markers)  # no verdict on synthetic data
    bars = [trace for trace in spine["data"] if trace["type"] == "bar"]
    assert {trace["name"] for trace in bars} == {"Range of the regions", "25th–75th percentile"}
    labels = " ".join(str(v) for df in at.table for v in df.value.get("Recent change", []))
    assert "Increasing" in labels or "Decreasing" in labels
    lower, upper = _breast_interval(at)
    screening = next(df.value for df in at.table if any(
        str(name).startswith("Breast cancer screening coverage [") for name in df.value.get("Indicator", [])))
    row = screening[screening["Indicator"].str.startswith("Breast cancer screening coverage [")].iloc[0]
    assert lower < float(row["Value"].replace(",", "")) < upper  # Wilson interval from the counts


def _funnel_points(fig: dict) -> list[list]:
    return [row for trace in fig["data"] if trace.get("mode") == "markers+text" for row in trace["customdata"]]


def test_funnel_plot_has_limits_and_twenty_regions(app):
    at = _open(app, "pages/funnel.py", indicator="breast_cancer_screening_coverage_pct", period="2025Q3")
    fig = _figures(at)[0]
    lines = [trace for trace in fig["data"] if trace.get("mode") == "lines"]
    assert {trace["name"] for trace in lines} == {"95% control limits", "99.8% control limits"}
    assert len(_funnel_points(fig)) == 20


def test_funnel_offers_no_census_and_can_allow_for_overdispersion(app):
    # scanners per million are a complete count (census): no control limits, the page falls back to a sample
    at = _open(app, "pages/funnel.py", indicator="ct_units_per_million", period="2025Q3")
    assert at.selectbox(key="_w_indicator").value == "breast_cancer_screening_coverage_pct"
    fig = _figures(at)[0]
    assert len(_funnel_points(fig)) == 20
    upper = _array(next(trace for trace in fig["data"] if trace.get("name") == "99.8% control limits")["y"])
    at.toggle(key="overdispersion").set_value(True).run()
    assert not at.exception
    widened = _array(next(trace for trace in _figures(at)[0]["data"]
                          if trace.get("name") == "99.8% control limits")["y"])
    assert len(widened) == len(upper) and (widened >= upper - 1e-9).all()  # never narrower than the exact limits


def test_funnel_names_the_region_without_a_denominator(app):
    # 2025Q4 West Kazakhstan is the published 96.2 % (no counts): it cannot sit on a funnel and is named instead.
    at = _open(app, "pages/funnel.py", indicator="breast_cancer_screening_coverage_pct", period="2025Q4")
    assert len(_funnel_points(_figures(at)[0])) == 19
    assert any("West Kazakhstan" in c.value for c in at.caption)


def _ranking(at: AppTest) -> list[str]:
    return list(at.table[0].value["Region"])


def test_resilience_index_weights_change_the_ranking(app):
    at = _open(app, "pages/resilience_index.py")
    before = _ranking(at)
    assert len(before) == 20
    assert len(_figures(at)) == 2  # ranking bars and rank-range bars
    for domain in ("diagnostics", "workforce", "outcomes"):
        at.select_slider(key=f"w_{domain}").set_value(0.0)
    at.select_slider(key="w_screening").set_value(5.0)
    at.run()
    assert not at.exception
    after = _ranking(at)
    assert sorted(after) == sorted(before) and after != before
    assert "Handbook on Constructing Composite Indicators" in " ".join(m.value for m in at.markdown)


def test_capacity_gaps_page(app):
    at = _open(app, "pages/capacity_gaps.py", indicator="ct_units_per_million")
    table = at.table[0].value
    needed = table["Units needed"]
    assert (needed >= 0).all() and needed.max() > 0
    assert len(table) == 20


def _plant_small_count(db_url: str) -> None:
    """Kyzylorda's breast screening in 2025Q3 becomes 4 women screened: a count the public must not see."""
    from sqlalchemy import update

    from data_sources.seed import init_store
    from store import make_engine
    from store.schema import observations

    engine = init_store(make_engine(db_url))
    with engine.begin() as conn:
        conn.execute(update(observations).where(
            (observations.c.indicator_id == "breast_cancer_screening_coverage_pct")
            & (observations.c.region == "KZ-43") & (observations.c.period == "2025Q3")
        ).values(numerator=4.0, value=4.0 / 50_000 * 100))


def _map_values(at: AppTest) -> dict[str, float | None]:
    fig = _figures(at)[0]
    return {row[0]: row[1] for trace in fig["data"] for row in trace["customdata"]}


def test_public_map_suppresses_small_counts_and_their_complement(app, db_url):
    _plant_small_count(db_url)
    at = _open(app, "pages/regional_map.py", indicator="breast_cancer_screening_coverage_pct", period="2025Q3")
    values = _map_values(at)
    hidden = [code for code, value in values.items() if value is None]
    assert "KZ-43" in hidden and len(hidden) == 2  # the small cell and the one that would reveal it
    assert any("hidden to protect privacy" in info.value for info in at.info)


def test_internal_instance_shows_every_value(app, db_url, monkeypatch):
    monkeypatch.setenv("DENSAULYQ_MODE", "internal")
    _plant_small_count(db_url)
    app.session_state["identity"] = Identity("analyst", "viewer", "internal")  # the internal instance needs a log-in
    at = _open(app, "pages/regional_map.py", indicator="breast_cancer_screening_coverage_pct", period="2025Q3")
    assert all(value is not None for value in _map_values(at).values())
    assert not any("hidden to protect privacy" in info.value for info in at.info)


def test_map_toggle_switches_to_the_comparison_and_back(app):
    at = _open(app, "pages/regional_map.py", indicator="cervical_cancer_screening_coverage_pct")
    assert not any(trace["name"].startswith("Significantly") for trace in _figures(at)[0]["data"])
    at.radio(key="_w_mapmode").set_value("benchmark").run()
    assert not at.exception
    assert at.query_params["mapmode"] == "benchmark"  # the comparison view is shareable as a link
    assert any(trace["name"].startswith("Illustrative — demonstrates the method: Significantly")
               for trace in _figures(at)[0]["data"])
    at.radio(key="_w_mapmode").set_value("value").run()
    assert sum(len(trace["locations"]) for trace in _figures(at)[0]["data"]) == 20
    assert not any(trace["name"].startswith("Significantly") for trace in _figures(at)[0]["data"])


def _breast_interval(at: AppTest) -> tuple[float, float]:
    """The interval as the profile table shows it ("61.2 – 64.0" in the "95% CI" or "99.8% CI" column)."""
    table = next(df.value for df in at.table if any(
        str(name).startswith("Breast cancer screening coverage [") for name in df.value.get("Indicator", [])))
    row = table[table["Indicator"].str.startswith("Breast cancer screening coverage [")].iloc[0]
    text = next(row[c] for c in table.columns if c.endswith("% CI"))
    lower, upper = (float(part.replace(",", "")) for part in text.split(" – "))
    return lower, upper


def test_choosing_998_widens_the_intervals_and_goes_into_the_link(app):
    at = _open(app, "pages/region_profile.py", region="KZ-62")
    lo95, hi95 = _breast_interval(at)
    at.selectbox(key="_w_ci").set_value("99.8").run()  # a user's choice, not a link
    assert not at.exception
    assert at.query_params["ci"] == "99.8"
    lo998, hi998 = _breast_interval(at)
    assert lo998 < lo95 and hi998 > hi95


def test_a_users_choice_in_a_url_picker_sticks(app):
    # ui.widgets: the URL wins on load, so a user's change must reach the URL before the rerun reads it.
    at = _open(app, "pages/regional_map.py")
    at.selectbox(key="_w_indicator").set_value("physicians_per_10k").run()
    assert at.query_params["indicator"] == "physicians_per_10k"
    assert at.selectbox(key="_w_indicator").value == "physicians_per_10k"
