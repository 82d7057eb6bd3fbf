"""Quarterly report for partners: one self-contained HTML file (inline CSS and SVG, no network) that prints
cleanly, and the same table as Excel."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup

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


def _chart(kpi: Kpi, counted: pd.DataFrame, lang: str, width: int = 220, height: int = 60) -> dict[str, object]:
    """The points of a small inline SVG: the straight path baseline → target (dashed) and the counted actuals."""
    start_day, end_day = kpi.baseline_date.toordinal(), kpi.target_date.toordinal()
    counted = counted[counted["value"].notna()]  # a suppressed value is not drawn
    values = [kpi.baseline_value, kpi.target_value, *counted["value"].tolist()]
    lo, hi = min(values), max(values)
    hi = hi if hi > lo else lo + 1

    def xy(day: int, value: float) -> tuple[str, str]:
        x = 4 + (day - start_day) / (end_day - start_day) * (width - 8)
        y = height - 4 - (value - lo) / (hi - lo) * (height - 8)
        return f"{x:.1f}", f"{y:.1f}"

    dots = [xy(d.toordinal(), v) for d, v in zip(counted["date"], counted["value"], strict=True)]
    path = " ".join(",".join(xy(day, value)) for day, value in ((start_day, kpi.baseline_value),
                                                                 (end_day, kpi.target_value)))
    return {"width": width, "height": height, "label": kpi.name(lang), "path": path,
            "points": [f"{x},{y}" for x, y in dots], "dots": dots}


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
    """The report as one HTML document; texts in ``lang`` (English source text is the message id).

    The template (``kpi/templates/quarterly_report.html.j2``) escapes every value: KPI names and units come from an
    uploaded framework file."""
    def t(msgid: str, **values: object) -> str:
        return translate(msgid, lang, **values)

    card = report_table(kpis, actuals_by_kpi, quarter, thresholds, lang)
    by_id = {k.id: k for k in kpis}
    now = datetime.now()
    summary = []
    for _idx, r in rollup(card).iterrows():
        summary.append({
            "name": t(PILLARS[r["pillar"]]) if r["pillar"] in PILLARS else t("Overall"),
            "cells": [r["kpis"], r["green"], r["amber"], r["red"], r["no data"], r["not published"], r["on track"]],
            "colour": RAG_COLOURS[r["rag"]], "status": t(STATUS_WORDS[r["rag"]])})
    pillars = []
    for pillar, rows in card.groupby("pillar", sort=False):
        pillars.append({"name": t(PILLARS[pillar]),
                        "rows": [_kpi_row(by_id[r["kpi_id"]], r, actuals_by_kpi, quarter, lang)
                                 for _idx, r in rows.iterrows()]})
    return _template().render(
        lang=lang, css=Markup(CSS),
        title=t("Partnership KPIs: quarterly report {quarter}", quarter=quarter),
        as_of=t("Status as of {date}; generated {now}.", date=format_date(period_end(quarter), lang),
                 now=f"{format_date(now, lang)} {now:%H:%M}"),
        scope=t("Published quarters only.") if public else t("Includes draft (unpublished) quarters."),
        illustrative_note=t("Illustrative: this report contains invented example KPIs or values, not agreed targets "
                             "or real results.") if card["illustrative"].any() else "",
        summary_title=t("Summary by pillar"), summary_headers=[t(h) for h in SUMMARY_HEADERS], summary=summary,
        headers=[t(h) for h in HEADERS], pillars=pillars,
        legend=t("Dashed line: straight path from baseline to target. Blue: actuals (running total for cumulative "
                  "KPIs). Status compares the latest actual with the straight path; projection extends the "
                  "least-squares trend of the actuals to the target date."))


def _kpi_row(kpi: Kpi, r: pd.Series, actuals_by_kpi: dict[str, pd.DataFrame], quarter: str,
             lang: str) -> dict[str, object]:
    """One KPI's cells of the report, as text (the template escapes them)."""
    def num(value: object, decimals: int = 0 if kpi.unit == "count" else 1) -> str:
        return "—" if value is None or pd.isna(value) else format_number(float(value), lang, decimals)

    counted = series_to_count(kpi, actuals_by_kpi.get(kpi.id, pd.DataFrame(columns=["quarter", "value"])),
                              up_to=quarter)
    projection = translate(STATUS_WORDS[r["projection"]], lang) + (
        f" ({num(r['projected'])})" if pd.notna(r["projected"]) else "")
    return {"kpi": r["kpi"], "unit": r["unit"],
            "direction": translate("lower is better" if kpi.lower_is_better else "higher is better", lang),
            "baseline": num(r["baseline"]), "actual": num(r["latest_actual"]),
            "quarter": r["latest_quarter"] if isinstance(r["latest_quarter"], str) else "—",
            "expected": num(r["expected"]), "target": num(r["target"]),
            "target_date": format_date(r["target_date"], lang), "colour": RAG_COLOURS[r["rag"]],
            "status": translate(STATUS_WORDS[r["rag"]], lang), "projection": projection,
            "chart": _chart(kpi, counted, lang)}


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                                     autoescape=True, undefined=jinja2.StrictUndefined)
    return environment.get_template("quarterly_report.html.j2")


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
