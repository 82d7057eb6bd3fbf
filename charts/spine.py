"""Fingertips-style spine chart: one row per indicator, the region's marker against the spread of all regions.

Each row is scaled so that the national value sits in the middle and the region furthest from it touches an
end; the axis is flipped where lower is better, so better is always to the right (higher, for indicators with no
better direction). Light grey: the range of the regions; dark grey: their 25th–75th percentile; the line: the
national value; the marker: the region, coloured by its comparison with the national value. A comparison on
illustrative inputs is drawn in muted colours and reads "Illustrative — demonstrates the method".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics.benchmark import CATEGORY_COLOURS, CATEGORY_LABELS, ILLUSTRATIVE_VERDICT, MUTED_COLOURS, verdict_label
from catalogue import Catalogue
from core.i18n import format_number, number_separators

Translate = Callable[..., str]
RANGE_COLOUR, IQR_COLOUR, NATIONAL_COLOUR = "#e0e0e0", "#9e9e9e", "#222222"


def _scaled(values: np.ndarray, national: float, half_span: float, flip: bool) -> np.ndarray:
    x = (values - national) / (2 * half_span) if half_span > 0 else np.zeros_like(values)
    return 0.5 + (-x if flip else x)


def spine_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Positions (0–1) of range, quartiles and the region marker for each spine row with a national value."""
    out = rows[rows["national"].notna()].copy()
    records = []
    for _idx, r in out.iterrows():
        national = float(r["national"])
        half = max(abs(r["min"] - national), abs(r["max"] - national), abs(r["value"] - national))
        flip = r["polarity"] == "lower_is_better"
        lo, q25, q75, hi, v = _scaled(np.array([r["min"], r["q25"], r["q75"], r["max"], r["value"]], dtype=float),
                                      national, half, flip)
        records.append({"x_start": min(lo, hi), "x_end": max(lo, hi), "x_q_start": min(q25, q75),
                        "x_q_end": max(q25, q75), "x_value": v})
    return pd.concat([out.reset_index(drop=True), pd.DataFrame(records)], axis=1) if records else out


def spine_chart(rows: pd.DataFrame, catalogue: Catalogue, lang: str, t: Translate) -> go.Figure:
    frame = spine_frame(rows)
    fig = go.Figure()
    if frame.empty:
        return fig
    labels = [f"{catalogue[i].label(lang)} ({p})" for i, p in zip(frame["indicator_id"], frame["period"],
                                                                    strict=True)]
    fig.add_trace(go.Bar(y=labels, x=frame["x_end"] - frame["x_start"], base=frame["x_start"], orientation="h",
                         marker_color=RANGE_COLOUR, name=t("Range of the regions"), hoverinfo="skip", width=0.6))
    fig.add_trace(go.Bar(y=labels, x=frame["x_q_end"] - frame["x_q_start"], base=frame["x_q_start"],
                         orientation="h", marker_color=IQR_COLOUR, name=t("25th–75th percentile"),
                         hoverinfo="skip", width=0.6))
    hover = []
    for _idx, r in frame.iterrows():
        ind = catalogue[r["indicator_id"]]
        d = ind.decimals
        interval, no_interval = t("Interval"), t("No interval: no counts or published interval")
        verdict_illustrative = bool(r.get("verdict_illustrative", False))
        kazakhstan, regions = t("Kazakhstan"), t("Regions")
        judgement = t(verdict_label(r["category"], verdict_illustrative))
        if verdict_illustrative and r["category"] != "not_compared":
            judgement += f" ({t(CATEGORY_LABELS[r['category']])})"
        if bool(r.get("illustrative", False)):
            judgement += "<br><i>⚠ " + t("Includes illustrative values, not official statistics") + "</i>"
        def num(value: float, d: int = d) -> str:
            return format_number(value, lang, d)
        ci = f"<br>{interval}: {num(r['lower'])}–{num(r['upper'])}" if pd.notna(r["lower"]) else f"<br>{no_interval}"
        hover.append(f"<b>{ind.label(lang)}</b> ({r['period']})<br>{num(r['value'])} {ind.unit_label(lang)}{ci}"
                     f"<br>{kazakhstan}: {num(r['national'])}<br>{regions}: {num(r['min'])} – "
                     f"{num(r['max'])}<br>{judgement}")
    muted = (frame["verdict_illustrative"].astype(bool) & (frame["category"] != "not_compared")
             if "verdict_illustrative" in frame else pd.Series(False, index=frame.index))
    # Every marker style has its legend entry: an illustrative verdict keeps its category in muted colour and says
    # which ("Illustrative — demonstrates the method (Worse)"), so each of the muted styles is explained.
    for illustrative in (False, True):
        for category in CATEGORY_LABELS:
            members = (frame["category"] == category) & (muted == illustrative)
            if not members.any():
                continue
            colour = (MUTED_COLOURS if illustrative else CATEGORY_COLOURS)[category]
            fig.add_trace(go.Scatter(
                y=[lab for lab, m in zip(labels, members, strict=True) if m], x=frame.loc[members, "x_value"],
                mode="markers", name=f"{t(ILLUSTRATIVE_VERDICT)} ({t(CATEGORY_LABELS[category])})" if illustrative
                else t(CATEGORY_LABELS[category]),
                legendgroup=f"illustrative-{category}" if illustrative else category, showlegend=True,
                marker={"color": colour, "size": 13,
                        "line": {"color": "#999" if illustrative else "#333", "width": 1},
                        "symbol": ("circle-dot" if illustrative else "circle") if category != "not_compared"
                        else "diamond"},
                text=[h for h, m in zip(hover, members, strict=True) if m], hovertemplate="%{text}<extra></extra>"))
    fig.add_vline(x=0.5, line_color=NATIONAL_COLOUR, line_width=2)
    fig.update_layout(
        barmode="overlay", separators=number_separators(lang), height=max(260, 34 * len(frame) + 110),
        margin={"l": 0, "r": 10, "t": 30, "b": 30},
        xaxis={"range": [-0.02, 1.02], "showticklabels": True, "tickvals": [0.02, 0.5, 0.98],
               "ticktext": [t("Worse / lower"), t("Kazakhstan"), t("Better / higher")], "showgrid": False},
        yaxis={"autorange": "reversed"}, legend={"orientation": "h", "y": -0.12},
    )
    return fig
