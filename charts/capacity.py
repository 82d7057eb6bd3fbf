"""Capacity gap figure: units needed per region to reach the reference rate."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

Translate = Callable[..., str]


def gap_bars(gaps: pd.DataFrame, names: dict[str, str], unit_name: str, t: Translate) -> go.Figure:
    """Horizontal bars: units in place and units needed, regions with the largest gap first."""
    g = gaps[gaps["units_needed"].notna()].sort_values(["units_needed", "value"], ascending=[False, True])
    labels = g.index.map(names)
    fig = go.Figure()
    fig.add_trace(go.Bar(y=labels, x=g["units"], orientation="h", name=t("Units now"), marker_color="#0072B2",
                         hovertemplate="%{y}: %{x:,.0f}<extra></extra>"))
    fig.add_trace(go.Bar(y=labels, x=g["units_needed"], orientation="h", name=t("Units needed to reach the reference"),
                         marker_color="#E69F00", hovertemplate="%{y}: +%{x:,.0f}<extra></extra>"))
    fig.update_layout(barmode="stack", height=max(380, 24 * len(g) + 90), margin={"l": 0, "r": 10, "t": 10, "b": 0},
                      yaxis={"autorange": "reversed"}, xaxis={"title": unit_name},
                      legend={"orientation": "h", "y": 1.06})
    return fig
