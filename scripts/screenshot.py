"""Screenshot a page of the running app in headless Chromium: ``python scripts/screenshot.py URL OUT.png``.

Waits for the map (or any Plotly chart) to finish drawing before the shot, so a blank map shows up as one.
``python scripts/screenshot.py --docs http://localhost:8501`` renews the README's screenshots in ``docs/``
(Overview, map, profile, KPI scorecard) at 1366×800, the smallest common laptop screen.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

# The one place for how this project drives Debian's Chromium (tests/browser/test_map.py and bench/ import these).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

# The plotly graph div holds the MapLibre map of its `map` subplot.
# Ready = style loaded, tiles drawn, features on screen.
MAP_READY_JS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  const m = sub && sub.map;
  return Boolean(m && m.loaded() && m.areTilesLoaded() && m.queryRenderedFeatures().length > 0);
}"""


DOCS = Path(__file__).resolve().parents[1] / "docs"
DOC_PAGES = {  # file in docs/ → (path, what to wait for, what to scroll to the top of the window)
    "overview.png": ("/", "[data-testid='stMetric']", None),
    "map.png": ("/map", ".js-plotly-plot", "[data-testid='stRadio']"),
    "profile.png": ("/profile?region=KZ-75", ".js-plotly-plot", "[data-testid='stTable']"),
    "kpis.png": ("/kpis", "[data-testid='stTable']", "[data-testid='stMain'] [data-testid='stSelectbox']"),
    "kpi-detail.png": ("/kpi", "[data-testid='stMetric']", None),
    "funnel.png": ("/funnel-plot", ".js-plotly-plot", ".st-key-funnel_plot"),
    "map-slider.png": ("/map?indicator=life_expectancy_years&period=2015", ".js-plotly-plot",
                       "end:.st-key-fixed_classes"),
    "heatmap.png": ("/heatmap?domain=screening_coverage&sort=breast_cancer_screening_coverage_pct",
                    ".densaulyq-heatmap", "[data-testid='stMainBlockContainer'] [data-testid='stSelectbox']"),
    "completeness.png": ("/map?indicator=hospital_organisations_count&mapmode=completeness&period=2023",
                         ".js-plotly-plot", "end:.st-key-_w_period_slider"),
}
DOC_LANGUAGES = ("en", "ru", "kk")  # overview.png in English, overview-ru.png, overview-kk.png …
SCROLL_JS = "(sel) => document.querySelector(sel).scrollIntoView({block: 'start'})"
SCROLL_END_JS = "(sel) => document.querySelector(sel).scrollIntoView({block: 'end'})"  # "end:<selector>"


def shoot(url: str, out: str, width: int = 1400, height: int = 1100, wait_for: str = ".js-plotly-plot",
          scroll_to: str | None = None) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(url, wait_until="networkidle")
        if wait_for:
            page.wait_for_selector(wait_for, timeout=60_000)
        if wait_for == ".js-plotly-plot" and "/map" in url:
            page.wait_for_function(MAP_READY_JS, timeout=60_000, polling=250)
        if scroll_to:
            at_end = scroll_to.startswith("end:")
            scroll_to = scroll_to.removeprefix("end:")
            page.wait_for_selector(scroll_to, timeout=60_000)  # elements below the chart may arrive after it
            page.evaluate(SCROLL_END_JS if at_end else SCROLL_JS, scroll_to)
        page.wait_for_timeout(2500)  # MapLibre paints after the element appears
        page.screenshot(path=out, full_page=False)
        browser.close()


def shoot_docs(base_url: str, only: tuple[str, ...] = ()) -> None:
    for name, (path, wait_for, scroll_to) in DOC_PAGES.items():
        if only and name not in only:
            continue
        for lang in DOC_LANGUAGES:
            out = DOCS / (name if lang == "en" else name.replace(".png", f"-{lang}.png"))
            url = base_url.rstrip("/") + path + ("&" if "?" in path else "?") + f"lang={lang}"
            shoot(url, str(out), width=1366, height=800, wait_for=wait_for, scroll_to=scroll_to)
            print(out)


if __name__ == "__main__":
    if sys.argv[1] == "--docs":  # --docs URL [name.png …]: only those
        shoot_docs(sys.argv[2], tuple(sys.argv[3:]))
    else:
        shoot(sys.argv[1], sys.argv[2], wait_for=sys.argv[3] if len(sys.argv) > 3 else ".js-plotly-plot")
