"""Figures of the Compare page: ranking bars, trend lines, two-indicator scatter."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from analytics.pairs import Pair
from catalogue import Indicator
from charts.labels import PlotBox, padded_range, place_labels
from core.periods import period_end

Translate = Callable[..., str]
ILLUSTRATIVE_COLOUR, REAL_COLOUR = "#f4a261", "#1f6f8b"
LABEL_FONT_PX = 11
SCATTER_HEIGHT = 460
# The smallest plotting area of the scatter on the dashboard's 1366 px wide layout (figure minus axes and legend):
# labels placed apart here stay apart on any wider screen.
SCATTER_MIN_PLOT_PX = (700.0, SCATTER_HEIGHT - 130.0)


def ranking_bar(obs: pd.DataFrame, indicator: Indicator, names: dict[str, str], lang: str, t: Translate) -> go.Figure:
    regional = obs[obs["region"] != "KZ"].copy()
    regional["name"] = regional["region"].map(names)
    regional = regional.sort_values("value", ascending=indicator.polarity != "lower_is_better")
    regional["kind"] = regional["synthetic"].map({True: t("Illustrative"), False: t("Published")})
    colours = {t("Illustrative"): ILLUSTRATIVE_COLOUR, t("Published"): REAL_COLOUR}
    labels = {"value": indicator.unit_label(lang), "name": "", "kind": ""}
    hover = {"period": True, "source_title": True}
    if indicator.value_type in ("mean", "index", "ratio"):
        # Zero is not a meaningful baseline for a mean (life expectancy): dots, axis fitted to the data.
        fig = px.scatter(regional, x="value", y="name", color="kind", color_discrete_map=colours, labels=labels,
                         hover_data=hover)
        fig.update_traces(marker={"size": 11})
    else:
        fig = px.bar(regional, x="value", y="name", orientation="h", color="kind", color_discrete_map=colours,
                     labels=labels, hover_data=hover)
    national = obs.loc[obs["region"] == "KZ", "value"]
    if len(national):
        fig.add_vline(x=float(national.iloc[0]), line_dash="dash", line_color="#333",
                      annotation_text=t("Kazakhstan"), annotation_position="top")
    fig.update_layout(height=max(360, 24 * len(regional) + 80), margin={"l": 0, "r": 10, "t": 30, "b": 0},
                      yaxis={"categoryorder": "array", "categoryarray": list(regional["name"])},  # best on top
                      legend={"orientation": "h", "y": 1.05})
    return fig


def trend_lines(obs: pd.DataFrame, regions: list[str], indicator: Indicator, names: dict[str, str], lang: str,
                t: Translate) -> go.Figure:
    sel = obs[obs["region"].isin([*regions, "KZ"])].copy()
    sel["date"] = sel["period"].map(period_end)
    sel["name"] = sel["region"].map(lambda c: names.get(c, t("Kazakhstan")))
    sel["series"] = sel["name"] + sel["synthetic"].map({True: " · " + t("illustrative"), False: ""})
    sel = sel.sort_values("date")
    fig = px.line(sel, x="date", y="value", color="name", markers=True, line_dash="synthetic",
                  line_dash_map={False: "solid", True: "dot"},
                  labels={"value": indicator.unit_label(lang), "date": "", "name": ""},
                  hover_name="series", hover_data={"period": True, "date": False, "synthetic": False})
    for trace in fig.data:  # legend entries read "Astana" and "Astana · illustrative", not "Astana, True"
        name, _sep, flag = trace.name.partition(", ")
        trace.name = name + (" · " + t("illustrative") if flag == "True" else "")
    fig.update_layout(height=380, margin={"l": 0, "r": 10, "t": 10, "b": 0}, legend_title_text="")
    return fig


def scatter_two(pair: Pair, x_ind: Indicator, y_ind: Indicator, names: dict[str, str], lang: str,
                t: Translate) -> go.Figure:
    """The regions of ``pair`` on two indicators; the axis titles say which periods. Names are placed where they
    overlap nothing (``charts.labels``); a crowded region's name is in its hover text."""
    both = pair.both.copy()
    both["name"] = both.index.map(names)
    both["kind"] = (both["synthetic_x"] | both["synthetic_y"]).map({True: t("Illustrative"), False: t("Published")})
    x_range, y_range = padded_range(both["value_x"]), padded_range(both["value_y"], pad=0.12)
    plot = PlotBox(SCATTER_MIN_PLOT_PX[0], SCATTER_MIN_PLOT_PX[1], x_range, y_range)
    placed = place_labels(list(zip(both["value_x"], both["value_y"], strict=True)), list(both["name"]), plot,
                          LABEL_FONT_PX)
    both["position"] = [p or "" for p in placed]  # "" = no room: the name is in the hover text only
    hover = f"<b>%{{hovertext}}</b><br>%{{x:,.{x_ind.decimals}f}} · %{{y:,.{y_ind.decimals}f}}<extra></extra>"
    fig = go.Figure()
    colours = {t("Illustrative"): ILLUSTRATIVE_COLOUR, t("Published"): REAL_COLOUR}
    for kind, rows in both.groupby("kind", sort=True):
        fig.add_trace(go.Scatter(
            x=rows["value_x"], y=rows["value_y"], mode="markers+text", name=kind,
            marker={"color": colours[kind], "size": 10},
            text=[n if p else "" for n, p in zip(rows["name"], rows["position"], strict=True)],
            textposition=[p or "top center" for p in rows["position"]], textfont={"size": LABEL_FONT_PX},
            hovertext=rows["name"], hovertemplate=hover))
    fig.update_layout(
        height=SCATTER_HEIGHT, margin={"l": 0, "r": 10, "t": 30, "b": 0},
        xaxis={"title": f"{x_ind.label(lang)} ({x_ind.unit_label(lang)}, {pair.x_period})", "range": list(x_range)},
        yaxis={"title": f"{y_ind.label(lang)} ({y_ind.unit_label(lang)}, {pair.y_period})", "range": list(y_range)},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "title": {"text": ""}})
    return fig
