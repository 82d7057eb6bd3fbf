"""Issue 20 §12–15, checked where a reader meets them (AppTest pages) and where the rule lives (the domain layer).

- A number derived from illustrative values carries the flag from the domain layer: the funnel's over-dispersion,
  the map's class breaks, the resilience index (§13).
- Headlines are the featured indicators with a national value in the last 5 years (§14; the page test is in
  tests/pages/test_overview.py).
- Embeds: the source line is whole; the share snippets size the frame from the embed's content; the trend embed has
  a snippet; a link with an unknown map mode or only unknown regions says so (§15).
- The funnel's log axis reads as whole numbers in the reader's language; the map's legend is not over the map (§12).
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.apptest_helpers import open_page

pytestmark = pytest.mark.usefixtures("app_store")  # the public app on the module's seeded store (pages/conftest.py)


def test_over_dispersion_is_illustrative_when_a_region_or_the_target_is():
    from analytics.funnel import overdispersion

    rows = pd.DataFrame({"value": [40.0, 55.0, 70.0, 62.0], "denominator": [5000, 8000, 12000, 3000],
                         "synthetic": [False, False, False, False]})
    real = overdispersion(rows, 60.0, "proportion", 100.0)
    assert real.phi > 1.5 and not real.illustrative
    assert overdispersion(rows, 60.0, "proportion", 100.0, target_illustrative=True).illustrative
    one = rows.assign(synthetic=[False, True, False, False])
    assert overdispersion(one, 60.0, "proportion", 100.0).illustrative
    assert overdispersion(one, 60.0, "proportion", 100.0).phi == real.phi  # the flag, not the number, changes


def test_class_breaks_are_illustrative_when_any_value_they_come_from_is():
    from analytics.classes import classify

    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, None])
    assert not classify(values, illustrative=pd.Series([False] * 7)).illustrative
    assert classify(values, illustrative=pd.Series([False, False, True, False, False, False, False])).illustrative
    # an illustrative flag on a missing value (not in any break) flags nothing
    assert not classify(values, illustrative=pd.Series([False] * 6 + [True])).illustrative


def test_resilience_index_is_illustrative_everywhere_once_a_weighted_input_is():
    from analytics.resilience import index_illustrative

    table = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]}, index=["KZ-11", "KZ-15", "KZ-19"])
    flags = pd.DataFrame(False, index=table.index, columns=table.columns)
    domains = {"d1": ["a"], "d2": ["b"]}
    assert not index_illustrative(table, flags, domains, {"d1": 1, "d2": 1}).any()
    flags.loc["KZ-11", "b"] = True
    assert index_illustrative(table, flags, domains, {"d1": 1, "d2": 1}).all()  # scaled against KZ-11's value
    assert not index_illustrative(table, flags, domains, {"d1": 1, "d2": 0}).any()  # b weighs nothing


def test_funnel_over_dispersion_sentence_carries_the_illustrative_flag():
    at = open_page("pages/funnel.py", {"indicator": "breast_cancer_screening_coverage_pct"})
    sentence = next(c.value for c in at.caption if "times more than chance" in c.value)
    assert sentence.startswith(":material/science: **Illustrative — demonstrates the method:** The regions vary")


def test_map_legend_states_illustrative_breaks_and_sits_under_the_map():
    at = open_page("pages/regional_map.py", {"indicator": "breast_cancer_screening_coverage_pct"})
    from tests.figures import page_figures

    layout = page_figures(at)[0]["layout"]
    assert "Class breaks computed from illustrative values" in layout["legend"]["title"]["text"]
    assert layout["legend"]["orientation"] == "h" and layout["legend"]["y"] < 0  # under the map, over no region
    assert layout["margin"]["b"] > 0


def test_funnel_log_axis_reads_as_whole_numbers_in_the_readers_language():
    from charts.funnel import log_ticks

    ticks = log_ticks((3.5, 5.6), "ru")
    assert ticks["tickvals"] == [5000.0, 10000.0, 20000.0, 50000.0, 100000.0, 200000.0]
    assert ticks["ticktext"][-2:] == ["100\u00a0000", "200\u00a0000"] or ticks["ticktext"][-2:] == ["100 000",
                                                                                                  "200 000"]
    at = open_page("pages/funnel.py", {"indicator": "breast_cancer_screening_coverage_pct", "lang": "ru"})
    from tests.figures import page_figures

    xaxis = page_figures(at)[0]["layout"]["xaxis"]
    assert xaxis["type"] == "log" and len(xaxis["ticktext"]) >= 2
    assert not any(label.endswith("k") for label in xaxis["ticktext"])


def test_the_embed_source_line_is_never_cut_mid_word():
    from server.embed.page import _source_line

    title = ("Number of hospital organisations by region, 2003-2022 (stat.gov.kz data collected by "
             "open-data-kazakhstan), average-life-expectancy Hosp_Amount/data/Hosp_piv.csv @af4fd60")
    rows = pd.DataFrame({"source_id": ["x"], "source_title": [title], "source_as_of": ["2024-05-01"],
                         "source_licence": ["CC BY 4.0"]})
    assert title in _source_line(rows, "en")


def test_share_snippets_size_the_frame_from_the_content_and_the_trend_has_one():
    from ui.open_data import embed_snippet

    snippet = embed_snippet("https://example.org/embed/trend?indicator=x&region=KZ-75&lang=ru", "A <title>")
    assert 'data-densaulyq-embed' in snippet and "densaulyq-embed-height" in snippet
    assert "&amp;region=KZ-75" in snippet and "A &lt;title&gt;" in snippet
    from pathlib import Path

    script = (Path(__file__).resolve().parents[2] / "server/embed/static/embed.js").read_text(encoding="utf-8")
    assert "densaulyq-embed-height" in script and "postMessage" in script
    at = open_page("pages/region_profile.py", {"region": "KZ-75"})
    assert any(e.label == "Share / embed" for e in at.expander)


@pytest.mark.parametrize(("page", "query", "said"), [
    ("pages/regional_map.py", {"mapmode": "xyz"}, "Colour the map by: “xyz” is not available here, showing Value."),
    ("pages/compare.py", {"regions": "KZ-99,foo"},
     "Regions: none of “KZ-99, foo” is available here, showing Astana, Almaty, Shymkent."),
    ("pages/compare.py", {"regions": "KZ-99,KZ-75"}, "Regions: “KZ-99” is not available here, showing Almaty."),
])
def test_a_link_with_values_that_do_not_exist_says_what_is_shown(page, query, said):
    at = open_page(page, query)
    notices = [i.value for i in at.info]
    assert said in notices, notices
