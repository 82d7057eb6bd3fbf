"""Chart images for articles: a figure with its title, period, source line, licence, the illustrative badge where
it applies and the Densaulyq credit drawn into it, as PNG (1200 px wide) or SVG.

What an image says about its numbers comes from the data (:func:`image_meta` reads the rows behind the chart: their
sources, licences and illustrative flag), never from a page. Rendering is ``charts.render`` (Kaleido with the
Debian Chromium, offline).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from charts.printable import printable, real_colours
from core.i18n import N_, format_date
from core.periods import sort_key

Translate = Callable[..., str]

LAYOUT_WIDTH = 800  # layout pixels: the text keeps its on-screen size relative to the chart
IMAGE_SCALE = 1.5  # PNG pixels per layout pixel: 1200 px wide, legible in a printed column
PNG_WIDTH = int(LAYOUT_WIDTH * IMAGE_SCALE)
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"  # Cyrillic and the Kazakh letters (ә, ғ, қ, ң, ө, ұ, ү, і)
FOOTER_CHARS = 118  # one footer line at 11 px across 800 layout pixels
LINE_PX = 15
TICK_CHAR_PX = 7.2  # a tick label character at 12 px
LEGEND_ROW_PX = 26
BADGE_COLOUR = "#b45309"

CREDIT = N_("Chart: Densaulyq, {date}")
BADGE = N_("ILLUSTRATIVE DATA: not official statistics")
NO_LICENCE = N_("not stated")


@dataclass(frozen=True)
class ImageMeta:
    """What the image says about its numbers. ``sources``: one line per source ("title (as of date)")."""

    title: str
    period: str
    sources: tuple[str, ...]
    licences: tuple[str, ...]
    illustrative: bool
    notes: tuple[str, ...] = field(default=())


def _flag(rows: pd.DataFrame, columns: str | tuple[str, ...]) -> bool:
    """Whether any row is flagged illustrative in any of ``columns`` (those present)."""
    names = (columns,) if isinstance(columns, str) else columns
    return any(bool(rows[c].astype("boolean").fillna(False).astype(bool).any()) for c in names if c in rows)


def image_meta(title: str, period: str, rows: pd.DataFrame, flag_column: str | tuple[str, ...] = "synthetic",
               source_rows: pd.DataFrame | None = None, lang: str = "en",
               extra_illustrative: bool = False) -> ImageMeta:
    """The image's metadata from the rows behind the chart: ``flag_column`` (``synthetic`` for observations,
    ``illustrative`` for derived rows, where illustrative is contagious) says whether the badge is drawn; the
    sources and licences come from ``source_rows`` (default ``rows``: ``source_title``, ``source_as_of``,
    ``source_licence``). ``extra_illustrative``: a flag the data carries elsewhere (a KPI's own)."""
    src = rows if source_rows is None else source_rows
    sources: list[str] = []
    licences: list[str] = []
    if "source_title" in src:
        # the first row of each source (plain lists: a chart's rows are few, pandas' per-call cost is not)
        key = "source_id" if "source_id" in src else "source_title"
        blank = [None] * len(src)
        seen: set[object] = set()
        for title_text, source_key, as_of, licence in zip(
                src["source_title"].tolist(), src[key].tolist(),
                src["source_as_of"].tolist() if "source_as_of" in src else blank,
                src["source_licence"].tolist() if "source_licence" in src else blank, strict=True):
            source_key = None if pd.isna(source_key) else source_key
            if pd.isna(title_text) or source_key in seen:
                continue
            seen.add(source_key)
            when = format_date(pd.to_datetime(as_of), lang) if as_of is not None and pd.notna(as_of) else None
            sources.append(f"{title_text} ({when})" if when else str(title_text))
            if isinstance(licence, str) and licence and licence not in licences:
                licences.append(licence)
    return ImageMeta(title=title, period=period, sources=tuple(sources), licences=tuple(licences),
                     illustrative=_flag(rows, flag_column) or extra_illustrative)


def period_span(periods: pd.Series | list[str]) -> str:
    """The periods a chart spans: ``2022`` or ``2015–2024`` (in the order periods sort)."""
    ordered = sorted({str(p) for p in periods if isinstance(p, str) and p}, key=sort_key)
    if not ordered:
        return "—"
    return ordered[0] if len(ordered) == 1 else f"{ordered[0]}–{ordered[-1]}"


def _wrap(text: str, width: int = FOOTER_CHARS) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]


def _escape(text: str) -> str:
    """Plotly reads ``<``/``>`` in text as markup: a source title is text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def footer_lines(meta: ImageMeta, t: Translate, lang: str, today: date | None = None) -> list[str]:
    """The source line(s), the licence and the credit, wrapped to the image's width."""
    lines: list[str] = []
    lines += _wrap(t("Source") + ": " + ("; ".join(meta.sources) if meta.sources else "—"))
    lines += _wrap(t("Licence") + ": " + ("; ".join(meta.licences) if meta.licences else t(NO_LICENCE)))
    for note in meta.notes:
        lines += _wrap(note)
    lines.append(t(CREDIT, date=format_date(today or date.today(), lang)))
    return lines


