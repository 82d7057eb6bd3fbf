"""Progress chart of one KPI: the straight path baseline → target, the actuals, and the projected trend."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from kpi.framework import Kpi
from kpi.status import KpiStatus


def kpi_progress_figure(kpi: Kpi, counted: pd.DataFrame, status: KpiStatus, labels: dict[str, str],
                        today: date | None = None, lang: str = "en") -> go.Figure:
    """``counted``: quarter, date, value (running totals for cumulative KPIs). ``labels``: translated legend names
    under keys path, actuals, projection, today, target."""
    fig = go.Figure()
    fig.add_scatter(x=[kpi.baseline_date, kpi.target_date], y=[kpi.baseline_value, kpi.target_value],
                    mode="lines+markers", name=labels["path"], line={"dash": "dash", "color": "#8c8c8c"},
                    hovertemplate="%{x|%Y-%m-%d}: %{y:,.2f}<extra></extra>")
    if not counted.empty:
        fig.add_scatter(x=counted["date"], y=counted["value"], mode="lines+markers", name=labels["actuals"],
                        line={"color": "#1f5fa8", "width": 3}, customdata=counted["quarter"],
                        hovertemplate="%{customdata}: %{y:,.2f}<extra></extra>")
    if status.projected is not None and not counted.empty:
        last = counted.iloc[-1]
        fig.add_scatter(x=[last["date"], kpi.target_date], y=[last["value"], status.projected], mode="lines+markers",
                        name=labels["projection"], line={"dash": "dot", "color": "#b35900"},
                        hovertemplate="%{x|%Y-%m-%d}: %{y:,.2f}<extra></extra>")
    fig.add_scatter(x=[kpi.target_date], y=[kpi.target_value], mode="markers", name=labels["target"],
                    marker={"symbol": "star", "size": 14, "color": "#1a7f37"})
    if today is not None:
        fig.add_vline(x=today.isoformat(), line={"color": "#bbbbbb", "width": 1})
    fig.update_layout(template="plotly_white", height=380, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend={"orientation": "h", "y": -0.15}, yaxis_title=kpi.unit_label(lang))
    return fig
