"""KPI scorecard: pillar → KPIs with baseline, latest actual, target, status and a sparkline; quarterly report."""

import streamlit as st

from core.periods import sort_key
from kpi import published_quarters
from kpi.report import quarterly_report_excel, quarterly_report_html
from ui import language, t
from ui.kpi import (
    actuals_by_kpi,
    cached_scorecard,
    kpi_engine,
    kpis,
    not_published_text,
    pillar_label,
    pillar_short,
    public_only,
    rag_short,
    thresholds,
)
from ui.kpi_table import scorecard_view, show_scorecard
from ui.tables import missing_legend
from ui.widgets import url_selectbox

lang = language()
items = kpis()
acts = actuals_by_kpi(items)

st.title(t("Partnership KPIs"))
st.caption(t("How to read this: each KPI's latest actual is compared with where it should be on the straight path "
             "from its baseline to its target (status), and the trend of its actuals is extended to the target "
             "date (projection). Cumulative KPIs add up their quarters; snapshot KPIs use the latest quarter."))
if public_only():
    st.caption(t("Only quarters published by the partnership are shown."))
if any(k.illustrative for k in items):
    st.badge(t("Illustrative KPI framework"), icon=":material/science:", color="orange",
             help=t("These KPIs, targets and values are invented examples that show how the scorecard works; "
                    "they are not the partnership's agreed targets or results."))

quarters = sorted({q for df in acts.values() for q in df["quarter"]}, key=sort_key)
if not quarters:
    st.info(t("No actuals have been published yet."))
    st.stop()
as_of = url_selectbox(t("Status as of quarter"), quarters[::-1], "kpi_quarter", quarters[-1])
summary, pillar_tables = scorecard_view(items, as_of, lang)
st.caption(t("Status and projection answer two questions: the status says where the latest actual stands against "
             "the straight path today; the projection says where the trend of the actuals arrives by the target "
             "date. A KPI can be behind today and still on track, or the reverse."))
st.caption(t("A pillar's status is the worst status among its KPIs with a status (red before amber before green); "
             "KPIs with no data or not published are counted beside it, never left out."))

CARDS_PER_ROW = 3  # five cards in one row cut "Зелёный" and the pillar names short at 1366 px
cards = list(summary.iterrows())
cols = [col for start in range(0, len(cards), CARDS_PER_ROW) for col in st.columns(CARDS_PER_ROW)]
for col, (_idx, row) in zip(cols, cards, strict=False):
    name = t("All KPIs") if row["pillar"] == "overall" else pillar_short(row["pillar"])
    with col.container(border=True):
        st.markdown(f"**{name}**", help=pillar_label(row["pillar"]) if row["pillar"] != "overall" else None)
        st.metric(t("Status"), rag_short(row["rag"]),
                  help=t("Status: the worst status among these KPIs with a status (red before amber before green). "
                         "Projection: how many KPIs the trend of their actuals takes to the target by the target "
                         "date."))
        counts = t("{g} green · {a} amber · {r} red · {x} no data", g=row["green"], a=row["amber"], r=row["red"],
                   x=row["no data"])
        if row["not published"]:
            counts += " · " + t("{n} not published", n=row["not published"])
        st.caption(counts)
        projected = t("Projection: {n} of {total} on track", n=row["on track"], total=row["kpis"])
        if row["kpis"] > row["projected"]:
            projected += " · " + t("{n} without a projection", n=row["kpis"] - row["projected"])
        st.caption(projected)

for pillar, table in pillar_tables:
    st.header(pillar_label(pillar))
    show_scorecard(table, lang)
hidden = cached_scorecard(items, as_of, lang).query("suppressed")["kpi"].tolist()
if hidden:
    st.caption(not_published_text() + ": " + "; ".join(hidden) + ". "
               + t("A status from a number that is not shown would mislead, so these KPIs have none."))
missing_legend()
st.page_link("pages/kpi_detail.py", label=t("One KPI in detail: path, actuals, projection and history"),
             icon=":material/insights:")

st.header(t("Quarterly report"))
st.caption(t("A printable report (HTML: open it and print to PDF) and the same table as Excel, for a chosen "
             "quarter. Actuals after that quarter are left out."))
report_quarters = (published_quarters(kpi_engine()) if public_only() else quarters) or quarters
report_quarter = st.selectbox(t("Report quarter"), sorted(set(report_quarters), key=sort_key, reverse=True),
                              key="kpi_report_quarter")
public = public_only()
report_args = (items, acts, report_quarter, thresholds(), lang)
left, right = st.columns(2)
# Built only when a reader asks for them (deferred download data), not on every rerun of the page.
left.download_button(t("Download report (HTML, prints to PDF)"),
                     lambda: quarterly_report_html(*report_args, public=public).encode("utf-8"),
                     f"densaulyq-kpi-report-{report_quarter}.html", "text/html", key="kpi_report_html",
                     icon=":material/print:", on_click="ignore")
right.download_button(t("Download report data (Excel)"),
                      lambda: quarterly_report_excel(*report_args, public=public),
                      f"densaulyq-kpi-report-{report_quarter}.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="kpi_report_xlsx",
                      icon=":material/table:", on_click="ignore")
