"""The script and style files the embeds load from this server, under cache-busting names: the embeds' own CSS
and JS (``static/``) and the map-only plotly.js build, which the map page loads too (``share.map_bundle``).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from share.map_bundle import PLOTLY_MAP_JS

STATIC_DIR = Path(__file__).parent / "static"


@lru_cache(maxsize=1)
def asset_version() -> str:
    """One version of every file the embeds load (their CSS, their JS and the map bundle), for ``?v=``."""
    digest = hashlib.sha256()
    for path in sorted([*STATIC_DIR.iterdir(), PLOTLY_MAP_JS], key=lambda p: p.name):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
