"""The map's data-completeness mode (DHIS2's reporting rates): each region coloured by what is stored for the chosen
period (published, illustrative, suppressed, missing, not yet formed), its hover listing the periods with a value,
the illustrative and the missing ones, and its latest period."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from analytics.completeness import STATUS_COLOURS, STATUS_LABELS, STATUSES, period_ranges
from catalogue import Indicator
from charts.choropleth import (
    LEGEND_CLEAR_OF_REGIONS,
    LEGEND_ROOM,
    MAP_CENTER,
    MAP_HEIGHT,
    MAP_ZOOM,
    features_of,
    legend_title,
    wrap_html,
)
from core.i18n import number_separators
from geo import ATTRIBUTION

Translate = Callable[..., str]


def completeness_hover(row: pd.Series, period: str, t: Translate) -> str:
    lines = [f"<b>{row['name']}</b>", t("{period}: {status}", period=period, status=t(STATUS_LABELS[row['status']])),
             t("Latest period with a value: {period}", period=row["latest"] or "–"),
             t("Periods with a value: {n} of {total}", n=row["published"] + row["illustrative"],
               total=row["expected"])]
    if row["illustrative"]:
        lines.append(t("of which illustrative: {n}", n=row["illustrative"]))
    if row["suppressed"]:
        lines.append(t("Suppressed: {n}", n=row["suppressed"]))
    if row["missing_periods"]:
        lines.append(wrap_html(t("Missing: {periods}", periods=period_ranges(row["missing_periods"]))))
    return "<br>".join(lines)


def completeness_choropleth(frame: pd.DataFrame, geojson: dict, indicator: Indicator, period: str, lang: str,
                            t: Translate, count_line: str) -> go.Figure:
    """``frame``: one row per region with ``name``, ``status`` (in ``period``) and the columns of
    ``analytics.completeness.region_summary``; ``count_line`` ("14 of 20 regions have 2024") heads the legend."""
    fig = go.Figure()
    for status in STATUSES:
        members = frame[frame["status"] == status]
        if members.empty:
            continue
        colour = STATUS_COLOURS[status]
        fig.add_trace(go.Choroplethmap(
            geojson=features_of(geojson, members["region"]), locations=members["region"], featureidkey="id",
            z=[1] * len(members), colorscale=[[0, colour], [1, colour]], showscale=False,
            marker={"line": {"color": "#ffffff" if status != "not_existing" else "#bdbdbd", "width": 0.8},
                    "opacity": 0.95},
            name=t(STATUS_LABELS[status]), showlegend=True, legendgroup=status,
            customdata=members[["region", "status"]].to_numpy(),
            text=[completeness_hover(r, period, t) for _i, r in members.iterrows()],
            hovertemplate="%{text}<extra></extra>",
        ))
    fig.update_layout(
        map={"style": "white-bg", "center": MAP_CENTER, "zoom": MAP_ZOOM},
        height=MAP_HEIGHT + LEGEND_ROOM, margin={"l": 0, "r": 0, "t": 10, "b": LEGEND_ROOM},
        legend={"title": {"text": legend_title(f"{indicator.label(lang)}: " + t("data completeness"), count_line),
                          "side": "top"},
                **LEGEND_CLEAR_OF_REGIONS, "bgcolor": "rgba(255,255,255,0.85)"},
        separators=number_separators(lang),
        annotations=[{"text": t(ATTRIBUTION), "xref": "paper", "yref": "paper", "x": 0.995, "y": 0.005,
                      "xanchor": "right", "yanchor": "bottom", "showarrow": False, "font": {"size": 11},
                      "bgcolor": "rgba(255,255,255,0.8)"}],
    )
    return fig
