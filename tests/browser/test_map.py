"""End to end: the real app served by ``streamlit run``, driven in Debian's headless Chromium with playwright.

What a user would notice: the map page draws all 20 regions (MapLibre actually renders them, not just the figure
JSON holding them), with a legend and the OpenStreetMap credit; a shared link reopens the same indicator.
"""

from __future__ import annotations

import base64
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from geo import REGION_CODES
from scripts.screenshot import MAP_READY_JS
from tests.live_app import PAGE_TIMEOUT_MS, running_app

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(8621, 8626)
STARTUP_TIMEOUT_S = 120


# Region codes of the polygons MapLibre rendered: each rendered fill feature is matched to its plotly trace (layer id
# carries the trace uid) and, within the trace, to its location by the centroid plotly stored on the feature.
RENDERED_REGIONS_JS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const m = gd._fullLayout.map._subplot.map;
  const key = (ct) => ct.map(v => Number(v).toFixed(5)).join(',');
  const byTrace = {};
  for (const cd of gd.calcdata) {
    const uid = cd[0].trace.uid;
    byTrace[uid] = {};
    for (const item of cd) { if (item.ct) byTrace[uid][key(item.ct)] = item.loc; }
  }
  const codes = new Set();
  for (const f of m.queryRenderedFeatures()) {
    const layer = f.layer.id;
    if (!layer.endsWith('-fill')) continue;
    const uid = Object.keys(byTrace).find(u => layer.includes(u));
    let ct = f.properties.ct;
    if (typeof ct === 'string') ct = JSON.parse(ct);
    if (uid && ct) { const loc = byTrace[uid][key(ct)]; if (loc) codes.add(loc); }
  }
  return Array.from(codes).sort();
}"""

# Where a region is on the screen: its centroid (stored by plotly on the trace's calc data) projected by MapLibre.
REGION_POINT_JS = """(code) => {
  const gd = document.querySelector('.js-plotly-plot');
  const m = gd._fullLayout.map._subplot.map;
  const box = m.getCanvas().getBoundingClientRect();
  for (const cd of gd.calcdata) for (const item of cd) {
    if (item.loc === code && item.ct) { const p = m.project(item.ct); return {x: box.left + p.x, y: box.top + p.y}; }
  }
  return null;
}"""

# Decode a PNG (base64) in the page with a 2D canvas and measure how much of it is coloured (not white/grey).
COLOURED_SHARE_JS = """async (b64) => {
  const blob = await (await fetch('data:image/png;base64,' + b64)).blob();
  const bmp = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bmp.width, bmp.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bmp, 0, 0);
  const px = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
  let coloured = 0;
  const colours = new Set();
  for (let i = 0; i < px.length; i += 4) {
    const [r, g, b] = [px[i], px[i + 1], px[i + 2]];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 30) {
      coloured++;
      colours.add((r >> 4) + ',' + (g >> 4) + ',' + (b >> 4));
    }
  }
  return {share: coloured / (px.length / 4), distinct: colours.size};
}"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app, shared by this module's tests, stopped after them."""
    with running_app(tmp_path_factory.mktemp("browser_app")) as url:
        yield url


def _open_map(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(".js-plotly-plot", state="visible")
    page.wait_for_function(MAP_READY_JS, timeout=PAGE_TIMEOUT_MS, polling=250)


def test_map_page_draws_all_20_regions_with_legend_and_credit(app_url, page):
    _open_map(page, f"{app_url}/map")

    assert page.evaluate(RENDERED_REGIONS_JS) == sorted(REGION_CODES)

    plot = page.locator(".js-plotly-plot").first
    shot = plot.screenshot()
    pixels = page.evaluate(COLOURED_SHARE_JS, base64.b64encode(shot).decode())
    assert pixels["share"] > 0.15, f"the map looks blank: only {pixels['share']:.1%} of its pixels are coloured"
    assert pixels["distinct"] >= 5, "the map should show several class colours"

    legend = plot.locator("g.legend")
    assert legend.is_visible()
    legend_items = plot.locator("g.legend g.traces")
    assert legend_items.count() >= 2, "the legend should list the classes"
    assert "–" in (legend.text_content() or ""), "legend entries state the class breaks"
    credit = page.get_by_text("© OpenStreetMap contributors").first
    credit.wait_for(state="visible")
    assert credit.is_visible()


def test_shared_url_reopens_the_same_indicator_and_period(app_url, page):
    _open_map(page, f"{app_url}/map?indicator=physicians_per_10k&period=2022")

    indicator_box = page.get_by_role("combobox", name="Indicator")
    expect(indicator_box).to_have_value(re.compile(r"^Physicians per 10,000\b"), timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_role("combobox", name="Period")).to_have_value("2022", timeout=PAGE_TIMEOUT_MS)

    legend_title = page.locator(".js-plotly-plot g.legend .legendtitletext").first.text_content() or ""
    assert "Physicians per 10,000" in legend_title and "2022" in legend_title

    page.wait_for_timeout(1000)  # let Streamlit finish any URL rewrite before reading the address bar
    assert "indicator=physicians_per_10k" in page.url
    assert "period=2022" in page.url


def test_clicking_a_region_opens_its_profile(app_url, page):
    _open_map(page, f"{app_url}/map?indicator=life_expectancy_years&period=2022")
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    point = page.evaluate(REGION_POINT_JS, "KZ-39")
    page.mouse.move(point["x"], point["y"])
    page.wait_for_timeout(300)  # plotly reports the hovered region on click
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(re.compile(r"/profile\?.*region=KZ-39"), timeout=PAGE_TIMEOUT_MS)
    expect(page.locator("h1").first).to_have_text("Region profile")
    expect(page.get_by_text("Kostanay Region").first).to_be_visible()


def test_the_share_box_shows_the_link_and_the_embed_snippet_when_opened(app_url, page):
    _open_map(page, f"{app_url}/map?indicator=physicians_per_10k&period=2022")
    page.get_by_text("Share / embed").click()
    expect(page.get_by_text(re.compile(r"/map\?indicator=physicians_per_10k&period=2022")).first).to_be_visible()
    expect(page.get_by_text(re.compile(r'<iframe src=".*/embed/map\?')).first).to_be_visible()


def test_first_visit_of_a_fresh_server_on_a_deep_link_shows_no_page_not_found(tmp_path, page):
    with running_app(tmp_path) as url:
        _open_map(page, f"{url}/map")
        page.wait_for_timeout(1000)  # the dialog, when it comes, arrives with the first script run
        expect(page.get_by_text("Page not found")).to_have_count(0, timeout=1)


def test_streamlit_metrics_are_closed_on_the_real_server(app_url):
    """``/_stcore/metrics`` exposes server internals: the public server answers 404 (its health check stays)."""
    for path in ("/_stcore/metrics", "/_stcore/metrics/", "/_stcore/metrics?format=proto"):
        try:
            with urllib.request.urlopen(app_url + path, timeout=10) as reply:
                status, body = reply.status, reply.read()
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read()
        assert status == 404 and b"session" not in body.lower(), path
    with urllib.request.urlopen(app_url + "/_stcore/health", timeout=10) as reply:
        assert reply.status == 200
