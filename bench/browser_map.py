"""Time to a painted map in real Chromium: the app's map page against a static HTML page of the same figure.

``python bench/browser_map.py [--runs 7]``. Starts the app (production settings, private store) on loopback, takes
the map page's figure exactly as the app sends it (its first websocket run), writes it into a static HTML page with
Plotly's own bundle (``plotly.io.write_html``, library in a separate file as a browser would fetch it) served by a
plain static HTTP server on loopback, then opens both alternately, each in a fresh browser context (empty cache),
and measures the time from navigation start to the MapLibre map having painted its regions (style loaded, tiles
drawn, features on screen: ``scripts/screenshot.py``'s ``MAP_READY_JS``). Prints the median of ``--runs`` for each
and ``app_static_ratio`` (target ≤ 1.3), and the bytes each transferred.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import http.server
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.screenshot import CHROMIUM_ARGS, MAP_READY_JS  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1366, "height": 800}


def load_bench() -> object:
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module
    spec.loader.exec_module(module)
    return module


async def app_figure(load, base: str) -> tuple[dict, dict]:
    """The map page's Plotly figure and config as the app sends them to a new reader."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    async with connect(base.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"], origin=base,
                       max_size=None) as ws:
        await ws.send(load.rerun_msg("map", "", base))
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await ws.recv())
            if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                if element.WhichOneof("type") == "plotly_chart":
                    return json.loads(element.plotly_chart.spec), json.loads(element.plotly_chart.config or "{}")
                if element.WhichOneof("type") == "bidi_component" and element.bidi_component.bytes:  # ui.map_chart
                    payload = json.loads(element.bidi_component.bytes)
                    return payload["figure"], payload["config"]
            if msg.WhichOneof("type") == "script_finished":
                raise RuntimeError("the map page sent no Plotly chart")


def write_static(folder: Path, figure: dict, config: dict) -> None:
    import plotly.io as pio

    fig = pio.from_json(json.dumps(figure), skip_invalid=True)
    fig.update_layout(width=940, height=560)  # the dashboard's map size (bench/map_fidelity.py)
    pio.write_html(fig, folder / "index.html", include_plotlyjs="directory", config=config, full_html=True)


def serve_static(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/index.html"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_args) -> None:
        pass


def time_to_map(browser, url: str) -> tuple[float, int]:
    """Milliseconds from navigation start to a painted map, and bytes received, in a fresh context."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    received = [0]
    page.on("response", lambda r: received.__setitem__(0, received[0] + int(r.headers.get("content-length") or 0)))
    try:
        page.goto(url, wait_until="commit", timeout=120_000)
        handle = page.wait_for_function(f"() => ({MAP_READY_JS})() ? performance.now() : false", polling="raf",
                                        timeout=120_000)
        return float(handle.json_value()), received[0]
    finally:
        context.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    load = load_bench()
    tmp = Path(tempfile.mkdtemp(prefix="densaulyq-browser-map-"))
    server = load.Server(args.port, load.bench_env(os.environ.get("DATABASE_URL")
                                                   or f"sqlite:///{tmp / 'store.sqlite'}"), [])
    static_server = None
    try:
        server.wait_ready()
        server.wait_idle()
        base = f"http://127.0.0.1:{args.port}"
        figure, config = asyncio.run(app_figure(load, base))
        (tmp / "static").mkdir()
        write_static(tmp / "static", figure, config)
        static_server, static_url = serve_static(tmp / "static")
        app_url = f"{base}/map"
        times: dict[str, list[float]] = {"app": [], "static": []}
        sizes: dict[str, int] = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            time_to_map(browser, app_url)  # one warm-up each: server caches, OS page cache, not the browser's
            time_to_map(browser, static_url)
            for _unused in range(args.runs):
                for name, url in (("app", app_url), ("static", static_url)):
                    ms, size = time_to_map(browser, url)
                    times[name].append(ms)
                    sizes[name] = size
            browser.close()
        app_ms, static_ms = statistics.median(times["app"]), statistics.median(times["static"])
        print(f"app_map_painted_ms={app_ms:.0f} (runs: {', '.join(f'{ms:.0f}' for ms in times['app'])})")
        print(f"static_map_painted_ms={static_ms:.0f} (runs: {', '.join(f'{ms:.0f}' for ms in times['static'])})")
        print(f"app_bytes={sizes['app']} static_bytes={sizes['static']}")
        print(f"app_static_ratio={app_ms / static_ms:.2f} (target <= 1.3)")
    finally:
        if static_server is not None:
            static_server.shutdown()
        server.stop()


if __name__ == "__main__":
    main()
