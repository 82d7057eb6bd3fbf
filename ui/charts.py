"""Drawing a Plotly figure on a page: always in the reader's language (number separators, date ticks)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from charts.locale import localize_figure
from ui.context import language


def show_chart(fig: go.Figure, **kwargs):
    """``st.plotly_chart`` for a figure localised to the current language; returns what Streamlit returns."""
    return st.plotly_chart(localize_figure(fig, language()), **kwargs)
