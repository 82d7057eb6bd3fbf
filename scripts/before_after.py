"""Screenshots of the three views issue 10 named as misleading, in headless Chromium (the spine chart at
1366×800, the two tables 2200 px wide so that a whole row shows):
``python scripts/before_after.py BASE_URL SUFFIX`` writes ``docs/before-after/<view>-<SUFFIX>.png``.

1. ``profile-kz63``: /profile?region=KZ-63, the health-outcomes table (rank among synthetic peers).
2. ``spine-hover``: the profile's spine chart, hovering the breast-screening marker (a synthetic "verdict").
3. ``map-orgs-2022``: /map?indicator=hospital_organisations_count&period=2022, the table with East Kazakhstan's
   "Recent change" (the 2022 split of Abai).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS

WIDE = {"width": 2200, "height": 1000}
OUT = Path(__file__).resolve().parents[1] / "docs" / "before-after"

# Pixel position (relative to the plot div) of the spine marker whose hover text starts with the label given.
MARKER_XY_JS = """(label) => {
  const gd = document.querySelectorAll('.js-plotly-plot')[0];
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  for (const tr of gd._fullData) {
    if (tr.type !== 'scatter' || !tr.text) continue;
    for (let i = 0; i < tr.text.length; i++) {
      if (String(tr.text[i]).includes(label)) {
        return [xa._offset + xa.l2p(tr.x[i]), ya._offset + ya.d2p(tr.y[i])];
      }
    }
  }
  return null;
}"""


def _open(page: Page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector(".js-plotly-plot", timeout=90_000)
    page.wait_for_timeout(2500)


def shoot_all(base: str, suffix: str) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1366, "height": 800})

        wide = browser.new_page(viewport=WIDE)  # tables: wide enough to show every column of a row
        _open(wide, f"{base}/profile?region=KZ-63")
        wide.get_by_text("Health outcomes", exact=True).first.scroll_into_view_if_needed()
        wide.mouse.move(WIDE["width"] // 2, 300)
        wide.mouse.wheel(0, 250)
        wide.wait_for_timeout(1000)
        written.append(OUT / f"profile-kz63-{suffix}.png")
        wide.screenshot(path=written[-1])

        _open(page, f"{base}/profile?region=KZ-63")
        plot = page.locator(".js-plotly-plot").first
        plot.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        xy = page.evaluate(MARKER_XY_JS, "Breast cancer screening")
        box = plot.bounding_box()
        if xy and box:
            page.mouse.move(box["x"] + xy[0], box["y"] + xy[1])
            page.wait_for_timeout(800)
        written.append(OUT / f"spine-hover-{suffix}.png")
        page.screenshot(path=written[-1])

        _open(wide, f"{base}/map?indicator=hospital_organisations_count&period=2022")
        wide.get_by_text("The numbers on the map").first.scroll_into_view_if_needed()
        wide.wait_for_timeout(800)
        grid = wide.locator('[data-testid="stDataFrame"]').first.bounding_box()
        if grid:  # scroll the table itself until East Kazakhstan's row shows
            wide.mouse.move(grid["x"] + grid["width"] / 2, grid["y"] + grid["height"] / 2)
            wide.mouse.wheel(0, 300)
        wide.wait_for_timeout(1000)
        written.append(OUT / f"map-orgs-2022-{suffix}.png")
        wide.screenshot(path=written[-1])
        browser.close()
    return written


if __name__ == "__main__":
    for path in shoot_all(sys.argv[1].rstrip("/"), sys.argv[2]):
        print(path)
