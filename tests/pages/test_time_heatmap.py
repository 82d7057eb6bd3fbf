"""AppTest runs of the map's data-completeness mode and time slider, the Data & sources completeness table and the
heat map page, on the seeded store (embedded default data)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import REGION_CODES
from tests.apptest_helpers import open_page, public_app_on
from tests.figures import map_payloads

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def app_store(seeded_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with public_app_on(seeded_db_url, monkeypatch) as url:
        yield url


def _open(page: str, query: dict[str, str] | None = None) -> AppTest:
    return open_page(page, query, timeout=120)


def _legend_title(at: AppTest) -> str:
    (payload,) = map_payloads(at)
    return payload["figure"]["layout"]["legend"]["title"]["text"]


def test_completeness_mode_colours_regions_by_what_is_stored_and_counts_them(app_store):
    at = _open("pages/regional_map.py", {"indicator": "cancer_mortality_per_100k", "mapmode": "completeness",
                                         "period": "2021"})
    # the store holds 2021 for the 17 regions that existed then; Abai, Jetisu and Ulytau were formed in 2022
    count = [m.value for m in at.markdown if "regions have" in m.value]
    assert count and re.search(r"17 of 20 regions have 2021 \(.*not yet formed: 3\)", count[0]), count
    (payload,) = map_payloads(at)
    statuses = {trace["name"]: set(trace["locations"]) for trace in payload["figure"]["data"]}
    assert statuses["Region not yet formed"] == {"KZ-10", "KZ-33", "KZ-62"}
    assert sum(len(codes) for codes in statuses.values()) == 20
    assert "17 of 20 regions have 2021" in _legend_title(at)
    table = at.dataframe[0].value
    assert len(table) == 20 and "Latest period with a value" in table.columns
    assert set(table.loc[table["Code"].isin(["KZ-10", "KZ-33", "KZ-62"]), "In 2021"]) == {"Region not yet formed"}


def test_the_slider_moves_the_period_in_the_url_and_the_fixed_classes_stay(app_store):
    at = _open("pages/regional_map.py", {"indicator": "life_expectancy_years", "period": "2010"})
    classes_before = [c.value for c in at.caption if c.value.startswith("Colour classes")]
    assert "Classes fixed across 1999–2022" in _legend_title(at).replace("<br>", " ")
    (slider,) = at.select_slider
    assert slider.value == "2010" and slider.options[0] == "1999" and slider.options[-1] == "2022"
    slider.set_value("2022").run()
    assert not at.exception
    assert at.query_params["period"] in ("2022", ["2022"])
    assert "2022" in _legend_title(at)
    assert [c.value for c in at.caption if c.value.startswith("Colour classes")] == classes_before != []


def test_data_page_has_the_completeness_table_of_the_indicator(app_store):
    at = _open("pages/sources_and_data.py", {"indicator": "life_expectancy_years"})
    assert any(re.fullmatch(r"\*\*20 of 20 regions have 2022\*\*", m.value) for m in at.markdown)
    tables = [d.value for d in at.dataframe if "Latest period with a value" in d.value.columns]
    assert len(tables) == 1 and len(tables[0]) == 20
    by_code = tables[0].set_index("Code")
    assert by_code.loc["KZ-10", "Periods expected"] == 1  # Abai: only 2022 of 1999–2022


def _heat_rows(at: AppTest) -> list[str]:
    body = next(h.proto.body for h in at.get("html") if "densaulyq-heatmap" in h.proto.body)
    return re.findall(r'<th scope="row"[^>]*><a href="profile\?region=(KZ-\d\d)', body)


def test_heat_map_has_the_20_regions_and_sorting_by_a_column_reorders_them(app_store):
    at = _open("pages/heat_map.py", {"domain": "screening_coverage"})
    by_name = _heat_rows(at)
    assert sorted(by_name) == sorted(REGION_CODES)
    body = next(h.proto.body for h in at.get("html") if "densaulyq-heatmap" in h.proto.body)
    assert "<caption" in body and body.count('<th scope="col"') == 4  # region + three screening indicators
    assert "(illustrative)" in body  # illustrative verdicts are said in words, not only muted
    at.selectbox(key="_w_sort").set_value("cervical_cancer_screening_coverage_pct").run()
    sort = at.query_params["sort"]
    assert (sort if isinstance(sort, str) else sort[0]) == "cervical_cancer_screening_coverage_pct"
    by_column = _heat_rows(at)
    assert sorted(by_column) == sorted(REGION_CODES) and by_column != by_name


def test_heat_map_in_kazakh(app_store):
    at = _open("pages/heat_map.py", {"domain": "diagnostic_capacity", "lang": "kk"})
    assert len(_heat_rows(at)) == 20
    assert at.title[0].value != "Heat map"
