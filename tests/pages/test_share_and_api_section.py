"""The ways out, on the pages: the map's "Share / embed" box and the API section of Data & sources."""

from __future__ import annotations

import html

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


@pytest.fixture()
def db_url(seeded_db_url: str) -> str:
    return seeded_db_url


def _open(page: str, **params: str) -> AppTest:
    streamlit.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params.update(params)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_map_offers_its_link_and_an_iframe_of_the_same_view(app_env):
    at = _open("pages/regional_map.py", indicator="physicians_per_10k", period="2022")
    assert any(e.label == "Share / embed" for e in at.expander)
    assert not at.code  # closed: its code blocks (and the browser's 1.5 MB highlighter) wait until it is opened
    at.session_state["share_box"] = True  # the reader opens it
    at.run()
    snippets = [c.value for c in at.code]
    # the iframe's address is HTML-escaped in its attribute (&amp;), as it must be
    assert any(s.startswith("<iframe") and "/embed/map?indicator=physicians_per_10k&period=2022&lang=en"
               in html.unescape(s) for s in snippets), snippets
    assert any("/map?indicator=physicians_per_10k&period=2022" in s for s in snippets)
    # the reader's link comes first: the server-rendered view of the same indicator, period and language
    assert snippets[0].endswith("/view/map?indicator=physicians_per_10k&period=2022&lang=en"), snippets


@pytest.mark.parametrize(("page", "params", "key", "view"), [
    ("pages/region_profile.py", {"region": "KZ-75", "lang": "kk"}, "trend_share_box", "/view/region/KZ-75?lang=kk"),
    ("pages/compare.py", {"indicator": "physicians_per_10k", "period": "2022"}, "compare_share_box",
     "/view/indicator/physicians_per_10k?period=2022&lang=en"),
])
def test_the_profile_and_compare_share_boxes_offer_the_view_link_first(app_env, page, params, key, view):
    at = _open(page, **params)
    at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception
    snippets = [c.value for c in at.code]
    assert snippets and snippets[0].endswith(view), snippets


def test_data_and_sources_explains_the_api_with_curl_and_pandas(app_env):
    at = _open("pages/sources_and_data.py")
    assert "API" in [tab.label for tab in at.tabs]
    code = "\n".join(c.value for c in at.code)
    assert "curl -s" in code and "/api/v1/observations?indicator=" in code and "format=csv" in code
    assert "pd.read_csv(" in code and "datapackage.zip" in code
