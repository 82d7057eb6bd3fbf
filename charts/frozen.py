"""A Plotly figure built once and drawn many times.

``st.plotly_chart`` turns a ``Figure`` into a dict (``to_dict``: a deep copy, GeoJSON included) and then into JSON
on every script run; for the map that copy is most of a rerun. A frozen figure keeps its dict from the moment it
is frozen and hands out that same dict, so a cached figure costs only the JSON encoding per run. The dict holds
plain JSON types only (numbers, strings, lists; no numpy arrays or timestamps), so Plotly's encoder takes its fast
path (one ``orjson.dumps``) instead of walking every coordinate of the GeoJSON to clean it: that walk was a third
of a new map session's CPU. It must not be changed after freezing (``freeze`` makes a fresh object, the builder's
figure is left alone).
"""

from __future__ import annotations

from typing import Any

import orjson
import plotly.graph_objects as go
import plotly.io as pio


class FrozenFigure(go.Figure):
    """A ``go.Figure`` whose ``to_dict`` returns the dict computed at freezing time (read-only by convention)."""

    _frozen_dict: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self._frozen_dict


def freeze(fig: go.Figure) -> FrozenFigure:
    """A frozen copy of ``fig`` whose dict is what Plotly's JSON encoder would send, as plain JSON types."""
    frozen = FrozenFigure(fig)
    frozen._frozen_dict = orjson.loads(pio.to_json(fig, validate=False, remove_uids=False))
    return frozen
