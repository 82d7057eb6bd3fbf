"""Drawing a Plotly figure on a page: always in the reader's language (number separators, date ticks)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from charts.frozen import FrozenFigure
from charts.locale import localize_figure
from ui.context import language


def show_chart(fig: go.Figure, **kwargs):
    """``st.plotly_chart`` for a figure localised to the current language; returns what Streamlit returns.
    A cached (frozen) figure from ``ui.figures.cached_figure`` is already localised and is drawn as it is:
    changing it would change the shared cached object and not what is drawn."""
    if isinstance(fig, FrozenFigure):
        return st.plotly_chart(fig, **kwargs)
    return st.plotly_chart(localize_figure(fig, language()), **kwargs)
