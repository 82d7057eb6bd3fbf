"""What ``/view/map`` and ``/view/indicator/{id}`` show, read from the read model through the embed's map build
(``server.embed.routes.map_parts``): the same figure, the same numbers as a table, the ranking and the national
trend."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup

import readmodel
from analytics.benchmark import benchmark_regions, verdict_label
from analytics.ranking import rank_regions
from catalogue import Indicator
from core.i18n import translate
from core.periods import sort_key
from core.provenance_text import localize_columns
from geo import NATIONAL_CODE, REGION_CODES, region_name
from geo.svg_map import outline_map
from server.context import ReadContext
from server.embed.routes import EMBED_TEXTS, map_parts
from server.views import texts
from server.views.common import Cell, SourceItem, as_of, cell, flag, notices, sources
from server.views.svg import trend_chart

NO_DATA_FILL = "#e4e7eb"  # a region the figure draws in no class (no value, another boundary)


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    value: Cell
    rank: str
    colour: str  # its class's colour on the map ("" where not drawn)
    verdict: str = ""
    note: str = ""


@dataclass(frozen=True)
class MapShape:
    """One region on the server-drawn map: its outline, its class's colour and what its link says."""
    code: str
    path: str
    colour: str
    label: str  # "Almaty: 73.2" (the value as the table shows it)


@dataclass(frozen=True)
class ServerMap:
    width: int
    height: int
    shapes: list[MapShape]


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str


@dataclass
class MapModel:
    indicator: Indicator
    period: str
    unit: str
    rows: list[RegionRow]
    national: Cell
    legend: list[LegendItem]
    legend_title: str
    summary: str
    as_of: str
    sources: list[SourceItem]
    notices: dict[str, str]
    drawn: ServerMap | None = None
    extra: dict[str, object] = field(default_factory=dict)


def _ranks(frame: pd.DataFrame, polarity: str) -> dict[str, str]:
    values = pd.to_numeric(frame.set_index("region")["value"], errors="coerce")
    ranks = rank_regions(values.dropna(), polarity)
    total = int(values.notna().sum())
    return {code: f"{int(rank)}\u00a0/\u00a0{total}" for code, rank in ranks.items() if pd.notna(rank)}


def _colours(fig: go.Figure) -> tuple[dict[str, str], list[LegendItem]]:
    """Each region's class colour and the legend, read off the figure's traces (one trace per class)."""
    colours: dict[str, str] = {}
    legend = []
    for trace in fig.data:
        colour = str(trace.colorscale[0][1])
        legend.append(LegendItem(str(trace.name), colour))
        colours |= {str(code): colour for code in trace.locations}
    return colours, legend


def summary(frame: pd.DataFrame, national: Cell, decimals: int, lang: str) -> str:
    """The chart's one-sentence text alternative: the highest and lowest region and the national value."""
    shown = frame[pd.to_numeric(frame["value"], errors="coerce").notna()]
    if shown.empty:
        return translate(texts.NO_SUMMARY, lang)
    high, low = shown.loc[shown["value"].idxmax()], shown.loc[shown["value"].idxmin()]
    return translate(texts.MAP_SUMMARY, lang, high_region=high["name"], low_region=low["name"],
                     high=cell(high["value"], decimals, lang).text, low=cell(low["value"], decimals, lang).text,
                     national=national.text)


def _national(obs: pd.DataFrame, decimals: int, lang: str) -> Cell:
    row = obs[obs["region"] == NATIONAL_CODE]
    if row.empty:
        return cell(None, decimals, lang)
    first = row.iloc[0]
    return cell(first["value"], decimals, lang, flag(first.get("synthetic")), flag(first.get("suppressed")))


def _rows(frame: pd.DataFrame, indicator: Indicator, lang: str, colours: dict[str, str],
          verdicts: dict[str, str]) -> list[RegionRow]:
    ranks = _ranks(frame, indicator.polarity)
    rows = []
    for _unused, row in frame.iterrows():
        note = row.get("boundary_note")
        rows.append(RegionRow(
            code=row["region"], name=str(row["name"]), rank=ranks.get(row["region"], "–"),
            value=cell(row["value"], indicator.decimals, lang, flag(row.get("synthetic")), flag(row.get("suppressed"))),
            colour=colours.get(row["region"], ""), verdict=verdicts.get(row["region"], ""),
            note=note if isinstance(note, str) else ""))
    order = {code: n for n, code in enumerate(sorted(ranks, key=lambda c: int(ranks[c].split("\u00a0")[0])))}
    return sorted(rows, key=lambda r: (order.get(r.code, len(order)), r.name))


def _label(row: RegionRow, lang: str) -> str:
    value = row.value.text + (f" ({translate(texts.ILLUSTRATIVE_CELL, lang)})" if row.value.illustrative else "")
    return f"{row.name}: {value}"


