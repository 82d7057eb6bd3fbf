"""The regions' boundaries as one static file the browser keeps, named after its content.

A map figure carries the boundaries of its regions in every trace (one trace per colour class): ~150 KB of
coordinates in each new map session's first message, deflated by the server every time (most of the websocket's
CPU) and downloaded again by every reader. The interactive map (the dashboard's component and the map embed) gets
the figure with each trace's ``geojson`` replaced by the URL of this file instead; plotly.js fetches a GeoJSON URL
once per page and shares it between the traces, and the browser caches it for a year (``server.embed.routes.asset``
serves it, its content hash in the name). Chart images (Kaleido) and the server-drawn map view keep the inline
boundaries: nothing to fetch there.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

import orjson

from geo import map_geojson
from share.map_bundle import ASSETS

GEOMETRY_MEDIA_TYPE = "application/geo+json"


@lru_cache(maxsize=4)
def geometry_asset(tolerance: float, precision: int) -> tuple[str, bytes]:
    """(file name, body) of the map's boundaries at this simplification: every region's feature with its ISO code
    as ``id`` (what the traces' ``featureidkey`` names), no properties."""
    features = [{"type": "Feature", "id": f["id"], "properties": {}, "geometry": f["geometry"]}
                for f in map_geojson(tolerance, precision)["features"]]
    body = orjson.dumps({"type": "FeatureCollection", "features": features})
    return f"regions-{hashlib.sha256(body).hexdigest()[:12]}.geojson", body


def geometry_path(tolerance: float, precision: int, from_embed: bool = False) -> str:
    """The file's URL relative to a page of the app (``/map``), or with ``from_embed`` to an embed (``/embed/map``)."""
    name = geometry_asset(tolerance, precision)[0]
    return f"{ASSETS}/{name}" if from_embed else f"embed/{ASSETS}/{name}"


def with_geometry_url(figure: dict[str, Any], url: str) -> dict[str, Any]:
    """``figure`` (a plotly figure as a dict) with every map trace's boundaries replaced by ``url``; the rest shared,
    not copied."""
    return {**figure, "data": [{**trace, "geojson": url} if trace.get("type") == "choroplethmap" else trace
                               for trace in figure.get("data", [])]}
