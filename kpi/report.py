"""Quarterly report for partners: one self-contained HTML file (inline CSS and SVG, no network) that prints
cleanly, and the same table as Excel."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

import pandas as pd

from core.exports import to_excel_bytes
from core.i18n import format_number, translate
from core.periods import period_end
from kpi.framework import PILLARS, Kpi
from kpi.status import Thresholds, rollup, scorecard, series_to_count

RAG_COLOURS = {"green": "#1a7f37", "amber": "#b35900", "red": "#c0392b", "no data": "#777777"}
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


def _svg_chart(kpi: Kpi, counted: pd.DataFrame, width: int = 220, height: int = 60) -> str:
    """A small inline SVG: straight path baseline → target (dashed) and the counted actuals (line and dots)."""
    t0, t1 = kpi.baseline_date.toordinal(), kpi.target_date.toordinal()
    values = [kpi.baseline_value, kpi.target_value, *counted["value"].tolist()]
    lo, hi = min(values), max(values)
    hi = hi if hi > lo else lo + 1

    def xy(day: int, value: float) -> str:
        x = 4 + (day - t0) / (t1 - t0) * (width - 8)
        y = height - 4 - (value - lo) / (hi - lo) * (height - 8)
        return f"{x:.1f},{y:.1f}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(kpi.name())}">',
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


def quarterly_report_html(kpis: list[Kpi], actuals_by_kpi: dict[str, pd.DataFrame], quarter: str,
                          thresholds: Thresholds | None = None, lang: str = "en", public: bool = False) -> str:
    def tr(msgid: str, **values: object) -> str:
        return escape(translate(msgid, lang, **values))

    card = report_table(kpis, actuals_by_kpi, quarter, thresholds, lang)
    roll = rollup(card)
    by_id = {k.id: k for k in kpis}
    out = ["<!DOCTYPE html>", f'<html lang="{lang}"><head><meta charset="utf-8">',
           f"<title>{tr('Partnership KPIs: quarterly report {quarter}', quarter=quarter)}</title>",
           f"<style>{CSS}</style></head><body>",
           f"<h1>{tr('Partnership KPIs: quarterly report {quarter}', quarter=quarter)}</h1>",
           f'<p class="muted">{tr("Status as of {date}; generated {now}.", date=period_end(quarter).isoformat(), now=datetime.now().strftime("%Y-%m-%d %H:%M"))} '  # noqa: E501
           f'{tr("Published quarters only.") if public else tr("Includes draft (unpublished) quarters.")}</p>']
    if card["illustrative"].any():
        out.append(f'<p class="note">{tr("Illustrative: this report contains invented example KPIs or values, not agreed targets or real results.")}</p>')  # noqa: E501
    out.append(f"<h2>{tr('Summary by pillar')}</h2><table><tr><th>{tr('Pillar')}</th><th>{tr('KPIs')}</th>"
               f"<th>{tr('Green')}</th><th>{tr('Amber')}</th><th>{tr('Red')}</th><th>{tr('No data')}</th>"
               f"<th>{tr('On track')}</th><th>{tr('Status')}</th></tr>")
    for _, r in roll.iterrows():
        name = tr(PILLARS.get(r["pillar"], "Overall"))
        out.append(f"<tr><td>{name}</td><td class=n>{r['kpis']}</td><td class=n>{r['green']}</td>"
                   f"<td class=n>{r['amber']}</td><td class=n>{r['red']}</td><td class=n>{r['no data']}</td>"
                   f"<td class=n>{r['on track']}</td><td class=rag style='color:{RAG_COLOURS[r['rag']]}'>"
                   f"{tr(r['rag'])}</td></tr>")
    out.append("</table>")
    headers = ["KPI", "Baseline", "Actual", "Quarter", "Expected", "Target", "Status", "Projection", "Trend"]
    for pillar, rows in card.groupby("pillar", sort=False):
        out.append(f"<h2>{tr(PILLARS[pillar])}</h2><table><tr>"
                   + "".join(f"<th>{tr(h)}</th>" for h in headers) + "</tr>")
        for _, r in rows.iterrows():
            kpi = by_id[r["kpi_id"]]
            counted = series_to_count(kpi, actuals_by_kpi.get(kpi.id, pd.DataFrame(columns=["quarter", "value"])),
                                      up_to=quarter)

            def num(value: object, decimals: int = 0 if kpi.unit == "count" else 1) -> str:
                return "—" if value is None or pd.isna(value) else format_number(float(value), lang, decimals)
            quarter_shown = r["latest_quarter"] if isinstance(r["latest_quarter"], str) else "—"
            projection = tr(r["projection"]) + (f" ({num(r['projected'])})" if pd.notna(r["projected"]) else "")
            out.append(
                f"<tr><td>{escape(r['kpi'])}<br><span class=muted>{escape(r['unit'])} · "
                f"{tr('lower is better') if kpi.lower_is_better else tr('higher is better')}</span></td>"
                f"<td class=n>{num(r['baseline'])}</td><td class=n>{num(r['latest_actual'])}</td>"
                f"<td>{escape(quarter_shown)}</td><td class=n>{num(r['expected'])}</td>"
                f"<td class=n>{num(r['target'])}<br><span class=muted>{r['target_date']}</span></td>"
                f"<td class=rag style='color:{RAG_COLOURS[r['rag']]}'>{tr(r['rag'])}</td><td>{projection}</td>"
                f"<td>{_svg_chart(kpi, counted)}</td></tr>")
        out.append("</table>")
    out.append(f'<p class="muted">{tr("Dashed line: straight path from baseline to target. Blue: actuals (running total for cumulative KPIs). Status compares the latest actual with the straight path; projection extends the least-squares trend of the actuals to the target date.")}</p>')  # noqa: E501
    out.append("</body></html>")
    return "\n".join(out)


def quarterly_report_excel(kpis: list[Kpi], actuals_by_kpi: dict[str, pd.DataFrame], quarter: str,
                           thresholds: Thresholds | None = None, lang: str = "en", public: bool = False) -> bytes:
    card = report_table(kpis, actuals_by_kpi, quarter, thresholds, lang).drop(columns=["trend"])
    card["pillar"] = card["pillar"].map(PILLARS)
    metadata = {"report": f"Partnership KPIs, quarterly report {quarter}",
                "status as of": period_end(quarter).isoformat(), "generated": date.today().isoformat(),
                "scope": "published quarters only" if public else "includes draft quarters",
                "illustrative": "yes: contains invented example values" if card["illustrative"].any() else "no",
                "thresholds": str(thresholds or Thresholds())}
    return to_excel_bytes(card, metadata)
