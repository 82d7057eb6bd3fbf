"""The regional map's figure and frame, built once per (indicator, period, colouring, level, method, language,
instance mode, store version) and shared by every session of the process.

Building the figure (class breaks, one trace per class with its regions' boundaries) and Plotly's deep copies of
the GeoJSON were most of a map rerun; a cached :class:`charts.frozen.FrozenFigure` leaves only the JSON encoding.
The returned frame is shared too: treat it as read-only (``assign``/``join`` make copies).
"""

from __future__ import annotations

import threading

import pandas as pd
import streamlit as st

from analytics.benchmark import benchmark_regions
from catalogue import Indicator
from charts.choropleth import benchmark_choropleth, choropleth_figure, map_frame
from charts.frozen import FrozenFigure, freeze
from geo import REGION_CODES, region_name
from ui import data
from ui.context import settings, t

_build_lock = threading.Lock()  # readers arriving together build a missing figure once, not once each


@st.cache_resource(max_entries=128, show_spinner=False)
def _map_view(url: str, public: bool, version: str, indicator_id: str, period: str, mode: str, level: float,
              method: str, lang: str, scheme: str, k: int) -> tuple[FrozenFigure, pd.DataFrame, pd.DataFrame]:
    indicator: Indicator = data.catalogue()[indicator_id]
    obs = data.observations(indicator_id, period)
    frame = map_frame(obs, {code: region_name(code, lang) for code in REGION_CODES})
    if mode == "benchmark":
        compared = benchmark_regions(obs, indicator.value_type, indicator.multiplier, indicator.polarity, level,
                                     method).set_index("region")[["lower", "upper", "ci_method", "category"]]
        frame = frame.join(compared, on="region")
        frame["category"] = frame["category"].fillna("not_compared")
        fig = benchmark_choropleth(frame, data.geojson(), indicator, period, lang, t, level)
    else:
        fig = choropleth_figure(frame, data.geojson(), indicator, period, lang, t, scheme=scheme, k=k)
    return freeze(fig), frame, obs


def map_view(indicator: Indicator, period: str, mode: str, level: float, method: str, lang: str
             ) -> tuple[FrozenFigure, pd.DataFrame, pd.DataFrame]:
    """(figure, per-region frame, observations) of the map as this instance's readers see it."""
    cfg = settings()
    map_cfg = cfg.section("map")
    key = (cfg.database_url, cfg.is_public, data.store_version(), indicator.id, period, mode, level, method, lang,
           str(map_cfg.get("scheme", "quantiles")), int(map_cfg.get("classes", 5)))
    with _build_lock:
        return _map_view(*key)
