"""Every page under Streamlit's AppTest, for a default state and for a state given in the URL (the slow tests).

One store is seeded for the whole module; each test builds a fresh AppTest of ``dashboard.py``. Every page in its
default state runs on SQLite and on PostgreSQL (the public page walk on both databases); the URL-state, map and
download checks run on SQLite only (the store layer's own tests hold reads and writes equal on both databases).
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.config import load_settings
from core.i18n import number_separators
from data_sources.seed import open_store
from geo import REGION_CODES
from share.map_bundle import map_bundle_path
from store import observations_for, periods_for
from tests.apptest_helpers import open_page, public_app_on
from tests.figures import map_payloads, page_figures

PAGES = ["pages/overview.py", "pages/regional_map.py", "pages/region_profile.py", "pages/compare.py",
         "pages/sources_and_data.py"]
URL_STATE = {"indicator": "physicians_per_10k", "period": "2022", "region": "KZ-39", "lang": "ru"}
DEFAULT_INDICATOR = load_settings(env={}).default_indicator


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def both_stores_url(request: pytest.FixtureRequest, store_url: str) -> Iterator[str]:
    """The module's SQLite store, then a PostgreSQL store seeded by the app on its first run."""
    if request.param == "sqlite":
        yield store_url
        return
    from tests.conftest import fresh_pg_database

    with fresh_pg_database() as url:
        yield url


