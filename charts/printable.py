"""The map for print: the page's MapLibre ``choroplethmap`` (a WebGL canvas, which reaches an SVG only as an
embedded bitmap) redrawn as SVG paths, a ``choropleth`` trace on a bare ``geo`` subplot fitted to the regions,
with the same regions, colours and legend."""

from __future__ import annotations

import re
from typing import Any

import plotly.graph_objects as go
from shapely.geometry import MultiPolygon, mapping, shape
from shapely.geometry.polygon import orient

PRINT_MAP_HEIGHT = 430  # layout px of the print map's plot area: Kazakhstan is about twice as wide as high
# Figures built in the app take Streamlit's Plotly template, whose colours are placeholders (#000001, #000002 …)
# that Streamlit's browser code swaps for the theme's. An image has no browser code: the same swap, with
# Streamlit's default categorical palette, is done here.
PLACEHOLDER = re.compile(r"^#0000([0-9a-fA-F]{2})$")
PALETTE = ("#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1", "#ff8700", "#ffd16a", "#6d3fc0",
           "#d5dae5")


def _real_colours(value: Any) -> Any:
    if isinstance(value, str):
        match = PLACEHOLDER.match(value)
        return PALETTE[(int(match.group(1), 16) - 1) % len(PALETTE)] if match else value
    if isinstance(value, dict):
        return {key: _real_colours(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_real_colours(item) for item in value]
    return value


def real_colours(fig: go.Figure) -> go.Figure:
    """``fig`` with Streamlit's placeholder colours replaced by real ones and no template (the caller sets one)."""
    data = [_real_colours(trace.to_plotly_json()) for trace in fig.data]
    layout = fig.layout.to_plotly_json()
    layout.pop("template", None)
    return go.Figure(data=data, layout=_real_colours(layout))


def _clockwise(geojson: dict) -> dict:
    """The features with clockwise outer rings, as d3-geo (plotly's ``geo``) wants them: the GeoJSON standard's
    anticlockwise rings are read by d3 as 'the whole globe except the region', filling the frame."""
    features = []
    for feature in geojson.get("features", []):
        geometry = shape(feature["geometry"])
        parts = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
        turned = MultiPolygon([orient(part, sign=-1.0) for part in parts]) if len(parts) > 1 else orient(
            parts[0], sign=-1.0)
        features.append({**feature, "geometry": mapping(turned)})
    return {**geojson, "features": features}


def printable(fig: go.Figure) -> go.Figure:
    """``fig`` with every ``choroplethmap`` trace redrawn as a ``choropleth`` on a bare ``geo`` subplot; other
    figures are returned unchanged."""
    if not any(trace.type == "choroplethmap" for trace in fig.data):
        return fig
    out = go.Figure(layout=fig.layout)
    west, south, east, north = 180.0, 90.0, -180.0, -90.0
    for trace in fig.data:
        if trace.type != "choroplethmap":
            out.add_trace(trace)
            continue
        marker = trace.marker.to_plotly_json() if trace.marker else {}
        geojson = _clockwise(trace.geojson)
        for feature in geojson["features"]:
            x0, y0, x1, y1 = shape(feature["geometry"]).bounds
            west, south, east, north = min(west, x0), min(south, y0), max(east, x1), max(north, y1)
        out.add_trace(go.Choropleth(
            geojson=geojson, locations=trace.locations, featureidkey=trace.featureidkey, z=trace.z,
            colorscale=trace.colorscale, showscale=False, name=trace.name, showlegend=trace.showlegend,
            legendgroup=trace.legendgroup, customdata=trace.customdata,
            marker={"line": marker.get("line", {}), "opacity": marker.get("opacity", 1)}))
    out.layout.map = None
    legend_room = int(out.layout.margin.b or 0)
    pad = 0.3  # degrees around the regions
    out.update_layout(geo={"visible": False, "projection": {"type": "mercator"},
                           "lonaxis": {"range": [west - pad, east + pad]},
                           "lataxis": {"range": [south - pad, north + pad]},
                           "bgcolor": "rgba(0,0,0,0)", "domain": {"x": [0, 1], "y": [0, 1]}},
                      height=PRINT_MAP_HEIGHT + legend_room)
    return out
