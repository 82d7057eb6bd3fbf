"""End to end in headless Chromium at 1366×800: what the pages ask of the network, and whether labels collide.

- Every page of the public instance makes no request to any host but its own (favicon and fonts included): the app
  works offline and leaks no visit to a third party.
- No two text labels overlap in the Compare scatter or the funnel plot (national line caption included), for
  indicators drawn at random from the catalogue, not only the defaults. ``DENSAULYQ_TEST_SEED`` replays a draw.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from catalogue import load_catalogue
from data_sources.seed import open_store
from store import observations_for
from tests.live_app import PAGE_TIMEOUT_MS, running_app

pytestmark = pytest.mark.browser

# The README's page table, public instance.
PUBLIC_PATHS = ["/", "/home", "/map", "/profile", "/comparison", "/data", "/funnel-plot", "/resilience", "/capacity",
                "/kpis", "/kpi"]
OWN_HOSTS = {"localhost", "127.0.0.1"}
SEED = int(os.environ.get("DENSAULYQ_TEST_SEED") or random.SystemRandom().randrange(1_000_000))

# Bounding boxes of the text labels a chart shows: point labels and annotations (e.g. the national line's caption).
LABEL_BOXES_JS = """(root) => {
  const boxes = [];
  for (const el of root.querySelectorAll('g.textpoint text, g.annotation-text-g text')) {
    const text = (el.textContent || '').trim();
    const r = el.getBoundingClientRect();
    if (text && r.width > 0 && r.height > 0) boxes.push({text, l: r.left, t: r.top, r: r.right, b: r.bottom});
  }
  return boxes;
}"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(URL of a fresh public server, its store URL)."""
    tmp = tmp_path_factory.mktemp("browser_pages")
    with running_app(tmp) as url:
        yield url, f"sqlite:///{tmp / 'store.sqlite'}"


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    yield page
    context.close()


def _wait_for_page(page) -> None:
    page.wait_for_selector("h1", state="visible")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)  # charts, icons and the favicon come after the first paint


def test_pages_request_nothing_from_other_hosts(app, page):
    url = app[0]
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for path in PUBLIC_PATHS:
        page.goto(url + path, wait_until="domcontentloaded")
        _wait_for_page(page)
    assert requests, "the browser recorded no request at all"
    foreign = sorted({r for r in requests
                      if urlparse(r).scheme not in ("data", "blob", "about") and urlparse(r).hostname not in OWN_HOSTS})
    assert not foreign, f"requests to other hosts: {foreign}"
    icon = page.evaluate("() => [...document.querySelectorAll('link[rel~=icon]')].map(l => l.href)")
    assert icon and all(h.startswith("data:image/png;base64,") or urlparse(h).hostname in OWN_HOSTS
                        for h in icon), f"the page has a local icon: {icon}"


def _overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [(a["text"], b["text"]) for n, a in enumerate(boxes) for b in boxes[n + 1:]
            if a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]]


def _labels(page, key: str) -> list[dict]:
    chart = page.locator(f".st-key-{key} .js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    return chart.evaluate(LABEL_BOXES_JS)


def _pairs_with_points(store_url: str, least: int = 8) -> list[tuple[str, str]]:
    """Indicator pairs of the catalogue whose latest periods share at least ``least`` regions."""
    from analytics.pairs import latest_pair

    engine = open_store(store_url)
    obs = {i.id: observations_for(engine, i.id) for i in load_catalogue().select(level="regional")}
    return [(x, y) for x in obs for y in obs if x != y and len(latest_pair(obs[x], obs[y]).both) >= least]


def test_compare_scatter_labels_do_not_overlap_for_a_random_pair(app, page):
    url, store_url = app
    random_pair = random.Random(SEED).choice(_pairs_with_points(store_url))
    for x_id, y_id in [("physicians_per_10k", "life_expectancy_years"), random_pair]:
        page.goto(f"{url}/comparison?x={x_id}&y={y_id}", wait_until="domcontentloaded")
        _wait_for_page(page)
        page.locator(".st-key-scatter .js-plotly-plot").first.wait_for(state="visible")
        boxes = _labels(page, "scatter")
        assert len(boxes) >= 5, f"the scatter of {x_id} × {y_id} names only {len(boxes)} regions (seed {SEED})"
        assert not _overlapping(boxes), f"{x_id} × {y_id} (seed {SEED}): {_overlapping(boxes)}"


def test_funnel_labels_do_not_overlap_for_a_random_indicator(app, page):
    url, store_url = app
    engine = open_store(store_url)
    catalogue = load_catalogue()
    with_counts = [i.id for i in catalogue.select(level="regional") if i.value_type in ("proportion", "rate")
                   and observations_for(engine, i.id)["denominator"].notna().any()]
    choice = random.Random(SEED).choice(with_counts)
    for indicator in dict.fromkeys(["breast_cancer_screening_coverage_pct", choice]):
        page.goto(f"{url}/funnel-plot?indicator={indicator}", wait_until="domcontentloaded")
        _wait_for_page(page)
        page.locator(".st-key-funnel_plot .js-plotly-plot").first.wait_for(state="visible")
        boxes = _labels(page, "funnel_plot")
        assert any(b["text"].startswith("Kazakhstan") for b in boxes), "the national line has its caption"
        assert len(boxes) > 5, f"the funnel of {indicator} names only {len(boxes)} regions (seed {SEED})"
        assert not _overlapping(boxes), f"{indicator} (seed {SEED}): {_overlapping(boxes)}"
