"""WCAG 2.1 A/AA in real Chromium: axe-core over every public page (English and Kazakh) and every embed.

A reader who uses a screen reader, a keyboard, a magnifier or low contrast settings must be able to read every
public page: axe-core (pinned in tests/a11y/package.json, loaded into the page from ``node_modules``, never from the
network) runs its WCAG 2.1 A/AA rules on each page once its charts and tables have drawn, on one fresh public
server, and no rule of impact "serious" or "critical" may fail. Set up with ``npm ci --prefix tests/a11y``
(``.ci/run`` does); without it the test is skipped on a workstation and fails under CI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

from core.i18n import translate
from tests.live_app import launch_chromium, running_app

pytestmark = pytest.mark.browser

AXE_JS = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
PAGE_TIMEOUT_MS = 90_000
LANGUAGES = ("en", "kk")
# Every public page (the README's page table) and every embed; /view/… pages join this list.
PUBLIC_URLS = (
    "/", "/map", "/profile", "/comparison", "/data", "/real-world-data", "/funnel-plot", "/resilience",
    "/capacity", "/kpis", "/kpi", "/heatmap",
    "/view/map?indicator=breast_cancer_screening_coverage_pct", "/view/region/KZ-75",
    "/view/indicator/physicians_per_10k",
    "/embed/map?indicator=breast_cancer_screening_coverage_pct",
    "/embed/trend?indicator=physicians_per_10k&region=KZ-75",
)
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")

# Drawn = the app's script run has finished (Streamlit marks its root "notRunning"), nothing is stale or a skeleton,
# and every plotly chart has laid out; embeds have no Streamlit root and are drawn when their chart is.
DRAWN_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (app && app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  return document.querySelector('h1') !== null && plots.every(p => p._fullLayout && p.querySelector('.main-svg'));
}"""
# Headings a screen reader lists, in document order (hidden ones too: Streamlit keeps them in the DOM).
HEADINGS_JS = "() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).map(h => Number(h.tagName[1]))"
RUN_AXE_JS = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
}"""


def _address(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not AXE_JS.exists():
        message = f"{AXE_JS} is missing: npm ci --prefix tests/a11y"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with running_app(tmp_path_factory.mktemp("a11y")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(app_url: str):
    with launch_chromium() as chromium:
        # bypass_csp: the embeds' Content-Security-Policy (script-src 'self') would refuse axe's injected script
        context = chromium.new_context(viewport={"width": 1366, "height": 800}, bypass_csp=True)
        yield context
        context.close()


def axe_violations(page, url: str) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on ``url`` once the page has drawn."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(DRAWN_JS, timeout=PAGE_TIMEOUT_MS, polling=250)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)  # a rerun the first run asks for (the URL's parameters written back) starts late
    page.wait_for_function(DRAWN_JS, timeout=PAGE_TIMEOUT_MS, polling=250)
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(RUN_AXE_JS, WCAG_21_AA)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']} — {v['helpUrl']}")
        lines += [f"    {n['target']}: {n['summary'].splitlines()[-1].strip()}" for n in v["nodes"][:8]]
    return "\n".join(lines)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", PUBLIC_URLS)
def test_no_serious_or_critical_wcag_violation(app_url, browser, path, lang):
    page = browser.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        violations = axe_violations(page, app_url + _address(path, lang))
        lang_attribute = page.evaluate("() => document.documentElement.lang")
        levels = page.evaluate(HEADINGS_JS)
    finally:
        page.close()
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{_address(path, lang)}: axe-core WCAG 2.1 A/AA violations\n{describe(blocking)}"
    assert lang_attribute == lang, f"{_address(path, lang)}: <html lang={lang_attribute!r}>, the page is in {lang}"
    assert levels.count(1) == 1, f"{_address(path, lang)}: {levels.count(1)} h1 headings (levels in order: {levels})"
    skipped = [(a, b) for a, b in pairwise(levels) if b > a + 1]
    assert not skipped, f"{_address(path, lang)}: heading levels skipped {skipped} (levels in order: {levels})"


def test_switching_language_in_the_page_updates_html_lang(app_url, browser):
    """A reader who switches to Kazakh in the sidebar gets ``<html lang="kk">`` without reloading the page."""
    page = browser.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page.goto(f"{app_url}/map?lang=en", wait_until="domcontentloaded")
        page.wait_for_function(DRAWN_JS, timeout=PAGE_TIMEOUT_MS, polling=250)
        assert page.evaluate("() => document.documentElement.lang") == "en"
        page.get_by_role("combobox", name="Language · Язык · Тіл").click()
        page.get_by_role("option", name="Қазақша").click()
        page.get_by_role("heading", level=1, name=translate("Regional map", "kk")).wait_for()
        page.wait_for_function("() => document.documentElement.lang === 'kk'", timeout=PAGE_TIMEOUT_MS)
    finally:
        page.close()
