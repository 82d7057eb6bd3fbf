"""End to end: an article on another local site frames ``/embed/map`` of the real app (``streamlit run``), and
headless Chromium draws all 20 regions in the frame, asking no host but these two, readable on a 375 px phone."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from geo import REGION_CODES
from scripts.screenshot import MAP_READY_JS
from tests.browser.test_map import COLOURED_SHARE_JS, RENDERED_REGIONS_JS
from tests.live_app import running_app

pytestmark = pytest.mark.browser
TIMEOUT_MS = 90_000

LAYOUT_JS = """() => {
  const legend = document.querySelector('.js-plotly-plot g.legend').getBoundingClientRect();
  const root = document.documentElement;
  return {legendRight: legend.right, legendLeft: legend.left, width: root.clientWidth, scrollWidth: root.scrollWidth,
          link: document.querySelector('footer a').getBoundingClientRect().right};
}"""


@contextmanager
def _article_site(html: str) -> Iterator[str]:
    """Another site on loopback (its own port) whose article frames the embed."""
    class Article(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Article)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/article.html"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("embed_app")) as url:
        yield url


@pytest.mark.parametrize("width", [375, 1200])
def test_embedded_map_in_an_iframe_draws_20_regions_asking_no_other_host(app_url, browser, width):
    import base64

    frame_width = width - 20
    src = f"{app_url}/embed/map?indicator=breast_cancer_screening_coverage_pct&lang=en"
    article = (f'<!doctype html><meta name="viewport" content="width=device-width"><body style="margin:0">'
               f'<p>An article about screening.</p><iframe src="{src}" style="border:0;width:{frame_width}px;'
               f'height:900px" title="map"></iframe></body>')
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        with _article_site(article) as article_url:
            page.goto(article_url, wait_until="domcontentloaded")
            frame = page.wait_for_selector("iframe", timeout=TIMEOUT_MS).content_frame()
            frame.wait_for_url(re.compile("/embed/map"), timeout=TIMEOUT_MS)
            frame.wait_for_load_state("load", timeout=TIMEOUT_MS)
            frame.wait_for_function(MAP_READY_JS, timeout=TIMEOUT_MS, polling=250)

            assert frame.evaluate(RENDERED_REGIONS_JS) == sorted(REGION_CODES)
            shot = frame.locator(".js-plotly-plot").screenshot()
            pixels = page.evaluate(COLOURED_SHARE_JS, base64.b64encode(shot).decode())
            assert pixels["share"] > 0.1 and pixels["distinct"] >= 5, pixels
            assert frame.get_by_text(re.compile("Illustrative data")).is_visible()
            assert frame.get_by_text(re.compile("data as of")).is_visible()
            assert frame.get_by_text(re.compile("© OpenStreetMap")).count() >= 1

            layout = frame.evaluate(LAYOUT_JS)
            assert layout["scrollWidth"] <= layout["width"], "the embed scrolls sideways"
            assert layout["legendLeft"] >= 0 and layout["legendRight"] <= layout["width"] + 1, layout
            assert layout["link"] <= layout["width"] + 1

        allowed = {urlparse(article_url).netloc, urlparse(app_url).netloc}
        hosts = {urlparse(u).netloc for u in requested if urlparse(u).scheme in ("http", "https", "ws", "wss")}
        assert hosts <= allowed, f"requests to other hosts: {hosts - allowed}"
        assert {urlparse(u).scheme for u in requested} <= {"http", "blob", "data"}
    finally:
        context.close()


@pytest.mark.parametrize("width", [744, 1000])
def test_the_share_snippet_frame_grows_to_show_the_source_and_the_link_back(app_url, browser, width):
    """Issue 20 §15: the share box's snippet (720 px high) cut the source line and the link back at 744–1000 px;
    the embed now reports its height and the snippet's script sizes the frame to it."""
    from ui.open_data import embed_snippet

    src = f"{app_url}/embed/map?indicator=breast_cancer_screening_coverage_pct&lang=ru"
    article = (f'<!doctype html><meta name="viewport" content="width=device-width"><body style="margin:0">'
               f'<p>Статья о скрининге.</p>{embed_snippet(src, "map")}</body>')
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        with _article_site(article) as article_url:
            page.goto(article_url, wait_until="domcontentloaded")
            frame = page.wait_for_selector("iframe", timeout=TIMEOUT_MS).content_frame()
            frame.wait_for_url(re.compile("/embed/map"), timeout=TIMEOUT_MS)
            frame.wait_for_function(MAP_READY_JS, timeout=TIMEOUT_MS, polling=250)
            page.wait_for_timeout(1000)
            content = frame.evaluate("() => document.documentElement.scrollHeight")
            link = frame.evaluate("() => document.querySelector('footer a').getBoundingClientRect().bottom")
            source = frame.evaluate("() => document.querySelector('footer .source').innerText")
            height = page.evaluate("() => document.querySelector('iframe').getBoundingClientRect().height")
            assert content > 720, "the case the defect was about: content taller than the snippet's 720 px"
            assert height >= content - 1 and link <= height, (height, content, link)
            assert source.startswith("Источник") and not source.rstrip().endswith("…")
    finally:
        context.close()
