"""Quarterly report for partners: one self-contained HTML file (inline CSS and SVG, no network) that prints
cleanly, and the same table as Excel."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

import pandas as pd

from core.exports import to_excel_bytes
from core.i18n import N_, format_date, format_number, translate
from core.periods import period_end
from kpi.framework import PILLARS, Kpi
from kpi.status import Thresholds, rollup, scorecard, series_to_count

RAG_COLOURS = {"green": "#1a7f37", "amber": "#b35900", "red": "#c0392b", "no data": "#777777",
               "not published": "#777777"}
CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:2rem;max-width:60rem}
h1{font-size:1.5rem;margin:0 0 .2rem}h2{font-size:1.15rem;margin:1.6rem 0 .4rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{border-bottom:1px solid #ddd;padding:.3rem .4rem;
text-align:left;vertical-align:middle}th{background:#f3f3f3}td.n{text-align:right;white-space:nowrap}
.note{background:#fff4e0;border-left:4px solid #b35900;padding:.5rem .8rem;margin:.8rem 0;font-size:.85rem}
.rag{font-weight:600}.muted{color:#666;font-size:.8rem}
@media print{body{margin:1cm;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}.note{border:1px solid #b35900}}
@page{size:A4 landscape;margin:1cm}
"""


def _svg_chart(kpi: Kpi, counted: pd.DataFrame, width: int = 220, height: int = 60, lang: str = "en") -> str:
    """A small inline SVG: straight path baseline → target (dashed) and the counted actuals (line and dots)."""
    t0, t1 = kpi.baseline_date.toordinal(), kpi.target_date.toordinal()
    counted = counted[counted["value"].notna()]  # a suppressed value is not drawn
    values = [kpi.baseline_value, kpi.target_value, *counted["value"].tolist()]
    lo, hi = min(values), max(values)
    hi = hi if hi > lo else lo + 1

    def xy(day: int, value: float) -> str:
        x = 4 + (day - t0) / (t1 - t0) * (width - 8)
        y = height - 4 - (value - lo) / (hi - lo) * (height - 8)
        return f"{x:.1f},{y:.1f}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(kpi.name(lang))}">',
             f'<polyline points="{xy(t0, kpi.baseline_value)} {xy(t1, kpi.target_value)}" fill="none" '
             'stroke="#999" stroke-dasharray="4 3"/>']
    points = [xy(d.toordinal(), v) for d, v in zip(counted["date"], counted["value"], strict=True)]
    if points:
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#1f5fa8" stroke-width="2"/>')
        parts += [f'<circle cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="2.5" fill="#1f5fa8"/>' for p in points]
    parts.append("</svg>")
    return "".join(parts)


def report_table(kpis: list[Kpi], actuals_by_kpi: dict[str, pd.DataFrame], quarter: str,
                 thresholds: Thresholds | None = None, lang: str = "en") -> pd.DataFrame:
    """The scorecard as of the end of ``quarter`` (actuals after it are ignored)."""
    return scorecard(kpis, actuals_by_kpi, as_of=quarter, today=period_end(quarter),
                     thresholds=thresholds or Thresholds(), lang=lang)


HEADERS = (N_("KPI"), N_("Baseline"), N_("Actual"), N_("Quarter"), N_("Expected"), N_("Target"), N_("Status"),
           N_("Projection"), N_("Trend"))
SUMMARY_HEADERS = (N_("Pillar"), N_("KPIs"), N_("Green"), N_("Amber"), N_("Red"), N_("No data"), N_("Not published"),
                   N_("On track"), N_("Status"))
STATUS_WORDS = {"green": N_("green"), "amber": N_("amber"), "red": N_("red"), "no data": N_("no data"),
                "on track": N_("on track"), "at risk": N_("at risk"), "off track": N_("off track"),
                "not published": N_("not published")}


