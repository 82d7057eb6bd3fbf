"""The regional choropleth: classed colours, a legend stating breaks and units, provenance in the hover.

Drawn with MapLibre (``choropleth_map``) on a blank style, so it needs no tiles and renders offline.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from analytics.benchmark import CATEGORY_LABELS, ILLUSTRATIVE_VERDICT, verdict_colour, verdict_label
from analytics.classes import NO_DATA_COLOUR, Classes, class_label, classify
from analytics.timeline import classes_for_period, comparable
from catalogue import Indicator
from core.i18n import format_number, format_percent, number_separators
from geo import ATTRIBUTION
from geo.vintages import exists_in

MAP_CENTER = {"lat": 48.2, "lon": 67.3}
MAP_ZOOM = 3.35
MAP_HEIGHT = 560
# The legend under the map, in rows, not over it: in the north-east corner it covered Pavlodar and North Kazakhstan
# (the more so in Russian and Kazakh, whose labels are longer), and no corner of the map is free at every width.
LEGEND_CLEAR_OF_REGIONS = {"orientation": "h", "yanchor": "top", "y": -0.01, "xanchor": "left", "x": 0.0}
LEGEND_ROOM = 110  # px under the map for the legend's title and one or two rows of classes
LEGEND_TITLE_CHARS = 50  # a legend title line fits a 355 px phone embed

Translate = Callable[..., str]


def legend_title(*lines: str | None, width: int = LEGEND_TITLE_CHARS) -> str:
    """The legend's title in lines of at most ``width`` characters: Plotly never wraps a legend title, so a long
    indicator name made the legend wider than a phone's embed (381 px in a 355 px frame)."""
    return "<br>".join("<br>".join(textwrap.wrap(line, width)) for line in lines if line)


def map_frame(obs: pd.DataFrame, region_names: dict[str, str]) -> pd.DataFrame:
    """One row per region (all 20, missing ones with NaN value) from observations of one indicator and period."""
    regional = obs[obs["region"] != "KZ"].set_index("region")
    frame = pd.DataFrame({"region": list(region_names), "name": list(region_names.values())}).set_index("region")
    frame = frame.join(regional, how="left")
    frame["synthetic"] = frame["synthetic"].astype("boolean").fillna(False).astype(bool)
    return frame.reset_index()


def wrap_html(text: str, width: int = 60) -> str:
    """Long hover text broken into lines at word boundaries (all of it shown, none cut off), escaped: a source
    title is text, never a link or markup in the hover label."""
    lines = textwrap.wrap(str(text), width, break_long_words=False, break_on_hyphens=False) or [str(text)]
    return "<br>".join(html.escape(line) for line in lines)


OTHER_BOUNDARIES_COLOUR = "#b0b0b0"  # a value on earlier boundaries: no data on today's map, darker than missing


def _hover_text(row: pd.Series, indicator: Indicator, lang: str, t: Translate) -> str:
    note = row.get("boundary_note")
    if row.get("other_boundaries") and isinstance(note, str):
        return (f"<b>{row['name']}</b><br>" + t("No comparable value: the region's boundaries then differed")
                + "<br>" + wrap_html(note))
    if pd.isna(row["value"]):
        period = row.get("period")
        if isinstance(period, str) and not exists_in(row["region"], period):
            return f"<b>{row['name']}</b><br>" + t("Formed in June 2022: no value for earlier periods")
        return f"<b>{row['name']}</b><br>" + t("No data for this period")
    d = indicator.decimals
    value = f"{format_number(row['value'], lang, d)} {indicator.unit_label(lang)}"
    lines = [f"<b>{row['name']}</b>", value, t("Period") + f": {row['period']}",
             wrap_html(t("Source") + f": {row.get('source_title') or row.get('source_id')}")]
    if row.get("ci_lower") is not None and pd.notna(row.get("ci_lower")):
        ci = t("{level} confidence interval", level=format_percent(0.95, lang))
        lines.insert(2, f"{ci}: {format_number(row['ci_lower'], lang, d)}–{format_number(row['ci_upper'], lang, d)}")
    if row["synthetic"]:
        lines.append("<i>⚠ " + t("Illustrative value, not official statistics") + "</i>")
    elif row.get("derived"):
        lines.append("<i>" + t("Derived from published series") + "</i>")
    return "<br>".join(lines)


