"""Nothing the reader needs is cut or off-screen at 1366×800, in English, Russian and Kazakh (issue 20 §11).

On the pages partners read (KPI scorecard, KPI detail, region profile, resilience index, capacity gaps), in each
language, in headless Chromium at the smallest common laptop screen:

- no text the browser cuts with "…" (an element with ``text-overflow: ellipsis`` whose text is wider than its box:
  metric labels and values, sidebar entries), and no text that itself ends in "…";
- no column of a table whose header starts or ends right of the table's visible box or of the window (a table that
  scrolls sideways hides its last columns: status, projection, the illustrative flag);
- no table cell whose text is wider than the cell;
- no ``st.dataframe`` grid whose columns run past its visible width.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.live_app import running_app

pytestmark = pytest.mark.browser

PAGE_TIMEOUT_MS = 90_000
PAGES = ["/kpis", "/kpi", "/profile?region=KZ-75", "/resilience", "/capacity", "/funnel-plot"]
LANGUAGES = ["en", "ru", "kk"]

# Everything cut, off-screen or overflowing in the main area and the sidebar, as [kind, text].
CUT_JS = """() => {
  const out = [];
  const vw = window.innerWidth;
  for (const root of document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebar]'))
    for (const el of root.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const text = (el.innerText || el.textContent || '').trim();
      if (!text) continue;
      if (getComputedStyle(el).textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1)
        out.push(['cut with …', text.slice(0, 60)]);
      if (el.children.length === 0 && text.endsWith('…')) out.push(['ends in …', text.slice(0, 60)]);
    }
  for (const table of document.querySelectorAll('[data-testid=stTable]')) {
    const box = table.getBoundingClientRect();
    const right = Math.min(box.right, vw) + 1;
    for (const th of table.querySelectorAll('th')) {
      const r = th.getBoundingClientRect();
      if (r.left > right || r.right > right) out.push(['column off-screen', th.innerText.trim().slice(0, 60)]);
    }
    for (const cell of table.querySelectorAll('th, td'))
      if (cell.scrollWidth > cell.clientWidth + 1) out.push(['cell overflows', cell.innerText.trim().slice(0, 60)]);
  }
  for (const grid of document.querySelectorAll('[data-testid=stDataFrame] .dvn-scroller'))
    if (grid.scrollWidth > grid.clientWidth + 1) out.push(['grid columns off-screen', '']);
  return out;
}"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("layout")) as url:
        yield url


@pytest.mark.parametrize("lang", LANGUAGES)
def test_nothing_the_reader_needs_is_cut_or_off_screen_at_1366(app: str, browser, lang: str) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    found: dict[str, list] = {}
    try:
        for path in PAGES:
            sep = "&" if "?" in path else "?"
            page.goto(f"{app}{path}{sep}lang={lang}", wait_until="domcontentloaded")
            page.wait_for_selector("h1", state="visible")
            page.wait_for_load_state("networkidle")
            page.wait_for_selector("[data-testid=stTable], [data-testid=stDataFrame], [data-testid=stMetric]")
            page.wait_for_timeout(2500)  # tables and cards below the first one arrive after it
            cut = page.evaluate(CUT_JS)
            if cut:
                found[path] = cut
    finally:
        context.close()
    assert not found, f"cut or off-screen in {lang} at 1366×800: {found}"


# Region names on the funnel plot that a control line runs through: each line path sampled every 2 px.
LABELS_ON_LINES_JS = """(root) => {
  const labels = [...root.querySelectorAll('g.textpoint text')].map(el => [el.textContent.trim(),
    el.getBoundingClientRect()]).filter(([text, r]) => text && r.width > 0);
  const crossed = new Set();
  for (const path of root.querySelectorAll('g.scatterlayer g.trace g.lines path')) {
    const ctm = path.getScreenCTM();
    const length = path.getTotalLength();
    for (let s = 0; s <= length; s += 2) {
      const p = path.getPointAtLength(s).matrixTransform(ctm);
      for (const [text, r] of labels)
        if (p.x > r.left + 1 && p.x < r.right - 1 && p.y > r.top + 2 && p.y < r.bottom - 2) crossed.add(text);
    }
  }
  return [...crossed];
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_funnel_names_are_not_written_over_the_control_lines(app: str, browser, lang: str) -> None:
    """Issue 20 §12: in Russian the longer region names were drawn across the control lines."""
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page.goto(f"{app}/funnel-plot?lang={lang}", wait_until="domcontentloaded")
        chart = page.locator(".st-key-funnel_plot .js-plotly-plot").first
        chart.wait_for(state="visible")
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)
        assert chart.evaluate("(root) => root.querySelectorAll('g.textpoint text').length") > 5
        assert chart.evaluate(LABELS_ON_LINES_JS) == []
        ticks = chart.evaluate("(root) => [...root.querySelectorAll('g.xtick text')].map(e => e.textContent)")
        assert ticks and not any(tick.endswith("k") for tick in ticks), ticks  # "100 000", not "100k" or "2 3 4"
    finally:
        context.close()
