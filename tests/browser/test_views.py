"""End to end: the real app (``streamlit run``) serves ``/view/map`` and ``/view/region/KZ-75`` and headless Chromium,
with JavaScript off, draws the map's 20 regions (SVG drawn on the server) in their classes' colours, asking no other
host, without sideways scrolling on a 390 px phone. The screenshots go to ``docs/`` with ``DENSAULYQ_RENEW_DOCS=1``
(else to a temporary folder)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

from geo import REGION_CODES
from scripts.screenshot import DOCS
from tests.live_app import launch_chromium, running_app

pytestmark = pytest.mark.browser
TIMEOUT_MS = 90_000
MAP = "/view/map?indicator=breast_cancer_screening_coverage_pct"
WIDTH_JS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
# each drawn region: its code, its painted size on screen and its fill as the browser computed it
DRAWN_JS = """() => [...document.querySelectorAll('svg.map a[data-region]')].map(a => {
  const box = a.querySelector('path').getBoundingClientRect();
  return [a.dataset.region, box.width * box.height, getComputedStyle(a.querySelector('path')).fill];
})"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory):
    with running_app(tmp_path_factory.mktemp("view_app")) as url:
        yield url


def _folder(tmp_path: Path) -> Path:
    return DOCS if os.environ.get("DENSAULYQ_RENEW_DOCS") == "1" else tmp_path


def test_the_map_view_draws_20_regions_from_this_server_on_a_laptop_and_a_phone(app_url, tmp_path):
    out = _folder(tmp_path)
    with launch_chromium() as browser:
        for name, path, width, height in [("view-map.png", f"{MAP}&lang=en", 1366, 800),
                                          ("view-map-phone.png", f"{MAP}&lang=en", 390, 844),
                                          ("view-map-kk.png", f"{MAP}&lang=kk", 1366, 800)]:
            context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=False)
            page = context.new_page()
            requested: list[str] = []
            page.on("request", lambda request, seen=requested: seen.append(request.url))
            try:
                page.goto(app_url + path, wait_until="load", timeout=TIMEOUT_MS)
                drawn = page.evaluate(DRAWN_JS)  # the page's own scripts are off; the test's probe still runs
                assert sorted(code for code, _area, _fill in drawn) == sorted(REGION_CODES)
                smallest = 4 if width < 500 else 10  # Almaty and Astana are cities: a few pixels on a phone
                assert all(area >= smallest for _code, area, _fill in drawn), drawn
                fills = {fill for _code, _area, fill in drawn}
                assert len(fills) >= 3 and "none" not in fills, fills  # several classes, every region painted
                assert page.locator("table tbody tr").count() == 21  # Kazakhstan and the 20 regions
                scroll, client = page.evaluate(WIDTH_JS)
                assert scroll <= client, f"{name}: the page scrolls sideways ({scroll} > {client})"
                page.screenshot(path=str(out / name))
            finally:
                context.close()
            hosts = {urlparse(u).netloc for u in requested if urlparse(u).scheme in ("http", "https")}
            assert hosts == {urlparse(app_url).netloc}, hosts
            assert (out / name).stat().st_size > 20_000


def test_the_region_view_is_whole_without_javascript_on_a_laptop_and_a_phone(app_url, tmp_path):
    out = _folder(tmp_path)
    with launch_chromium() as browser:
        for name, width, height in [("view-region.png", 1366, 800), ("view-region-phone.png", 390, 844)]:
            context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=False)
            page = context.new_page()
            try:
                page.goto(app_url + "/view/region/KZ-75?lang=en", wait_until="load", timeout=TIMEOUT_MS)
                assert page.locator("h1").inner_text() == "Almaty"
                assert page.locator("svg.spark").count() >= 5
                page.screenshot(path=str(out / name))
            finally:
                context.close()
            assert (out / name).stat().st_size > 20_000
