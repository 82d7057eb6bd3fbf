"""Is simplifying the boundaries visible at the dashboard's map size? ``python bench/map_fidelity.py``

Draws the regional map (default indicator, latest period) twice in headless Chromium at the size the dashboard
gives it, once from the full-resolution boundaries and once from the simplified GeoJSON the app sends
(config.toml [map]), and prints the share of pixels that differ: all pixels of the chart, and pixels of the map's
drawn area (coloured in either shot). A pixel "differs" when any channel differs by more than ``--threshold``.
Needs Debian's chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS, MAP_READY_JS  # noqa: E402

THRESHOLD = 32  # per-channel difference (0-255) counted as a visible change
MAP_WIDTH = 940  # px: the chart's width on a 1400 px wide window with the sidebar open (measured in the app)


COMPARE_JS = """async ([a64, b64, threshold]) => {
  const decode = async (b64) => {
    const bmp = await createImageBitmap(await (await fetch('data:image/png;base64,' + b64)).blob());
    const canvas = new OffscreenCanvas(bmp.width, bmp.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(bmp, 0, 0);
    return ctx.getImageData(0, 0, bmp.width, bmp.height);
  };
  const [a, b] = [await decode(a64), await decode(b64)];
  if (a.width !== b.width || a.height !== b.height) return {error: 'sizes differ'};
  const coloured = (d, i) => Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 30;
  let differ = 0, area = 0, differInArea = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    const inArea = coloured(a.data, i) || coloured(b.data, i);
    let d = 0;
    for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs(a.data[i + c] - b.data[i + c]));
    const differs = d > threshold;
    differ += differs; area += inArea; differInArea += differs && inArea;
  }
  return {pixels: a.width * a.height, width: a.width, height: a.height, differ, area, differInArea};
}"""


def figures() -> tuple[object, object]:
    """The dashboard's map figure from the full-resolution and from the simplified boundaries."""
    from catalogue import load_catalogue
    from charts.choropleth import MAP_HEIGHT, choropleth_figure, map_frame
    from core.config import load_settings
    from core.i18n import translate
    from data_sources.seed import init_store
    from geo import REGION_CODES, region_name
    from geo.boundaries import BOUNDARIES_FILE, map_geojson, map_simplification
    from store import make_engine, observations_for, periods_for

    settings = load_settings()
    map_cfg = settings.section("map")
    with tempfile.TemporaryDirectory(prefix="densaulyq-fidelity-") as tmp:
        engine = init_store(make_engine(f"sqlite:///{Path(tmp) / 'store.sqlite'}"))
        indicator = load_catalogue()[settings.default_indicator]
        period = periods_for(engine, indicator.id, True)[-1]
        obs = observations_for(engine, indicator.id, period)
        engine.dispose()
    frame = map_frame(obs, {code: region_name(code, "en") for code in REGION_CODES})

    full = json.loads(BOUNDARIES_FILE.read_text())
    for feature in full["features"]:
        feature["id"] = feature["properties"]["iso_code"]
    simplified = map_geojson(*map_simplification(map_cfg))

    def draw(geojson: dict):
        fig = choropleth_figure(frame, geojson, indicator, period, "en", lambda s, **kw: translate(s, "en", **kw),
                                scheme=map_cfg.get("scheme", "quantiles"), k=int(map_cfg.get("classes", 5)))
        fig.update_layout(width=MAP_WIDTH, height=MAP_HEIGHT)
        return fig

    return draw(full), draw(simplified)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _serve(folder: Path) -> Iterator[str]:
    """A throw-away local HTTP server for ``folder`` on a free port of 8621-8625."""
    handler = partial(_QuietHandler, directory=str(folder))
    for port in range(8621, 8626):
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), handler)
            break
        except OSError:
            continue
    else:
        raise RuntimeError("no free port in 8621-8625")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


def screenshots(figs, out_dir: Path, threshold: int) -> tuple[list[bytes], dict]:
    import plotly.io as pio
    from playwright.sync_api import sync_playwright

    shots = []
    with _serve(out_dir) as base_url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": MAP_WIDTH + 60, "height": 800}, device_scale_factor=1)
        for i, fig in enumerate(figs):
            html = out_dir / f"map_{i}.html"
            html.write_text(pio.to_html(fig, include_plotlyjs=True, full_html=True,
                                        config={"displayModeBar": False}))
            page.goto(f"{base_url}/{html.name}")  # MapLibre does not finish its style on file://
            page.wait_for_function(MAP_READY_JS, timeout=90_000, polling=250)
            page.wait_for_timeout(500)
            shots.append(page.locator(".js-plotly-plot").first.screenshot())
        result = page.evaluate(COMPARE_JS, [base64.b64encode(s).decode() for s in shots] + [threshold])
        browser.close()
    return shots, result



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=int, default=THRESHOLD, help="per-channel difference (0-255) that counts")
    parser.add_argument("--save", type=Path, help="folder to keep the two PNGs in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="densaulyq-fidelity-") as tmp:
        shots, r = screenshots(figures(), Path(tmp), args.threshold)
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for name, png in zip(("full", "simplified"), shots, strict=True):
            (args.save / f"map_{name}.png").write_bytes(png)
    print(f"map_size={r['width']}x{r['height']} threshold={args.threshold}")
    print(f"map_pixels_differing_pct={100 * r['differ'] / r['pixels']:.2f}")
    print(f"map_area_pixels_differing_pct={100 * r['differInArea'] / max(r['area'], 1):.2f}")


if __name__ == "__main__":
    main()
