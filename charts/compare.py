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
from geo.vintages import segment_ids

Translate = Callable[..., str]
ILLUSTRATIVE_COLOUR, REAL_COLOUR = "#f4a261", "#1f6f8b"
LABEL_FONT_PX = 11
SCATTER_HEIGHT = 460
# The smallest plotting area of the scatter on the dashboard's 1366 px wide layout (figure minus axes and legend):
# labels placed apart here stay apart on any wider screen.
SCATTER_MIN_PLOT_PX = (700.0, SCATTER_HEIGHT - 130.0)


DERIVED_COLOUR = "#5aa0b8"


def value_kind(synthetic, derived, t: Translate) -> str:
    """How a value came about, as the legend says it: illustrative, derived from published counts, or published."""
    if bool(synthetic):
        return t("Illustrative")
    return t("Derived from published counts") if bool(derived) else t("Published")


def _colours(t: Translate) -> dict[str, str]:
    return {t("Illustrative"): ILLUSTRATIVE_COLOUR, t("Published"): REAL_COLOUR,
            t("Derived from published counts"): DERIVED_COLOUR}


def ranking_bar(obs: pd.DataFrame, indicator: Indicator, names: dict[str, str], lang: str, t: Translate) -> go.Figure:
    regional = obs[obs["region"] != "KZ"].copy()
    regional["name"] = regional["region"].map(names)
    regional = regional.sort_values("value", ascending=indicator.polarity != "lower_is_better")
    derived = regional["derived"] if "derived" in regional else pd.Series(False, index=regional.index)
    regional["kind"] = [value_kind(s, d, t) for s, d in zip(regional["synthetic"], derived, strict=True)]
    colours = _colours(t)
    labels = {"value": indicator.unit_label(lang), "name": "", "kind": "", "period": t("Period"),
              "source_title": t("Source")}
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


def with_breaks(sel: pd.DataFrame) -> pd.DataFrame:
    """Rows of several regions' series with an empty point (value NaN) at each boundary break, so a line never
    joins two territories; sorted by date."""
    pieces = []
    for _region, series in sel.groupby("region", sort=False):
        series = series.sort_values("date")
        ids = segment_ids(series)
        for n in range(1, max(ids, default=0) + 1):
            first = series.iloc[ids.index(n)]
            for synthetic in sorted(set(series["synthetic"].astype(bool))):  # a gap in each trace the region has
                pieces.append(pd.DataFrame([{**first.to_dict(), "value": float("nan"), "synthetic": synthetic,
                                             "date": first["date"] - pd.Timedelta(days=1)}]))
        pieces.append(series)
    return pd.concat(pieces, ignore_index=True).sort_values("date") if pieces else sel


def trend_lines(obs: pd.DataFrame, regions: list[str], indicator: Indicator, names: dict[str, str], lang: str,
                t: Translate) -> go.Figure:
    """Chosen regions over time; the line breaks where a region's boundaries changed (a dotted marker says so)."""
    sel = obs[obs["region"].isin([*regions, "KZ"])].copy()
    sel["date"] = pd.to_datetime(sel["period"].map(period_end))
    sel["name"] = sel["region"].map(lambda c: names.get(c, t("Kazakhstan")))
    sel["series"] = sel["name"] + sel["synthetic"].map({True: " · " + t("illustrative"), False: ""})
    sel = with_breaks(sel)
    breaks = sel[sel["value"].isna()].drop_duplicates("region")
    fig = px.line(sel, x="date", y="value", color="name", markers=True, line_dash="synthetic",
                  line_dash_map={False: "solid", True: "dot"},
                  labels={"value": indicator.unit_label(lang), "date": "", "name": "", "period": t("Period")},
                  hover_name="series", hover_data={"period": True, "date": False, "synthetic": False})
    for trace in fig.data:  # legend entries read "Astana" and "Astana · illustrative", not "Astana, True"
        name, _sep, flag = trace.name.partition(", ")
        trace.name = name + (" · " + t("illustrative") if flag == "True" else "")
    for _idx, gap in breaks.iterrows():
        fig.add_vline(x=gap["date"].timestamp() * 1000, line_dash="dot", line_color="#888",
                      annotation_text=t("{region}: boundaries changed", region=gap["name"]),
                      annotation_position="top left", annotation_font_size=10)
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
    colours = _colours(t)
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
