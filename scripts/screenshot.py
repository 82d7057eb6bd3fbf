"""Screenshot a page of the running app in headless Chromium: ``python scripts/screenshot.py URL OUT.png``.

Waits for the map (or any Plotly chart) to finish drawing before the shot, so a blank map shows up as one.
"""

from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

# The one place for how this project drives Debian's Chromium (tests/test_browser.py and bench/ import these).
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


def shoot(url: str, out: str, width: int = 1400, height: int = 1100, wait_for: str = ".js-plotly-plot") -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(url, wait_until="networkidle")
        if wait_for:
            page.wait_for_selector(wait_for, timeout=60_000)
        page.wait_for_timeout(2500)  # MapLibre paints after the element appears
        page.screenshot(path=out, full_page=False)
        browser.close()


if __name__ == "__main__":
    shoot(sys.argv[1], sys.argv[2], wait_for=sys.argv[3] if len(sys.argv) > 3 else ".js-plotly-plot")
