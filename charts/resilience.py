"""Figures of the resilience index page: the ranking with its domain scores, and the rank-range bars of the
sensitivity analysis."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

Translate = Callable[..., str]
DOMAIN_COLOURS = {"screening": "#0072B2", "diagnostics": "#009E73", "workforce": "#E69F00", "outcomes": "#CC79A7"}


def index_bars(result: pd.DataFrame, names: dict[str, str], domain_labels: dict[str, str],
               weights: dict[str, float], t: Translate) -> go.Figure:
    """Stacked bars: each domain's weighted contribution to the index, regions best first."""
    ranked = result[result["index"].notna()].sort_values("index", ascending=False)
    fig = go.Figure()
    for domain, label in domain_labels.items():
        if domain not in ranked:
            continue
        present = ranked[list(domain_labels)].notna()
        weight_sum = present.mul(pd.Series(weights)).sum(axis=1)
        share = ranked[domain].fillna(0.0) * weights.get(domain, 0.0) / weight_sum
        fig.add_trace(go.Bar(y=ranked.index.map(names), x=share, orientation="h", name=t(label),
                             marker_color=DOMAIN_COLOURS.get(domain, "#999"),
                             hovertemplate="%{y}: %{x:.1f}<extra>" + t(label) + "</extra>"))
    fig.update_layout(barmode="stack", height=max(380, 24 * len(ranked) + 90),
                      margin={"l": 0, "r": 10, "t": 10, "b": 0}, yaxis={"autorange": "reversed"},
                      xaxis={"title": t("Index (weighted contribution of each domain)")},
                      legend={"orientation": "h", "y": 1.06})
    return fig


def rank_range_bars(sens: pd.DataFrame, names: dict[str, str], t: Translate) -> go.Figure:
    """Per region: the full rank range (light), the 5th–95th percentile (dark) and the chosen rank (marker)."""
    s = sens[sens["rank"].notna()].sort_values("rank")
    labels = s.index.map(names)
    fig = go.Figure()
    fig.add_trace(go.Bar(y=labels, x=s["rank_max"] - s["rank_min"] + 0.001, base=s["rank_min"], orientation="h",
                         marker_color="#dddddd", name=t("Full range of ranks"), width=0.7,
                         hovertemplate="%{y}: %{base:.0f}–%{customdata:.0f}<extra></extra>",
                         customdata=s["rank_max"]))
    fig.add_trace(go.Bar(y=labels, x=s["rank_p95"] - s["rank_p05"] + 0.001, base=s["rank_p05"], orientation="h",
                         marker_color="#8c8c8c", name=t("90% of weightings"), width=0.4, hoverinfo="skip"))
    fig.add_trace(go.Scatter(y=labels, x=s["rank"].astype(float), mode="markers", name=t("Rank with chosen weights"),
                             marker={"color": "#D55E00", "size": 11, "symbol": "diamond"},
                             hovertemplate="%{y}: %{x:.0f}<extra></extra>"))
    fig.update_layout(barmode="overlay", height=max(380, 24 * len(s) + 90), margin={"l": 0, "r": 10, "t": 10, "b": 0},
                      yaxis={"autorange": "reversed"},
                      xaxis={"title": t("Rank (1 = most resilient)"), "range": [0.5, len(s) + 0.5], "dtick": 1},
                      legend={"orientation": "h", "y": 1.06})
    return fig
