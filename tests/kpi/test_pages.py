"""AppTest of the KPI pages in both instance modes, log-in, and the quarterly report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from core.access import Identity
from tests.kpi_helpers import EDITOR

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def app(monkeypatch, db_url, tmp_path):
    """Returns a factory: app(mode) -> AppTest on a private store and a private users file."""
    config = (ROOT / "config.toml").read_text(encoding="utf-8").replace(
        'users_file = "var/users.json"', f'users_file = "{tmp_path / "users.json"}"')
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    monkeypatch.setenv("DENSAULYQ_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("DATABASE_URL", db_url)

    def make(mode: str) -> AppTest:
        monkeypatch.setenv("DENSAULYQ_MODE", mode)
        streamlit.cache_resource.clear()
        return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    yield make
    streamlit.cache_resource.clear()


def open_page(at: AppTest, page: str, identity: Identity | None = None) -> AppTest:
    if identity is not None:
        at.session_state["identity"] = identity
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [*(m.value for m in at.markdown), *(h.value for h in at.title), *(h.value for h in at.header),
             *(c.value for c in at.caption)]
    return " ".join(str(p) for p in parts)


@pytest.mark.parametrize("mode", ["public", "internal"])
def test_scorecard_shows_every_pillar_status_and_report_downloads(app, mode):
    at = open_page(app(mode), "pages/kpi_scorecard.py", EDITOR if mode == "internal" else None)
    assert "Partnership KPIs" in texts(at)
    tables = [df.value for df in at.table]
    kpi_names = [name for table in tables if "KPI" in table for name in table["KPI"]]
    assert "Disease registries linked to the unified health data platform" in kpi_names and len(kpi_names) == 12
    statuses = {label for table in tables if "Status" in table for label in table["Status"]}
    assert "No data" in statuses and len(statuses) >= 3
    assert len(at.get("download_button")) == 2
    quarters = at.selectbox(key="_w_kpi_quarter").options
    if mode == "public":  # the illustrative 2026Q2 is a draft: not public
        assert "2026Q2" not in quarters and "2025Q4" in quarters
    else:
        assert "2026Q2" in quarters


@pytest.mark.parametrize("mode", ["public", "internal"])
def test_detail_page_chart_actuals_and_audit_trail(app, mode):
    at = app(mode)
    at.query_params["kpi"] = "yhp_peer_educators_trained"
    open_page(at, "pages/kpi_detail.py", EDITOR if mode == "internal" else None)
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [trace.get("name") for trace in fig["data"]]
    assert "Straight path baseline → target" in names and "Projection" in names
    actual_table, history = at.dataframe[-2].value, at.dataframe[-1].value
    assert ("2026Q2" in set(actual_table["Quarter"])) == (mode == "internal")
    assert ("Who" in history.columns) == (mode == "internal")
    assert len(history) > 0


def test_detail_page_of_a_kpi_without_actuals(app):
    at = app("public")
    at.query_params["kpi"] = "yhp_youth_tobacco_use_pct"
    open_page(at, "pages/kpi_detail.py")
    assert any("No actuals yet" in i.value for i in at.info)
    assert any(m.label == "Status" and m.value == "No data" for m in at.metric)


@pytest.mark.parametrize("page", ["pages/kpi_entry.py", "pages/kpi_admin.py"])
def test_write_pages_are_not_registered_in_public_mode(app, page):
    at = app("public")
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)


def test_internal_mode_asks_for_log_in_and_links_to_the_log_in_form(app):
    at = app("internal")
    at.run()
    assert not at.exception and not at.get("form")  # no password ever reaches the Streamlit session
    links = [h.proto.body for h in at.get("html")]
    assert any('href="/auth/login?lang=en&amp;next=%2F"' in body for body in links), links
    assert "python -m auth add-user" in texts(at)
    assert not any("Logged in as" in c.value for c in at.caption)


def test_editor_enters_an_actual_and_a_stale_save_is_a_conflict(app):
    from data_sources.seed import open_store
    from kpi import audit_trail, save_actual, stored_actuals

    at = app("internal")
    at.session_state["identity"] = EDITOR
    at.run()
    at.switch_page("pages/kpi_entry.py")
    at.run()
    assert not at.exception
    at.selectbox(key="entry_kpi").select("yhp_youth_tobacco_use_pct")
    at.run()
    at.selectbox(key="entry_quarter").select("2026Q1")
    at.run()
    at.text_input[0].input("12.5")
    at.text_input[1].input("https://example.org/survey.pdf")
    at.get("form_submit_button")[0].click()
    at.run()
    assert any("version 1" in s.value for s in at.success), [e.value for e in at.error]
    engine = open_store(_url())
    saved = stored_actuals(engine, "yhp_youth_tobacco_use_pct")
    assert saved["value"].tolist() == [12.5] and saved["updated_by"].tolist() == ["erlan"]
    # a colleague saves meanwhile; this page still holds version 1 -> conflict, colleague's value kept
    save_actual(engine, Identity("dana", "editor"), "yhp_youth_tobacco_use_pct", "2026Q1", 12.0, 1, reason="fix")
    at.text_input[0].input("13")
    at.text_input[2].input("my correction")
    at.get("form_submit_button")[0].click()
    at.run()
    assert any("someone else saved" in e.value for e in at.error)
    assert stored_actuals(engine, "yhp_youth_tobacco_use_pct")["value"].tolist() == [12.0]
    # invalid value: clear message naming the field, nothing written
    at.button(key="entry_reload").click()
    at.run()
    at.text_input[0].input("140")
    at.text_input[2].input("typo")
    at.get("form_submit_button")[0].click()
    at.run()
    assert any("value" in e.value and "maximum 100" in e.value for e in at.error)
    assert len(audit_trail(engine, "yhp_youth_tobacco_use_pct")) == 2


def _url() -> str:
    import os

    return os.environ["DATABASE_URL"]


def test_viewer_is_not_offered_the_entry_page(app):
    at = open_page(app("internal"), "pages/kpi_scorecard.py", Identity("vera", "viewer"))
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/kpi_entry.py")


def test_quarterly_report_contains_every_kpi_of_the_quarter(db_url):
    from data_sources.seed import init_store
    from kpi import actuals_for, ensure_kpi_schema, list_kpis
    from kpi.report import quarterly_report_excel, quarterly_report_html
    from store import make_engine, observations_for

    engine = ensure_kpi_schema(init_store(make_engine(db_url)))
    kpis = list_kpis(engine)
    obs = observations_for(engine, region="KZ")
    acts = {k.id: actuals_for(engine, k, obs, published_only=True) for k in kpis}
    html = quarterly_report_html(kpis, acts, "2025Q4", public=True)
    for kpi in kpis:
        assert kpi.name() in html
    assert "2025Q4" in html and "Illustrative" in html and "<svg" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing fetched from a CDN
    import io

    import pandas as pd
    sheet = pd.read_excel(io.BytesIO(quarterly_report_excel(kpis, acts, "2025Q4", public=True)), sheet_name="data")
    assert sorted(sheet["KPI code"]) == sorted(k.id for k in kpis)
    assert not [c for c in sheet.columns if "_" in c], "column names meant for people, not ids"
    # as of 2025Q4, values entered for 2026 do not count
    row = sheet.set_index("KPI code").loc["rwe_registries_linked"]
    assert row["Quarter"] == "2025Q4" and row["Actual"] == 5
