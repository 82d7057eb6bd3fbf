"""One KPI: baseline, straight path to the target, actuals, projection, per-region targets and the audit trail."""

from datetime import date

import pandas as pd
import streamlit as st

from charts.kpi_progress import kpi_progress_figure
from core.i18n import format_date, format_number
from geo import region_code, region_name
from kpi import kpi_status
from kpi.status import series_to_count
from ui import data, language, t
from ui.charts import show_chart
from ui.figures import cached_figure
from ui.kpi import (
    actuals_by_kpi,
    cached_audit_trail,
    kpis,
    pillar_label,
    projection_label,
    rag_short,
    thresholds,
)
from ui.tables import for_screen, show_table
from ui.widgets import url_selectbox

lang = language()
items = {k.id: k for k in kpis()}
st.title(t("KPI detail"))
if not items:
    st.info(t("No KPI framework is loaded."))
    st.stop()
kpi_id = url_selectbox(t("KPI"), list(items), "kpi", format_func=lambda i: f"{items[i].name(lang)} · "
                       f"{pillar_label(items[i].pillar)}")
kpi = items[kpi_id]
acts = actuals_by_kpi([kpi])[kpi.id]
status = kpi_status(kpi, acts, thresholds=thresholds())
counted = series_to_count(kpi, acts)


def num(value: float | None) -> str:
    return format_number(value, lang, 0 if kpi.unit == "count" else 1)


if kpi.illustrative or (not acts.empty and acts["illustrative"].any()):
    st.badge(t("Illustrative"), icon=":material/science:", color="orange",
             help=t("This KPI or some of its values are invented examples, not agreed targets or real results."))
st.caption(pillar_label(kpi.pillar) + " · " + kpi.unit_label(lang) + " · "
           + (t("lower is better") if kpi.lower_is_better else t("higher is better")) + " · "
           + (t("cumulative: quarters add up") if kpi.aggregation == "cumulative" else
              t("snapshot: the latest quarter counts")))
cols = [*st.columns(3), *st.columns(3)]  # five cards in a row cut "Зелёный" and "Ожидаемое на сегодня" at 1366 px
plain = {"delta_color": "off", "delta_arrow": "off", "border": True}
cols[0].metric(t("Baseline"), num(kpi.baseline_value), format_date(kpi.baseline_date, lang), **plain)
cols[1].metric(t("Latest actual"), num(status.actual), status.as_of_quarter or t("no data"), **plain)
cols[2].metric(t("Expected today"), num(status.expected_today), format_date(date.today(), lang), **plain)
cols[3].metric(t("Target"), num(kpi.target_value), format_date(kpi.target_date, lang), **plain)
cols[4].metric(t("Status"), rag_short(status.rag),
               f"{projection_label(status.projection)}: {num(status.projected)}" if status.projected is not None
               else projection_label(status.projection), **plain,
               help=t("Status compares the latest actual with the straight path at the end of its quarter; the "
                      "projection extends the least-squares trend of the actuals to the target date."))

labels = {"path": t("Straight path baseline → target"), "actuals": t("Actuals"), "projection": t("Projection"),
          "target": t("Target")}
if kpi.aggregation == "cumulative":
    labels["actuals"] = t("Actuals (running total)")
show_chart(cached_figure(kpi_progress_figure, kpi, counted, status, labels, today=date.today(), lang=lang),
           key="kpi_chart")

with st.expander(t("Definition and source"), expanded=False):
    facts = [(t("Definition"), kpi.definition), (t("Owner"), kpi.owner), (t("Data source"), kpi.data_source)]
    if kpi.indicator_id:
        linked = data.catalogue().get(kpi.indicator_id)
        facts.append((t("Linked indicator"), linked.label(lang) if linked else kpi.indicator_id))
    st.markdown("  \n".join(f"**{label}:** {value or '—'}" for label, value in facts))
if kpi.region_targets:
    st.subheader(t("Regional targets"))
    def target_region(code: str) -> str:  # a target may name a pre-2022 code (KZ-ALA is Almaty, KZ-75)
        current = region_code(code)
        return region_name(current, lang) if current else code
    show_table(pd.DataFrame({t("Region"): [target_region(r) for r in kpi.region_targets],
                             t("Target"): list(kpi.region_targets.values())}))

st.subheader(t("Actuals by quarter"))
if acts.empty:
    st.info(t("No actuals yet for this KPI."))
else:
    shown = pd.DataFrame({t("Quarter"): acts["quarter"], t("Value"): acts["value"], t("Comment"): acts["comment"],
                          t("Evidence"): acts["evidence_url"], t("Version"): acts["version"],
                          t("Published"): acts["published"], t("Illustrative"): acts["illustrative"],
                          t("Source"): acts["source"]})
    show_table(for_screen(shown, lang, links=(t("Evidence"),)),
               column_config={t("Evidence"): st.column_config.LinkColumn()})

st.subheader(t("History of changes"))
trail = cached_audit_trail(kpi.id)
if trail.empty:
    st.caption(t("No changes recorded."))
else:
    history = pd.DataFrame({t("When"): trail["at"], t("Quarter"): trail["quarter"], t("Version"): trail["version"],
                            t("Old value"): trail["old_value"], t("New value"): trail["new_value"],
                            t("Reason"): trail["reason"]})
    if "user" in trail:
        history.insert(1, t("Who"), trail["user"])
    show_table(for_screen(history, lang))
