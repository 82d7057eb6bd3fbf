"""End to end in Debian's headless Chromium: the map's time slider (stepping changes the drawn colours and the URL,
the class breaks stay) and the heat map (20 rows, sorting reorders them, a region's link opens its profile)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from geo import REGION_CODES
from scripts.screenshot import MAP_READY_JS
from tests.live_app import running_app

pytestmark = pytest.mark.browser

# Region -> fill colour of the trace drawing it, as plotly holds the figure in the page.
DRAWN_COLOURS_JS = """() => { const gd = document.querySelector('.js-plotly-plot'); const out = {};
  for (const tr of gd.data) for (const loc of tr.locations) out[loc] = tr.colorscale[0][1]; return out; }"""
LEGEND_JS = """() => ({title: (document.querySelector('.js-plotly-plot g.legend .legendtitletext') || {}).textContent,
  items: Array.from(document.querySelectorAll('.js-plotly-plot g.legend g.traces')).map(g => g.textContent)})"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("timeline_app")) as url:
        yield url


def _map_of(page, period: str) -> tuple[dict, dict, str]:
    """(colours, legend, fixed-classes line) once the map of ``period`` is drawn."""
    page.wait_for_function(f"() => {{ const t = document.querySelector('.js-plotly-plot g.legend .legendtitletext');"
                           f" return t && t.textContent.includes(', {period}'); }}", polling=250)
    page.wait_for_function(MAP_READY_JS, polling=250)
    fixed = page.locator(".st-key-fixed_classes").text_content() or ""
    return page.evaluate(DRAWN_COLOURS_JS), page.evaluate(LEGEND_JS), fixed


def _class_items(legend: dict) -> set[str]:
    return {item for item in legend["items"] if "–" in item}


def test_stepping_through_periods_changes_colours_and_url_but_not_the_classes(app_url, page):
    page.goto(f"{app_url}/map?indicator=life_expectancy_years&period=2010", wait_until="domcontentloaded")
    colours_2010, legend_2010, fixed_2010 = _map_of(page, "2010")
    assert "Classes fixed across 1999–2022" in (legend_2010["title"] or "")
    assert "Colour classes, the same for every period 1999–2022" in fixed_2010
    assert set(colours_2010) == set(REGION_CODES)

    slider = page.get_by_role("slider", name="Period on the map")
    slider.focus()
    page.keyboard.press("End")  # to the latest period, 2022
    page.wait_for_url(re.compile(r"period=2022"))
    colours_2022, legend_2022, fixed_2022 = _map_of(page, "2022")
    changed = [code for code in REGION_CODES if colours_2010[code] != colours_2022[code]]
    assert len(changed) >= 10, "twelve years later most regions should be in another class"
    assert fixed_2022 == fixed_2010  # the breaks did not move
    labels = set(re.findall(r"\d+[.,]\d – \d+[.,]\d years", fixed_2010))
    # every class drawn in either period is one of the fixed classes (per-period breaks would give other labels)
    assert _class_items(legend_2010) <= labels and _class_items(legend_2022) <= labels

    slider.focus()
    page.keyboard.press("Home")
    page.wait_for_url(re.compile(r"period=1999"))
    _colours, legend_1999, fixed_1999 = _map_of(page, "1999")
    assert fixed_1999 == fixed_2010
    assert any("Other boundaries" in item for item in legend_1999["items"])  # pre-2018/2022 territories

    page.get_by_role("button", name="Play").click()
    page.wait_for_url(re.compile(r"period=2000"), timeout=30_000)
    page.wait_for_url(re.compile(r"period=2001"), timeout=30_000)
    _map_of(page, "2001")
    page.get_by_role("button", name="Pause").click()


def _row_regions(page) -> list[str]:
    links = page.locator(".densaulyq-heatmap tbody th a")
    return [re.search(r"region=(KZ-\d\d)", links.nth(i).get_attribute("href") or "").group(1)
            for i in range(links.count())]


def test_heat_map_has_20_rows_sorts_by_a_column_and_opens_a_profile(app_url, page):
    page.goto(f"{app_url}/heatmap?domain=screening_coverage", wait_until="domcontentloaded")
    page.wait_for_selector(".densaulyq-heatmap table")
    expect(page.locator(".densaulyq-heatmap tbody tr")).to_have_count(20)
    by_name = _row_regions(page)
    assert sorted(by_name) == sorted(REGION_CODES)
    expect(page.locator(".densaulyq-heatmap caption")).to_contain_text("compared with Kazakhstan")

    page.get_by_role("combobox", name="Sort by").click()
    page.get_by_role("option", name="Cervical cancer screening coverage").click()
    page.wait_for_url(re.compile(r"sort=cervical_cancer_screening_coverage_pct"))
    expect(page.locator(".densaulyq-heatmap caption")).to_contain_text("Sorted by Cervical cancer screening")
    by_column = _row_regions(page)
    assert sorted(by_column) == sorted(REGION_CODES) and by_column != by_name
    first = page.locator(".densaulyq-heatmap tbody tr").first
    assert re.search(r"Better|Similar", first.text_content() or "")  # best first

    link = page.locator(".densaulyq-heatmap tbody th a").first
    name = link.text_content() or ""
    link.click()
    page.wait_for_url(re.compile(rf"/profile\?.*region={by_column[0]}"))
    expect(page.locator("h1").first).to_have_text("Region profile")
    expect(page.get_by_text(name).first).to_be_visible()
