"""The regional map, drawn by a small Streamlit component with the map-only plotly.js build.

``st.plotly_chart`` loads Streamlit's Plotly chunk (the full plotly.js, 4.7 MB), and evaluating it was about a
second of a first visit's main thread: the map was painted 1.7–1.9× later than a static page of the same figure.
The component draws the same frozen figure with ``share/static/plotly-map.min.js`` (plotly.js with only
the ``choroplethmap`` trace, preloaded with the page by ``server.preload``) and reports a clicked region.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import streamlit as st

from charts.frozen import FrozenFigure
from charts.map_geometry import with_geometry_url
from share.map_bundle import map_bundle_path
from ui.context import t
from ui.data import geometry_url

_JS = (Path(__file__).parent / "assets" / "map_component.js").read_text(encoding="utf-8")
MAP_COMPONENT = "densaulyq_map"
_map_component = st.components.v2.component(MAP_COMPONENT, js=_JS, isolate_styles=False)


def map_payload(fig: FrozenFigure, config: dict[str, Any], label: str, error: str) -> bytes:
    """What the component gets: the figure, the Plotly config, the bundle's URL and its texts, as JSON bytes.
    Kept on the (shared, cached) figure per config and texts: a rerun costs no encoding."""
    boundaries = geometry_url()  # the boundaries as a cached static file, not ~150 KB in every session's message
    key = orjson.dumps([config, label, error, map_bundle_path(), boundaries])
    cached = getattr(fig, "_densaulyq_payload", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    payload = orjson.dumps({"figure": with_geometry_url(fig.to_dict(), boundaries), "config": config,
                            "src": map_bundle_path(), "label": label, "error": error})
    fig._densaulyq_payload = (key, payload)  # benign race: readers build the same bytes
    return payload


def _ignore() -> None:
    """A click needs no callback: the page reads the clicked region from the result."""


def show_map(fig: FrozenFigure, key: str, label: str, config: dict[str, Any] | None = None) -> str | None:
    """Draws ``fig`` (a frozen, localised map figure); returns the region code clicked in this run, if any."""
    config = {"displayModeBar": False, "scrollZoom": False, "responsive": True, **(config or {})}
    payload = map_payload(fig, config, label, t("The map could not be drawn. Reload the page to try again."))
    result = _map_component(key=key, data=payload, on_region_change=_ignore)
    region = getattr(result, "region", None)
    return region if isinstance(region, str) else None
