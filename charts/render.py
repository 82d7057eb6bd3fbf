"""Figures to PNG and SVG bytes with Kaleido (1.x) driving the Debian Chromium, offline.

Plotly cannot write an image by itself: ``plotly.io.to_image`` needs Kaleido, and Kaleido 1.x needs a Chrome or
Chromium. We give it the system's (``/usr/bin/chromium``, or ``DENSAULYQ_CHROMIUM``) and never let it fetch
anything: plotly.js is read from the installed plotly package, MathJax is off (Kaleido's default loads it from a
CDN), and the browser's proxy is a closed local port, so a request that would leave the machine fails instead.
Kaleido's own Chrome download (``kaleido.get_chrome``) is never called: without a browser, :class:`ImageError`
says what to install.

"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any, Literal

import plotly
import plotly.graph_objects as go

from charts.image import IMAGE_SCALE
from charts.printable import printable

Format = Literal["png", "svg"]
DEFAULT_BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CLOSED_PROXY = "http://127.0.0.1:9"  # discard port, nothing listens: the browser cannot reach the network
RENDER_TIMEOUT_S = 60.0
_lock = threading.Lock()  # one Chromium at a time: the machine's cores are shared with the app


class ImageError(RuntimeError):
    """The image could not be made; the message says why and what to do."""


def browser_path() -> str:
    """The Chromium Kaleido drives: ``DENSAULYQ_CHROMIUM`` if set, else the first system browser found."""
    configured = os.environ.get("DENSAULYQ_CHROMIUM")
    candidates = [configured] if configured else [*DEFAULT_BROWSERS, shutil.which("chromium") or ""]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    where = configured or ", ".join(DEFAULT_BROWSERS)
    raise ImageError(f"Chart images need a Chromium browser and none was found ({where}). Install Debian's "
                     "'chromium' package or set DENSAULYQ_CHROMIUM to a Chrome/Chromium executable; the app never "
                     "downloads one.")


def _plotly_js() -> Path:
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise ImageError(f"plotly.js is missing from the installed plotly package ({path}): reinstall plotly.")
    return path


# plotly.js fetches its world outline (``world_110m.json``) for any geo subplot, from a CDN by default. The print
# map draws only the regions' own GeoJSON, so an empty outline served from a local folder is all it needs.
EMPTY_TOPOLOGY = {"type": "Topology", "arcs": [], "objects": {
    name: {"type": "GeometryCollection", "geometries": []}
    for name in ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")}}


def _outline_folder() -> str:
    folder = Path(tempfile.gettempdir()) / "densaulyq-topojson"
    folder.mkdir(exist_ok=True)
    path = folder / "world_110m.json"
    if not path.is_file():
        path.write_text(json.dumps(EMPTY_TOPOLOGY), encoding="utf-8")
    return folder.as_uri() + "/"


async def _render(figure: dict[str, Any], fmt: Format, width: int, height: int, browser: str) -> bytes:
    import kaleido  # imported on first use: the app starts without loading it

    async with kaleido.Kaleido(n=1, path=browser, plotlyjs=str(_plotly_js()), mathjax=False,
                               proxy_server=CLOSED_PROXY, timeout=RENDER_TIMEOUT_S) as engine:
        return await engine.calc_fig(figure, opts={"format": fmt, "width": width, "height": height,
                                                   "scale": IMAGE_SCALE if fmt == "png" else 1},
                                     topojson=_outline_folder())


def render(fig: go.Figure, fmt: Format) -> bytes:
    """``fig`` (with its layout width and height) as PNG or SVG bytes. Runs Chromium for a few seconds."""
    if fmt not in ("png", "svg"):
        raise ImageError(f"unknown image format {fmt!r}: use png or svg")
    browser = browser_path()
    figure = printable(fig).to_plotly_json()  # a caption figure is printable already; this is a no-op then
    width = int(figure["layout"].get("width") or 800)
    height = int(figure["layout"].get("height") or 450)
    result: dict[str, Any] = {}

    def run() -> None:  # a thread of its own: Streamlit's script thread may already have an event loop
        try:
            result["bytes"] = asyncio.run(_render(figure, fmt, width, height, browser))
        except BaseException as error:  # reported below with its reason
            result["error"] = error

    with _lock:
        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(RENDER_TIMEOUT_S + 15)
    if "bytes" in result:
        return result["bytes"]
    error = result.get("error")
    reason = error if error is not None else f"no image after {RENDER_TIMEOUT_S:.0f} s"
    raise ImageError(f"The chart image could not be rendered with {browser}: {reason}") from (
        error if isinstance(error, Exception) else None)
