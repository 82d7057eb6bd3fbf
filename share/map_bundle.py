"""The map-only plotly.js build (``share/static/plotly-map.min.js``), under a cache-busting name.

It is plotly.js built with only the ``choroplethmap`` trace (``frontend/plotly-map``): the map page
(``ui.map_chart``) and the map embed (``server.embed``) draw with it, because evaluating the full plotly.js (4.7 MB)
was about a second of a first visit's main thread, most of the gap between the app's map and a static page of the
same figure. The server serves it at ``/embed/assets/<map_bundle_name()>`` (``server.embed.routes``).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

PLOTLY_MAP_JS = Path(__file__).parent / "static" / "plotly-map.min.js"
ASSETS = "assets"  # relative to /embed/, so the pages also work under a path prefix
MAP_BUNDLE_GLOBAL = "DensaulyqPlotly"  # the map bundle's global (not ``Plotly``: Streamlit's own chunk is separate)


@lru_cache(maxsize=1)
def map_bundle_bytes() -> bytes:
    """The map-only build, read once (its name, its version and the served body all come from it)."""
    return PLOTLY_MAP_JS.read_bytes()


@lru_cache(maxsize=1)
def map_bundle_name() -> str:
    """``plotly-map-<content hash>.min.js``: cacheable for a year, renamed by every rebuild."""
    return f"plotly-map-{hashlib.sha256(map_bundle_bytes()).hexdigest()[:12]}.min.js"


def map_bundle_path() -> str:
    """The bundle's URL relative to a page of the app (``/map``) or of the embeds' parent (``/embed/map``)."""
    return f"embed/{ASSETS}/{map_bundle_name()}"


@lru_cache(maxsize=1)
def map_bundle_plotly_version() -> str:
    """The plotly.js version the map bundle was built from (its banner), to be equal to the Python package's."""
    head = map_bundle_bytes()[:400].decode("ascii", errors="replace")
    found = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", head)
    return found.group(1) if found else "unknown"
