"""The heat map as one accessible HTML table: a caption, column and row headers (``scope``), the region names as
links to their profile, and in every cell the value *and* the verdict in words (never colour alone); an
illustrative cell is muted and hatched and says "illustrative"."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

import pandas as pd

from analytics.benchmark import CATEGORY_COLOURS, MUTED_COLOURS
from analytics.heatmap import SHORT_LABELS
from catalogue import Indicator
from core.i18n import N_, format_number
from ui.context import t

NO_VALUE_COLOUR = "#ffffff"
DARK_CELLS = {"better", "higher"}  # white text on these (contrast above 4.5:1); dark text elsewhere
POLARITY_TEXT = {"higher_is_better": N_("higher is better"), "lower_is_better": N_("lower is better"),
                 "none": N_("no better direction")}


def cell_style(category: str, illustrative: bool) -> str:
    if category == "no_value":
        return f"background:{NO_VALUE_COLOUR};color:#555"
    if illustrative and category != "not_compared":
        muted = MUTED_COLOURS[category]
        return (f"background:repeating-linear-gradient(135deg,{muted} 0 6px,#ffffff 6px 9px);"
                "color:#222;font-style:italic")
    colour = CATEGORY_COLOURS[category]
    return f"background:{colour};color:{'#ffffff' if category in DARK_CELLS else '#111111'}"


def cell_text(category: str, illustrative: bool) -> str:
    """The verdict in words, as a screen reader reads it."""
    text = t(SHORT_LABELS[category])
    if illustrative and category not in ("no_value", "not_compared"):
        text += " (" + t("illustrative") + ")"
    return text


def profile_link(region: str, lang: str) -> str:
    """Relative, so it works under any root path; the language travels with it."""
    return "profile?" + urlencode({"region": region, "lang": lang})


def heat_map_html(cells: pd.DataFrame, indicators: list[Indicator], order: list[str], names: dict[str, str],
                  lang: str, caption: str, sorted_by: str | None = None) -> str:
    th = "padding:4px 6px;border:1px solid #ddd;text-align:left;vertical-align:bottom;background:#fafafa"
    td = "padding:3px 6px;border:1px solid #ffffff;text-align:center;min-width:7rem;line-height:1.25"
    head = [f'<th scope="col" style="{th}">{escape(t("Region"))}</th>']
    for ind in indicators:
        period = cells.loc[cells["indicator_id"] == ind.id, "period"].dropna()
        sort_mark = ' aria-sort="descending"' if ind.id == sorted_by else ""
        arrow = " ▼" if ind.id == sorted_by else ""
        head.append(
            f'<th scope="col"{sort_mark} style="{th}">{escape(ind.label(lang))}{arrow}<br>'
            f'<small style="font-weight:normal">{escape(ind.unit_label(lang))}'
            f'{", " + escape(str(period.iloc[0])) if len(period) else ""}; '
            f'{escape(t(POLARITY_TEXT[ind.polarity]))}</small></th>')
    by_key = cells.set_index(["region", "indicator_id"])
    body = []
    for region in order:
        row = [f'<th scope="row" style="{th};vertical-align:middle">'
               f'<a href="{escape(profile_link(region, lang))}" target="_self">{escape(names[region])}</a></th>']
        for ind in indicators:
            cell = by_key.loc[(region, ind.id)] if (region, ind.id) in by_key.index else None
            category = str(cell["category"]) if cell is not None else "no_value"
            illustrative = bool(cell["illustrative"]) if cell is not None else False
            value = "–" if cell is None or pd.isna(cell["value"]) else format_number(
                float(cell["value"]), lang, ind.decimals)
            note = cell["boundary_note"] if cell is not None else None
            title = f' title="{escape(note)}"' if isinstance(note, str) else ""
            row.append(f'<td style="{td};{cell_style(category, illustrative)}"{title}>'
                       f'<strong>{escape(value)}</strong><br>{escape(cell_text(category, illustrative))}</td>')
        body.append("<tr>" + "".join(row) + "</tr>")
    return ('<div class="densaulyq-heatmap" style="overflow-x:auto">'
            '<table style="border-collapse:collapse;font-size:0.875rem;width:100%">'
            f'<caption style="caption-side:top;text-align:left;padding:4px 0">{escape(caption)}</caption>'
            "<thead><tr>" + "".join(head) + "</tr></thead><tbody>" + "".join(body) + "</tbody></table></div>")


def legend_html() -> str:
    """The colours and what they say, hatched = illustrative."""
    items = []
    for category in ("better", "similar", "worse", "higher", "lower", "above", "below", "not_compared"):
        items.append(f'<span style="display:inline-block;margin:2px 10px 2px 0"><span aria-hidden="true" '
                     f'style="display:inline-block;width:14px;height:14px;vertical-align:middle;margin-right:4px;'
                     f'{cell_style(category, False)}"></span>{escape(t(SHORT_LABELS[category]))}</span>')
    hatched = escape(t("Hatched: illustrative, not a finding"))
    items.append(f'<span style="display:inline-block;margin:2px 10px 2px 0"><span aria-hidden="true" '
                 f'style="display:inline-block;width:14px;height:14px;vertical-align:middle;margin-right:4px;'
                 f'{cell_style("better", True)}"></span>{hatched}</span>')
    return '<div style="font-size:0.85rem">' + "".join(items) + "</div>"