@pytest.fixture()
def app_on_both(both_stores_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The public app on SQLite, then on PostgreSQL."""
    with public_app_on(both_stores_url, monkeypatch) as url:
        yield url




def _map_values(at: AppTest) -> dict[str, float | None]:
    figures = page_figures(at)
    assert len(figures) == 1
    fig = figures[0]
    drawn: dict[str, float | None] = {}
    for trace in fig["data"]:
        for region, value in trace["customdata"]:
            assert region not in drawn
            drawn[region] = value
    return drawn


def _assert_map_matches_store(at: AppTest, url: str, indicator_id: str, period: str) -> None:
    drawn = _map_values(at)
    assert set(drawn) == set(REGION_CODES)
    stored = observations_for(open_store(url), indicator_id, period)
    stored = stored[stored.region != "KZ"].set_index("region")["value"]
    assert len(stored) >= 10
    for code, value in drawn.items():
        if code in stored.index:
            assert value == pytest.approx(stored[code]), code
        else:
            assert value is None, code


def _badge_shown(at: AppTest) -> bool:
    return any("Illustrative data" in m.value for m in at.markdown)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_in_its_default_state(app_on_both: str, page: str) -> None:
    app_store = app_on_both
    at = open_page(page)
    assert at.title, f"{page} shows no title"
    if page == "pages/regional_map.py":
        assert at.selectbox(key="_w_indicator").value == DEFAULT_INDICATOR
        period = at.selectbox(key="_w_period").value
        assert period == periods_for(open_store(app_store), DEFAULT_INDICATOR, regional_only=True)[-1]
        _assert_map_matches_store(at, app_store, DEFAULT_INDICATOR, period)
        assert not _badge_shown(at)  # life expectancy is all real data
        figure = page_figures(at)[0]  # the credit is drawn on the map itself
        assert any("OpenStreetMap" in a.get("text", "") for a in figure["layout"].get("annotations", []))
        assert not any("OpenStreetMap" in c.value for c in at.caption)  # and not a second time below it
        assert at.query_params["indicator"] == DEFAULT_INDICATOR  # the view is shareable as a link


@pytest.mark.parametrize("page", PAGES)
def test_page_honours_the_state_in_the_url(app_store: str, page: str) -> None:
    at = open_page(page, URL_STATE)
    # the language selector sits in the sidebar, which AppTest only reports on the very first run of a session
    assert at.session_state["lang"] == "ru" and at.query_params["lang"] == "ru"
    if page in ("pages/regional_map.py", "pages/compare.py", "pages/sources_and_data.py"):
        assert at.selectbox(key="_w_indicator").value == "physicians_per_10k"
    if page in ("pages/regional_map.py", "pages/compare.py"):
        assert at.selectbox(key="_w_period").value == "2022"
    if page == "pages/region_profile.py":
        assert at.selectbox(key="_w_region").value == "KZ-39"
        assert any("Костанайская" in h.value for h in at.header)
    if page == "pages/regional_map.py":
        _assert_map_matches_store(at, app_store, "physicians_per_10k", "2022")
        assert not _badge_shown(at)


def test_invalid_indicator_in_the_url_falls_back_to_the_default(app_store: str) -> None:
    at = open_page("pages/regional_map.py", {"indicator": "no_such_indicator", "period": "1066"})
    assert at.selectbox(key="_w_indicator").value == DEFAULT_INDICATOR
    period = at.selectbox(key="_w_period").value
    assert period != "1066"
    assert at.query_params["indicator"] == DEFAULT_INDICATOR
    _assert_map_matches_store(at, app_store, DEFAULT_INDICATOR, period)


def test_map_labels_illustrative_data(app_store: str) -> None:
    at = open_page("pages/regional_map.py", {"indicator": "breast_cancer_screening_coverage_pct", "period": "2025Q3"})
    assert at.selectbox(key="_w_indicator").value == "breast_cancer_screening_coverage_pct"
    assert _badge_shown(at)
    _assert_map_matches_store(at, app_store, "breast_cancer_screening_coverage_pct", "2025Q3")
    fig = page_figures(at)[0]
    assert all("Illustrative value" in text for trace in fig["data"] for text in trace["text"])


def test_data_page_downloads_exactly_the_rows_shown(app_store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.downloads

    served: dict[str, list[bytes]] = {"csv": [], "xlsx": []}
    real_csv, real_xlsx = ui.downloads.to_csv_bytes, ui.downloads.to_excel_bytes

    def csv_spy(df: pd.DataFrame, *lang: str) -> bytes:
        served["csv"].append(real_csv(df, *lang))
        return served["csv"][-1]

    def xlsx_spy(df: pd.DataFrame, metadata: dict[str, str], *names) -> bytes:
        served["xlsx"].append(real_xlsx(df, metadata, *names))
        return served["xlsx"][-1]

    monkeypatch.setattr(ui.downloads, "to_csv_bytes", csv_spy)
    monkeypatch.setattr(ui.downloads, "to_excel_bytes", xlsx_spy)
    at = open_page("pages/sources_and_data.py", {"indicator": "physicians_per_10k"})
    assert served == {"csv": [], "xlsx": []}  # files are built when asked for, not on every run of the page
    # AppTest has no media server to click through: build each file the way a click would.
    built: list = []
    monkeypatch.setattr(ui.downloads, "deferred", lambda build, *args: built.append(build(*args)) or built[-1])
    at.run()

    labels = {b.key: b.label for b in at.get("download_button")}
    assert labels["data_csv"] == "Download CSV" and labels["data_xlsx"] == "Download Excel"
    shown = at.dataframe[0].value
    stored = observations_for(open_store(app_store), "physicians_per_10k")
    assert len(shown) == len(stored) > 15

    # the first download pair is the data tab's (the catalogue tab has its own)
    book = openpyxl.load_workbook(io.BytesIO(served["xlsx"][0]), read_only=True)
    assert book.sheetnames == ["data", "about"]
    rows = list(book["data"].iter_rows(values_only=True))
    header, body = list(rows[0]), rows[1:]
    sheet = pd.DataFrame(body, columns=header)
    # for people, the flag column says what it means
    assert header == ["Illustrative (not official statistics)" if c == "Illustrative" else c for c in shown.columns]
    assert len(sheet) == len(shown)
    key = ["Code", "Period"]  # people's download: the column names on screen
    from_sheet = sheet.set_index(key)["Value"].sort_index()
    assert from_sheet.to_dict() == pytest.approx(shown.set_index(key)["Value"].sort_index().to_dict())
    assert from_sheet.to_dict() == pytest.approx(stored.set_index(["region", "period"])["value"].sort_index().to_dict())
    about = dict(list(book["about"].iter_rows(values_only=True))[1:])
    assert about["Indicator"].startswith("physicians_per_10k")  # field names in the reader's language

    csv = pd.read_csv(io.BytesIO(served["csv"][0]), encoding="utf-8-sig", dtype={"Period": str})
    # the people's file: the screen's column names (the illustrative flag spelled out for readers off screen)
    assert [c.replace(" (not official statistics)", "") for c in csv.columns] == list(shown.columns)
    assert len(csv) == len(shown)
    tidy = pd.read_csv(io.BytesIO(served["csv"][1]), encoding="utf-8-sig", dtype={"period": str})
    assert {"indicator_id", "region", "period", "value", "ci_lower", "source_id"} <= set(tidy.columns)
    assert set(zip(tidy["region"], tidy["period"], strict=True)) == set(zip(stored["region"], stored["period"],
                                                                            strict=True))


def test_the_map_is_drawn_by_its_component_with_the_map_only_bundle(app_store: str) -> None:
    at = open_page("pages/regional_map.py", {"lang": "ru"})
    (payload,) = map_payloads(at)
    assert not at.get("plotly_chart")  # not Streamlit's Plotly chunk (the full plotly.js)
    assert payload["src"] == map_bundle_path()
    assert payload["config"]["displayModeBar"] is False and payload["config"]["scrollZoom"] is False
    assert payload["label"].startswith("Карта 20 регионов") and payload["error"].startswith("Не удалось")
    assert payload["figure"]["layout"]["separators"] == number_separators("ru")
    assert not at.code  # the share box's code blocks (a 1.5 MB highlighter) are drawn only when it is opened
