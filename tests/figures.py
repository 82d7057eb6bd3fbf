"""The Plotly figures a page draws, as AppTest sees them: ``st.plotly_chart`` elements and the map component
(``ui.map_chart``, which AppTest reports as an unknown ``bidi_component`` element carrying its JSON payload)."""

from __future__ import annotations

import json
from typing import Any

from streamlit.testing.v1 import AppTest

from ui.map_chart import MAP_COMPONENT


def map_payloads(at: AppTest) -> list[dict[str, Any]]:
    """What the map component received: ``figure``, ``config``, ``src`` (the bundle), ``label`` and ``error``."""
    return [json.loads(el.proto.bytes) for el in at.get("bidi_component") if el.proto.component_name == MAP_COMPONENT]


def page_figures(at: AppTest) -> list[dict[str, Any]]:
    """Every figure on the page: Streamlit's Plotly charts first, then the map."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")] + [p["figure"] for p in map_payloads(at)]