def quarterly_report_html(kpis: list[Kpi], actuals_by_kpi: dict[str, pd.DataFrame], quarter: str,
                          thresholds: Thresholds | None = None, lang: str = "en", public: bool = False) -> str:
    """The report as one HTML document; texts in ``lang`` (English source text is the message id)."""
    def t(msgid: str, **values: object) -> str:
        return escape(translate(msgid, lang, **values))

    card = report_table(kpis, actuals_by_kpi, quarter, thresholds, lang)
    roll = rollup(card)
    by_id = {k.id: k for k in kpis}
    title = t("Partnership KPIs: quarterly report {quarter}", quarter=quarter)
    now = datetime.now()
    as_of = t("Status as of {date}; generated {now}.", date=format_date(period_end(quarter), lang),
              now=f"{format_date(now, lang)} {now:%H:%M}")
    scope = t("Published quarters only.") if public else t("Includes draft (unpublished) quarters.")
    out = ["<!DOCTYPE html>", f'<html lang="{lang}"><head><meta charset="utf-8">', f"<title>{title}</title>",
           f"<style>{CSS}</style></head><body>", f"<h1>{title}</h1>", f'<p class="muted">{as_of} {scope}</p>']
    if card["illustrative"].any():
        note = t("Illustrative: this report contains invented example KPIs or values, not agreed targets or real "
                 "results.")
        out.append(f'<p class="note">{note}</p>')
    out.append("<h2>" + t("Summary by pillar") + "</h2><table><tr>"
               + "".join(f"<th>{t(h)}</th>" for h in SUMMARY_HEADERS) + "</tr>")
    for _idx, r in roll.iterrows():
        name = t(PILLARS[r["pillar"]]) if r["pillar"] in PILLARS else t("Overall")
        cells = [r["kpis"], r["green"], r["amber"], r["red"], r["no data"], r["not published"], r["on track"]]
        out.append(f"<tr><td>{name}</td>" + "".join(f"<td class=n>{c}</td>" for c in cells)
                   + f"<td class=rag style='color:{RAG_COLOURS[r['rag']]}'>{t(STATUS_WORDS[r['rag']])}</td></tr>")
    out.append("</table>")
    lower, higher = t("lower is better"), t("higher is better")
    for pillar, rows in card.groupby("pillar", sort=False):
        out.append(f"<h2>{t(PILLARS[pillar])}</h2><table><tr>" + "".join(f"<th>{t(h)}</th>" for h in HEADERS)
                   + "</tr>")
        for _idx, r in rows.iterrows():
            kpi = by_id[r["kpi_id"]]
            counted = series_to_count(kpi, actuals_by_kpi.get(kpi.id, pd.DataFrame(columns=["quarter", "value"])),
                                      up_to=quarter)

            def num(value: object, decimals: int = 0 if kpi.unit == "count" else 1) -> str:
                return "—" if value is None or pd.isna(value) else format_number(float(value), lang, decimals)
            quarter_shown = r["latest_quarter"] if isinstance(r["latest_quarter"], str) else "—"
            projection = t(STATUS_WORDS[r["projection"]]) + (
                f" ({num(r['projected'])})" if pd.notna(r["projected"]) else "")
            out.append(
                f"<tr><td>{escape(r['kpi'])}<br><span class=muted>{escape(r['unit'])} · "
                f"{lower if kpi.lower_is_better else higher}</span></td>"
                f"<td class=n>{num(r['baseline'])}</td><td class=n>{num(r['latest_actual'])}</td>"
                f"<td>{escape(quarter_shown)}</td><td class=n>{num(r['expected'])}</td>"
                f"<td class=n>{num(r['target'])}<br><span class=muted>{format_date(r['target_date'], lang)}</span></td>"
                f"<td class=rag style='color:{RAG_COLOURS[r['rag']]}'>{t(STATUS_WORDS[r['rag']])}</td>"
                f"<td>{projection}</td><td>{_svg_chart(kpi, counted, lang=lang)}</td></tr>")
        out.append("</table>")
    legend = t("Dashed line: straight path from baseline to target. Blue: actuals (running total for cumulative "
               "KPIs). Status compares the latest actual with the straight path; projection extends the "
               "least-squares trend of the actuals to the target date.")
    out.append(f'<p class="muted">{legend}</p></body></html>')
    return "\n".join(out)


# Columns of the Excel report in Russian and Kazakh (English keeps the field ids, which scripts read).
EXCEL_COLUMNS = {
    "pillar": N_("Pillar"), "kpi_id": N_("KPI code"), "kpi": N_("KPI"), "unit": N_("Unit"),
    "direction": N_("Better when"), "aggregation": N_("Aggregation"), "baseline": N_("Baseline"),
    "baseline_date": N_("Baseline date"), "latest_quarter": N_("Quarter"), "latest_actual": N_("Actual"),
    "expected": N_("Expected"), "target": N_("Target"), "target_date": N_("Target date"), "rag": N_("Status"),
    "progress_ratio": N_("Progress (share of the path)"), "projected": N_("Projected"), "projection": N_("Projection"),
    "illustrative": N_("Illustrative"),
    "suppressed": N_("Not published"),
}
CODE_WORDS = {**STATUS_WORDS, "higher_is_better": N_("higher is better"), "lower_is_better": N_("lower is better"),
              "cumulative": N_("cumulative"), "snapshot": N_("snapshot")}


def quarterly_report_excel(kpis: list[Kpi], actuals_by_kpi: dict[str, pd.DataFrame], quarter: str,
                           thresholds: Thresholds | None = None, lang: str = "en", public: bool = False) -> bytes:
    """The report's table as a workbook (sheet ``data``) with what it is on a second sheet, in ``lang``."""
    def t(msgid: str, **values: object) -> str:
        return translate(msgid, lang, **values)

    card = report_table(kpis, actuals_by_kpi, quarter, thresholds, lang).drop(columns=["trend"])
    card["pillar"] = card["pillar"].map(lambda p: t(PILLARS[p]) if p in PILLARS else p)
    illustrative = bool(card["illustrative"].any())
    metadata = {
        t("Report"): t("Partnership KPIs: quarterly report {quarter}", quarter=quarter),
        t("Status as of"): format_date(period_end(quarter), lang), t("Generated"): format_date(date.today(), lang),
        t("Scope"): t("Published quarters only.") if public else t("Includes draft (unpublished) quarters."),
        t("Illustrative"): t("Illustrative: this report contains invented example KPIs or values, not agreed targets "
                             "or real results.") if illustrative else t("no"),
        t("Thresholds"): str(thresholds or Thresholds()),
    }
    # A file for people: readable words and column names in every language (the KPI code stays as a column).
    for column in ("rag", "projection", "direction", "aggregation"):
        card[column] = card[column].map(lambda v: t(CODE_WORDS[v]) if v in CODE_WORDS else v)
    card = card.rename(columns={c: t(label) for c, label in EXCEL_COLUMNS.items()})
    names = (t("data"), t("about"), t("field"), t("value"))
    return to_excel_bytes(card, metadata, names)
