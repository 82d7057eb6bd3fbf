"""Figures in the reader's language: Plotly formats axis ticks, hover numbers and dates itself, so each figure gets
the language's decimal and group symbols (``layout.separators``) and date ticks without English month names."""

from __future__ import annotations

import datetime as dt

import numpy as np
import plotly.graph_objects as go

from core.i18n import number_separators

DAY_MS = 86_400_000
# Numeric date ticks (no month names, which Plotly would write in English): days, months, years.
DATE_TICK_STOPS = (
    {"dtickrange": [None, 27 * DAY_MS], "value": "%d.%m.%Y"},
    {"dtickrange": [27 * DAY_MS, "M12"], "value": "%m.%Y"},
    {"dtickrange": ["M12", None], "value": "%Y"},
)


def _is_dates(values: object) -> bool:
    if values is None:
        return False
    arr = np.asarray(values)
    if arr.dtype.kind == "M":
        return True
    return arr.size > 0 and isinstance(arr.flat[0], (dt.date, np.datetime64))


def localize_figure(fig: go.Figure, lang: str) -> go.Figure:
    """Set the language's number separators and, outside English, numeric date ticks on date x-axes."""
    fig.update_layout(separators=number_separators(lang))
    if lang != "en" and any(_is_dates(getattr(trace, "x", None)) for trace in fig.data):
        fig.update_xaxes(tickformatstops=list(DATE_TICK_STOPS))
    return fig