def _print_margins(fig: go.Figure) -> tuple[int, int, int, int]:
    """(left, right, top, bottom) layout pixels around the plot area, fixed for print. Plotly grows margins to fit
    tick labels, axis titles and outside legends only at drawing time (``automargin``); the header and footer are
    placed from the plot area, so the margins are set here at least as wide as that growth would make them."""
    margin = fig.layout.margin
    left, right = int(margin.l or 0), int(margin.r or 0)
    top, bottom = int(margin.t or 0), int(margin.b or 0)
    cartesian = any(trace.type not in ("choropleth", "choroplethmap") for trace in fig.data)
    if not cartesian:
        return max(left, 10), max(right, 10), top, bottom
    labels = [str(v) for trace in fig.data if getattr(trace, "y", None) is not None for v in trace.y
              if isinstance(v, str)]
    tick_px = int(max((len(label) for label in labels), default=6) * TICK_CHAR_PX) + 16
    layout = fig.layout
    y_title = 24 if layout.yaxis and layout.yaxis.title and layout.yaxis.title.text else 0
    x_title = 26 if layout.xaxis and layout.xaxis.title and layout.xaxis.title.text else 0
    left, right = max(left, tick_px + y_title), max(right, 20)
    return left, right, max(top, 10), max(bottom, 30 + x_title + _legend_below(fig, LAYOUT_WIDTH - 20))


def _legend_below(fig: go.Figure, width: int) -> int:
    """Layout pixels a horizontal legend under the plot takes (from the plot's bottom edge): its offset and its
    rows, the entries packed as Plotly packs them (symbol, gap, text)."""
    legend = fig.layout.legend
    if not legend or legend.orientation != "h" or legend.y is None or legend.y >= 0:
        return 0
    names = [str(trace.name) for trace in fig.data if trace.showlegend is not False and trace.name]
    rows, used = 1, 0.0
    for name in dict.fromkeys(names):  # one entry per name (a legend group shows once)
        entry = 50 + len(name) * TICK_CHAR_PX
        if used and used + entry > width:
            rows, used = rows + 1, 0.0
        used += entry
    plot_height = int(fig.layout.height or 450)
    return int(-legend.y * plot_height) + rows * LEGEND_ROW_PX + 10


def with_caption(fig: go.Figure, meta: ImageMeta, t: Translate, lang: str, today: date | None = None) -> go.Figure:
    """A copy of ``fig`` for print: title and period above, the badge under them when illustrative, the source,
    licence and credit below, at the image's width; the plot area keeps its own height."""
    out = printable(real_colours(fig))
    layout = out.layout
    plot_height = int(layout.height or 450)
    left, right, top, bottom = _print_margins(out)
    grown = (top - int(layout.margin.t or 0)) + (bottom - int(layout.margin.b or 0))  # the plot keeps its height
    x0 = -(left - 12) / (LAYOUT_WIDTH - left - right)  # the image's left edge (+12 px), in plot-area fractions
    header = 78 + (28 if meta.illustrative else 0)
    footer = [_escape(line) for line in footer_lines(meta, t, lang, today)]
    footer_px = 16 + LINE_PX * len(footer)
    common = {"xref": "paper", "yref": "paper", "x": x0, "xanchor": "left", "showarrow": False, "align": "left"}
    annotations = list(layout.annotations or [])
    annotations.append({**common, "text": f"<b>{_escape(meta.title)}</b>", "y": 1, "yshift": top + header - 8,
                        "yanchor": "top", "font": {"size": 19, "color": "#111111"}})
    annotations.append({**common, "text": t("Period") + ": " + _escape(meta.period), "y": 1,
                        "yshift": top + header - 40, "yanchor": "top", "font": {"size": 13, "color": "#333333"}})
    if meta.illustrative:
        annotations.append({**common, "text": f"<b>{t(BADGE)}</b>", "y": 1, "yshift": top + header - 66,
                            "yanchor": "top", "font": {"size": 12, "color": "#ffffff"}, "bgcolor": BADGE_COLOUR,
                            "borderpad": 4})
    annotations.append({**common, "text": "<br>".join(footer), "y": 0, "yshift": -(bottom + 6), "yanchor": "top",
                        "font": {"size": 11, "color": "#333333"}})
    title = layout.title.text if layout.title and layout.title.text else None
    out.update_layout(
        width=LAYOUT_WIDTH, height=plot_height + grown + header + footer_px, annotations=annotations,
        margin={"t": top + header + (24 if title else 0), "b": bottom + footer_px, "l": left, "r": right},
        font={"family": FONT}, paper_bgcolor="#ffffff",
        template="plotly_white",  # outside Streamlit no theme colours the lines (as in server/embed)
        title={"y": None, "yref": "container", "yanchor": "top", "pad": {"t": header}} if title else None,
    )
    return out


def file_name(*parts: str) -> str:
    """``densaulyq_<parts>``: letters, digits, ``-`` and ``_`` only (an indicator id, a period, a region code)."""
    safe = ["".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in str(p)) for p in parts if p]
    return "_".join(["densaulyq", *safe])