def server_map(rows: list[RegionRow], no_data_colour: str, lang: str) -> ServerMap:
    """The regions drawn in their classes' colours (the interactive map's figure gives the colours), each with
    the label of its link: the region and its value as the table shows it, illustrative said so."""
    outlines = outline_map()
    by_code = {row.code: row for row in rows}
    shapes = [MapShape(o.code, o.path, by_code[o.code].colour or no_data_colour, _label(by_code[o.code], lang))
              for o in outlines.regions if o.code in by_code]
    return ServerMap(outlines.width, outlines.height, shapes)


def map_model(ctx: ReadContext, indicator_id: str, period: str, lang: str) -> MapModel:
    """The map view: the embed's figure gives the classes and colours, drawn here as server-side SVG (no script:
    a phone paints it at once) with the same numbers as a table; the interactive map is the embed, one link away."""
    indicator = ctx.catalogue[indicator_id]
    obs, frame, fig = map_parts(ctx, indicator_id, period, lang)
    colours, legend = _colours(fig)
    title = " ".join(str(fig.layout.legend.title.text or "").split("<br>"))
    national = _national(obs, indicator.decimals, lang)
    min_count = ctx.policy.min_count if ctx.policy.public else None
    rows = _rows(frame, indicator, lang, colours, {})
    return MapModel(
        indicator=indicator, period=period, unit=indicator.unit_label(lang),
        rows=rows, national=national, legend=legend, legend_title=title,
        summary=summary(frame, national, indicator.decimals, lang), as_of=as_of(obs, lang),
        sources=sources(obs, lang), notices=notices(obs, frame, lang, min_count),
        drawn=server_map(rows, NO_DATA_FILL, lang))


def indicator_periods(ctx: ReadContext, indicator: Indicator) -> list[str]:
    return readmodel.periods(ctx.engine, indicator.id, regional_only=indicator.is_regional)


def _verdicts(same: pd.DataFrame, indicator: Indicator, ctx: ReadContext, lang: str) -> dict[str, str]:
    if same.empty or same.loc[same["region"] == NATIONAL_CODE, "value"].notna().sum() == 0:
        return {}
    stats = ctx.settings.section("statistics")
    compared = benchmark_regions(same, indicator.value_type, indicator.multiplier, indicator.polarity,
                                 rate_method=str(stats.get("rate_method", "byar")), census=indicator.census)
    return {row["region"]: translate(verdict_label(row["category"], bool(row["illustrative"])), lang)
            for _unused, row in compared.iterrows() if row["region"] != NATIONAL_CODE and pd.notna(row["value"])}


def indicator_model(ctx: ReadContext, indicator_id: str, period: str, lang: str) -> MapModel:
    """The regions ranked for ``period`` (with the comparison with Kazakhstan) and the national series."""
    indicator = ctx.catalogue[indicator_id]
    obs = localize_columns(readmodel.observations(ctx.engine, ctx.policy, indicator.id), lang, EMBED_TEXTS)
    same = obs[obs["period"] == period]
    names = {code: region_name(code, lang) for code in REGION_CODES}
    frame = pd.DataFrame({"region": list(names), "name": list(names.values())}).merge(
        same[same["region"] != NATIONAL_CODE], on="region", how="left") if indicator.is_regional else \
        pd.DataFrame(columns=["region", "name", "value"])
    national = _national(same, indicator.decimals, lang)
    rows = _rows(frame, indicator, lang, {}, _verdicts(same, indicator, ctx, lang)) if len(frame) else []
    series = obs[obs["region"] == NATIONAL_CODE].copy()
    series = series.assign(_k=series["period"].map(sort_key)).sort_values("_k")
    trend = [(str(r["period"]), cell(r["value"], indicator.decimals, lang, flag(r.get("synthetic")),
                                     flag(r.get("suppressed"))), r["value"]) for _unused, r in series.iterrows()]
    min_count = ctx.policy.min_count if ctx.policy.public else None
    shown = pd.concat([same, series])
    model = MapModel(indicator=indicator, period=period, unit=indicator.unit_label(lang), rows=rows,
                     national=national, legend=[], legend_title="",
                     summary=summary(frame, national, indicator.decimals, lang) if len(frame) else "",
                     as_of=as_of(obs, lang), sources=sources(shown, lang),
                     notices=notices(shown, pd.concat([frame, series]), lang, min_count))
    model.extra = {"trend": trend, "trend_svg": _trend_svg(trend, indicator, lang)}
    return model


def _trend_svg(trend: list[tuple[str, Cell, object]], indicator: Indicator, lang: str) -> Markup:
    shown = [(p, c, float(v)) for p, c, v in trend if not c.suppressed and v is not None and pd.notna(v)]
    if len(shown) < 2:
        return Markup("")
    high = max(shown, key=lambda x: x[2])
    low = min(shown, key=lambda x: x[2])
    alt = translate(texts.TREND_ALT, lang, indicator=indicator.label(lang), first_period=shown[0][0],
                    last_period=shown[-1][0], high=high[1].text, high_period=high[0], low=low[1].text,
                    low_period=low[0], last=shown[-1][1].text)
    values = [None if c.suppressed or v is None or pd.isna(v) else float(v) for _p, c, v in trend]
    return trend_chart(values, [p for p, _c, _v in trend], [c.text for _p, c, _v in trend], alt)
