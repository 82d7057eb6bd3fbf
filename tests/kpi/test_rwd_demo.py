"""The RWD demo the Real-world data page suggests (``python -m rwd synthesize`` then ``compute``), then the KPI
pages of the public instance (issue 20, items 2 and 3): the stage-IV share is suppressed there, so it reads "Not
published (fewer than 10 cases)" with no status, and the computed actuals that replace the entered ones are
announced on the KPI page and in its history."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from rwd.__main__ import main as rwd_main
from tests.apptest_helpers import open_page

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def demo_store(monkeypatch, db_url, tmp_path) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DENSAULYQ_MODE", "public")
    assert rwd_main(["synthesize", "--persons", "20000", "--out", str(tmp_path / "cdm")]) == 0
    assert rwd_main(["compute", "--cdm", str(tmp_path / "cdm"), "--quiet"]) == 0
    streamlit.cache_resource.clear()
    import ui.context

    ui.context.settings.clear()
    return db_url


def _open(page: str, query: dict[str, str] | None = None) -> AppTest:
    return open_page(page, query, timeout=120)


def test_scorecard_after_the_rwd_demo_gives_no_status_from_a_hidden_number(demo_store):
    at = _open("pages/kpi_scorecard.py")
    rows = {row["KPI"]: row for table in at.table if "KPI" in table.value for row in table.value.to_dict("records")}
    stage_iv = rows["Cancers diagnosed at stage IV"]
    assert (stage_iv["Status"], stage_iv["Projection"]) == ("Not published", "Not published")
    assert stage_iv["Latest actual"].startswith("–")  # no number, only its quarter
    captions = " ".join(c.value for c in at.caption)
    assert "Not published (fewer than 10 cases): Cancers diagnosed at stage IV" in captions
    assert "worst status among its KPIs with a status" in captions
    # the median days KPI is hidden too since medians of fewer than 10 new cancers are (issue 21): 2, named above
    assert "2 not published" in captions
    assert "Median days from suspicion to confirmed cancer diagnosis" in captions
    days = [row for row in rows.values() if row["Unit"] == "days"]
    assert days and all(row["Projection"] == "Not published" or not row["Projection"].startswith("-") for row in days)


def test_kpi_page_announces_the_rwd_run_that_replaced_entered_actuals(demo_store):
    at = _open("pages/kpi_detail.py", {"kpi": "ed_stage_iv_share_pct"})
    infos = " ".join(i.value for i in at.info)
    assert "come from the RWD run of" in infos and "replace the 5 entered quarters" in infos  # the published ones
    assert "Not published (fewer than 10 cases)" in infos
    status = next(m for m in at.metric if m.label == "Status")
    assert (status.value, status.delta) == ("—", "Not published")  # no status from a hidden number
    history = at.dataframe[-1].value
    replaced = history[history["Reason"].astype(str).str.startswith(
        "No longer counted: this KPI's actuals come from the RWD run of")]
    assert len(replaced) >= 5  # the published entered quarters, each named with its old value