def choropleth_figure(frame: pd.DataFrame, geojson: dict, indicator: Indicator, period: str, lang: str,
                      t: Translate, scheme: str = "quantiles", k: int = 5, classes: Classes | None = None,
                      classes_note: str | None = None) -> go.Figure:
    """Choropleth of ``frame`` (from :func:`map_frame`); one trace per class so the legend lists the breaks.

    ``classes``: breaks fixed beforehand (``analytics.timeline``: over all periods of the time slider), with the
    assignment of ``frame``'s rows; ``classes_note`` says so in the legend. Rows with ``other_boundaries`` set (a
    value on boundaries other than today's) are drawn as no data with their boundary note."""
    if classes is None:
        classes = classify(frame["value"], indicator.polarity, scheme, k, illustrative=frame["synthetic"])
    fig = go.Figure()
    unit = indicator.unit_label(lang)
    for i in range(classes.k):
        members = frame[classes.assignment == i]
        label = class_label(classes.bounds, i, indicator.decimals, lang) + f" {unit}" if classes.bounds else ""
        _add_trace(fig, members, geojson, label, classes.colours[i], indicator, lang, t)
    other = frame["other_boundaries"].astype(bool) if "other_boundaries" in frame else \
        pd.Series(False, index=frame.index)
    missing = frame[(classes.assignment == -1) & ~other]
    if not missing.empty:
        _add_trace(fig, missing, geojson, t("No data"), NO_DATA_COLOUR, indicator, lang, t)
    if other.any():
        _add_trace(fig, frame[other], geojson, t("Other boundaries: no comparable value"), OTHER_BOUNDARIES_COLOUR,
                   indicator, lang, t)
    fig.update_layout(
        map={"style": "white-bg", "center": MAP_CENTER, "zoom": MAP_ZOOM},
        height=MAP_HEIGHT + LEGEND_ROOM, margin={"l": 0, "r": 0, "t": 10, "b": LEGEND_ROOM},
        legend={"title": {"text": legend_title(f"{indicator.label(lang)}, {unit}, {period}", classes_note, (
                    "⚠ " + t("Class breaks computed from illustrative values")) if classes.illustrative else None),
                          "side": "top"},
                **LEGEND_CLEAR_OF_REGIONS, "bgcolor": "rgba(255,255,255,0.85)"},
        separators=number_separators(lang),
        annotations=[{"text": t(ATTRIBUTION), "xref": "paper", "yref": "paper", "x": 0.995, "y": 0.005,
                      "xanchor": "right", "yanchor": "bottom", "showarrow": False, "font": {"size": 11},
                      "bgcolor": "rgba(255,255,255,0.8)"}],
    )
    return fig


def fixed_class_choropleth(frame: pd.DataFrame, fixed: Classes, span: str, geojson: dict, indicator: Indicator,
                           period: str, lang: str, t: Translate) -> tuple[go.Figure, pd.DataFrame]:
    """The value map of one period in ``fixed`` classes, computed over every period of the indicator
    (``analytics.timeline.fixed_classes_and_span``): the dashboard's map, the map embed and the map view all draw
    this figure, so a period is coloured alike wherever a reader meets it. A value on boundaries other than today's is
    drawn as no data with its note (its value stays in the table). Returns the figure and ``frame`` with the
    ``other_boundaries`` column."""
    frame = frame.assign(other_boundaries=frame["value"].notna() & ~comparable(frame))
    classes = classes_for_period(fixed, frame["value"].where(~frame["other_boundaries"]))
    note = t("Classes fixed across {span}: a change of colour is a change of value", span=span)
    return choropleth_figure(frame, geojson, indicator, period, lang, t, classes=classes, classes_note=note), frame


def features_of(geojson: dict, codes: pd.Series) -> dict:
    """Only the features a trace colours: one class's regions, so the browser gets each boundary once, not once
    per class (the full GeoJSON in every trace made the map figure ~5× larger and its page ~6× slower)."""
    wanted = set(codes)
    return {"type": "FeatureCollection", "features": [f for f in geojson["features"] if f["id"] in wanted]}


def _add_trace(fig: go.Figure, members: pd.DataFrame, geojson: dict, label: str, colour: str,
               indicator: Indicator, lang: str, t: Translate) -> None:
    fig.add_trace(go.Choroplethmap(
        geojson=features_of(geojson, members["region"]), locations=members["region"], featureidkey="id",
        z=[1] * len(members), colorscale=[[0, colour], [1, colour]], showscale=False,
        marker={"line": {"color": "#ffffff", "width": 0.8}, "opacity": 0.95},
        name=label, showlegend=True, legendgroup=label,
        customdata=members[["region", "value"]].to_numpy(),
        text=[_hover_text(r, indicator, lang, t) for _idx, r in members.iterrows()],
        hovertemplate="%{text}<extra></extra>",
    ))


def benchmark_choropleth(frame: pd.DataFrame, geojson: dict, indicator: Indicator, period: str, lang: str,
                         t: Translate, level: float = 0.95) -> go.Figure:
    """The same 20-region map coloured by comparison with Kazakhstan (``frame`` from :func:`map_frame` plus the
    ``category``, ``lower``, ``upper`` columns of ``analytics.benchmark.benchmark_regions``)."""
    fig = go.Figure()
    muted = frame["verdict_illustrative"].astype(bool) if "verdict_illustrative" in frame else False
    groups = [(c, False) for c in CATEGORY_LABELS] + [(c, True) for c in CATEGORY_LABELS if c != "not_compared"]
    for category, illustrative in groups:
        members = frame[(frame["category"] == category) & (muted == illustrative if category != "not_compared"
                                                            else True)]
        if members.empty:
            continue
        label = verdict_label(category, illustrative)
        colour = verdict_colour(category, illustrative)
        text = []
        for _idx, row in members.iterrows():
            base = _hover_text(row, indicator, lang, t)
            extra = t(label) + (f" ({t(CATEGORY_LABELS[category])})" if illustrative else "")
            if pd.notna(row.get("lower")):
                d = indicator.decimals
                ci = t("{level} confidence interval", level=format_percent(level, lang))
                bounds = f"{format_number(row['lower'], lang, d)}–{format_number(row['upper'], lang, d)}"
                extra = f"{ci}: {bounds}<br>" + extra
            text.append(f"{base}<br>{extra}")
        fig.add_trace(go.Choroplethmap(
            geojson=features_of(geojson, members["region"]), locations=members["region"], featureidkey="id",
            z=[1] * len(members), colorscale=[[0, colour], [1, colour]],
            showscale=False, marker={"line": {"color": "#ffffff", "width": 0.8}, "opacity": 0.95},
            name=(f"{t(ILLUSTRATIVE_VERDICT)}: {t(CATEGORY_LABELS[category])}" if illustrative else t(label)),
            showlegend=True, legendgroup=f"{category}-{illustrative}",
            customdata=members[["region", "value"]].to_numpy(), text=text, hovertemplate="%{text}<extra></extra>",
        ))
    fig.update_layout(
        map={"style": "white-bg", "center": MAP_CENTER, "zoom": MAP_ZOOM},
        height=MAP_HEIGHT + LEGEND_ROOM, margin={"l": 0, "r": 0, "t": 10, "b": LEGEND_ROOM},
        legend={"title": {"text": f"{indicator.label(lang)}, {period}<br>" + t("Compared with Kazakhstan")
                                  + f" ({format_percent(level, lang)})", "side": "top"},
                **LEGEND_CLEAR_OF_REGIONS, "bgcolor": "rgba(255,255,255,0.85)"},
        separators=number_separators(lang),
        annotations=[{"text": t(ATTRIBUTION), "xref": "paper", "yref": "paper", "x": 0.995, "y": 0.005,
                      "xanchor": "right", "yanchor": "bottom", "showarrow": False, "font": {"size": 11},
                      "bgcolor": "rgba(255,255,255,0.8)"}],
    )
    return fig
