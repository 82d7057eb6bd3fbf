"""Funnel plot figure: regional values against their denominators, with control limits around Kazakhstan."""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import pairwise

import pandas as pd
import plotly.graph_objects as go

from analytics.benchmark import ILLUSTRATIVE_VERDICT
from analytics.funnel import POSITIONS
from catalogue import Indicator
from charts.labels import PlotBox, padded_range, place_labels, text_size
from core.i18n import format_number, number_separators

Translate = Callable[..., str]
LABEL_FONT_PX = 10
FUNNEL_HEIGHT = 560
# The smallest plotting area of the funnel on the dashboard's 1366 px wide layout (figure minus axes and legend):
# labels placed apart here stay apart on any wider screen.
FUNNEL_MIN_PLOT_PX = (600.0, FUNNEL_HEIGHT - 150.0)
POSITION_COLOURS = {"above_998": "#D55E00", "above_95": "#E69F00", "within": "#0072B2", "below_95": "#56B4E9",
                    "below_998": "#CC79A7"}
POSITION_SYMBOLS = {"above_998": "triangle-up", "above_95": "triangle-up", "within": "circle",
                    "below_95": "triangle-down", "below_998": "triangle-down"}


def line_boxes(curve: pd.DataFrame, plot: PlotBox) -> list[tuple[float, float, float, float]]:
    """Pixel boxes along the four control lines (one per short segment), so a region's name is never written over
    a line: in Russian and Kazakh the longer names crossed them."""
    boxes = []
    for column in ("upper_99.8", "lower_99.8", "upper_95", "lower_95"):
        pixels = [plot.to_px(x, y) for x, y in zip(curve["denominator"], curve[column], strict=True)
                  if x > 0 and pd.notna(y)]
        for (x0, y0), (x1, y1) in pairwise(pixels):
            boxes.append((min(x0, x1), min(y0, y1) - 1, max(x0, x1), max(y0, y1) + 1))
    return boxes


def log_ticks(log_range, lang: str) -> dict:
    """Ticks of a log axis at 1, 2 and 5 × 10ⁿ inside ``log_range`` (log10 units), written as whole numbers in the
    reader's language ("50 000", "100 000"): plotly's own labels read "2 3 4 … 9 100k 2"."""
    lo, hi = float(log_range[0]), float(log_range[1])
    values = [m * 10.0 ** e for e in range(math.floor(lo), math.ceil(hi) + 1) for m in (1, 2, 5)
              if lo <= math.log10(m * 10.0 ** e) <= hi]
    if len(values) < 2:  # a narrow range: its ends, rounded
        values = sorted({float(f"{10 ** lo:.2g}"), float(f"{10 ** hi:.2g}")})
    return {"tickvals": values, "ticktext": [format_number(v, lang, 0) for v in values]}


def funnel_figure(points: pd.DataFrame, curve: pd.DataFrame, target: float, indicator: Indicator,
                  denominator_label: str, lang: str, t: Translate) -> go.Figure:
    """``points`` from ``analytics.funnel.classify_points`` (with ``name``), ``curve`` from ``funnel_curve``."""
    points = points.reset_index(drop=True)
    fig = go.Figure()
    for tag, dash, label in (("99.8", "solid", t("99.8% control limits")), ("95", "dash", t("95% control limits"))):
        for side in ("upper", "lower"):
            fig.add_trace(go.Scatter(
                x=curve["denominator"], y=curve[f"{side}_{tag}"], mode="lines", name=label,
                legendgroup=tag, showlegend=side == "upper", hoverinfo="skip",
                line={"color": "#555555" if tag == "99.8" else "#999999", "dash": dash, "width": 1.4}))
    national_label = t("Kazakhstan") + " " + format_number(target, lang, indicator.decimals)
    fig.add_hline(y=target, line_color="#222222", line_width=1.5, annotation_text=national_label,
                  annotation_position="top left", annotation_font_size=12,
                  annotation_bgcolor="rgba(255,255,255,0.85)")
    d = indicator.decimals
    shown = points[(points["position"] != "no_denominator") & points["denominator"].gt(0) & points["value"].notna()]
    x_range = padded_range([*shown["denominator"], *curve["denominator"]], pad=0.03, log=True)
    limits = curve[["upper_99.8", "lower_99.8"]].to_numpy().ravel().tolist()
    y_range = padded_range([*shown["value"], target, *limits], pad=0.1)
    plot = PlotBox(FUNNEL_MIN_PLOT_PX[0], FUNNEL_MIN_PLOT_PX[1], x_range, y_range, x_log=True)
    line_py = plot.to_px(10 ** x_range[0], target)[1]
    width, height = text_size(national_label, 12)
    national_box = (0.0, line_py - height - 4, width + 8, line_py + 2)
    lines = [*line_boxes(curve, plot), (0.0, line_py - 1, plot.width, line_py + 1)]
    positions = dict(zip(shown.index, place_labels(list(zip(shown["denominator"], shown["value"], strict=True)),
                                                   list(shown["name"]), plot, LABEL_FONT_PX, 10,
                                                   [national_box, *lines]), strict=True))
    illustrative = t("Illustrative value, not official statistics")
    verdict = t(ILLUSTRATIVE_VERDICT)
    flagged = points["illustrative"].astype(bool) if "illustrative" in points else points["synthetic"].astype(bool)
    for hollow in (False, True):  # illustrative positions: hollow markers, never read as a finding
        for position, label in POSITIONS.items():
            members = points[(points["position"] == position) & (flagged == hollow)]
            if members.empty or position == "no_denominator":
                continue
            text = [f"<b>{r['name']}</b><br>{format_number(r['value'], lang, d)} {indicator.unit_label(lang)}<br>"
                    f"{denominator_label}: {format_number(r['denominator'], lang, 0)}<br>{t(label)}"
                    + (f"<br><i>⚠ {verdict}</i>" if hollow else "")
                    + (f"<br><i>⚠ {illustrative}</i>" if r.get("synthetic") else "")
                    for _idx, r in members.iterrows()]
            fig.add_trace(go.Scatter(
                x=members["denominator"], y=members["value"], mode="markers+text",
                name=t(label) + (f" ({verdict})" if hollow else ""),
                text=[name if positions.get(i) else "" for i, name in members["name"].items()],
                textposition=[positions.get(i) or "top center" for i in members.index],
                textfont={"size": LABEL_FONT_PX},
                hovertext=text, hovertemplate="%{hovertext}<extra></extra>",
                customdata=members[["region", "value"]].to_numpy(),
                marker={"color": POSITION_COLOURS[position], "size": 10,
                        "symbol": POSITION_SYMBOLS[position] + ("-open" if hollow else ""),
                        "line": {"color": POSITION_COLOURS[position] if hollow else "#333",
                                 "width": 1.6 if hollow else 0.8}}))
    fig.update_layout(
        height=FUNNEL_HEIGHT, margin={"l": 0, "r": 10, "t": 20, "b": 0}, separators=number_separators(lang),
        xaxis={"title": denominator_label, "type": "log", "range": list(x_range), **log_ticks(x_range, lang)},
        yaxis={"title": f"{indicator.label(lang)} ({indicator.unit_label(lang)})", "range": list(y_range)},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig
