"""One KPI: baseline, straight path to the target, actuals, projection, per-region targets and the audit trail."""

from datetime import date

import pandas as pd
import streamlit as st

from charts.kpi_progress import kpi_progress_figure
from core.i18n import format_date, format_number
from core.provenance_text import localize_columns
from core.text import plain as as_text
from geo import region_code, region_name
from kpi import kpi_status, replaced_entries
from kpi.status import NOT_PUBLISHED, series_to_count
from ui import data, language, t
from ui.chart_images import image_buttons
from ui.charts import show_chart
from ui.figures import cached_figure
from ui.kpi import (
    actuals_by_kpi,
    cached_audit_trail,
    kpi_engine,
    kpis,
    not_published_text,
    pillar_label,
    projection_label,
    public_only,
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
st.caption(pillar_label(kpi.pillar) + " · " + as_text(kpi.unit_label(lang)) + " · "
           + (t("lower is better") if kpi.lower_is_better else t("higher is better")) + " · "
           + (t("cumulative: quarters add up") if kpi.aggregation == "cumulative" else
              t("snapshot: the latest quarter counts")))
replaced = replaced_entries(kpi_engine(), kpi, acts, published_only=public_only())
run_date = format_date(replaced["at"].max(), lang) if not replaced.empty and pd.notna(replaced["at"].max()) else "—"
if not replaced.empty:
    run = (t("the RWD run of {date}", date=run_date) if (replaced["by"] == "RWD run").any()
           else t("the observation store (as of {date})", date=run_date))
    st.info(t("The actuals of this KPI come from {run}; they replace the {n} entered quarters ({quarters}), which "
              "are kept in the history of changes below.", run=run, n=len(replaced),
              quarters=", ".join(replaced["quarter"])), icon=":material/sync_alt:")
if status.rag == NOT_PUBLISHED:
    st.info(not_published_text() + ": " + t("the latest actual ({quarter}) rests on too few cases to be shown, so "
                                             "this KPI has no status and no projection.",
                                             quarter=status.as_of_quarter), icon=":material/visibility_off:")
cols = [*st.columns(3), *st.columns(3)]  # five cards in a row cut "Зелёный" and "Ожидаемое на сегодня" at 1366 px
plain = {"delta_color": "off", "delta_arrow": "off", "border": True}
cols[0].metric(t("Baseline"), num(kpi.baseline_value), format_date(kpi.baseline_date, lang), **plain)
hidden = status.rag == NOT_PUBLISHED  # no number and no status shown; the note above says why
cols[1].metric(t("Latest actual"), num(status.actual), status.as_of_quarter or t("no data"), **plain)
cols[2].metric(t("Expected today"), num(status.expected_today), format_date(date.today(), lang), **plain)
cols[3].metric(t("Target"), num(kpi.target_value), format_date(kpi.target_date, lang), **plain)
cols[4].metric(t("Status"), "—" if hidden else rag_short(status.rag),
               f"{projection_label(status.projection)}: {num(status.projected)}" if status.projected is not None
               else projection_label(status.projection), **plain,
               help=t("Status compares the latest actual with the straight path at the end of its quarter; the "
                      "projection extends the least-squares trend of the actuals to the target date."))

labels = {"path": t("Straight path baseline → target"), "actuals": t("Actuals"), "projection": t("Projection"),
          "target": t("Target")}
if kpi.aggregation == "cumulative":
    labels["actuals"] = t("Actuals (running total)")
progress = cached_figure(kpi_progress_figure, kpi, counted, status, labels, today=date.today(), lang=lang)
show_chart(progress, key="kpi_chart")
image_buttons(progress, kpi.name(lang),
              f"{format_date(kpi.baseline_date, lang)} – {format_date(kpi.target_date, lang)}", acts,
              (kpi.id, "progress"), key="kpi", flag_column="illustrative", illustrative=kpi.illustrative,
              source_rows=pd.DataFrame({"source_title": [as_text(kpi.data_source, None) or None]}))

with st.expander(t("Definition and source"), expanded=False):
    facts = [(t("Definition"), kpi.definition), (t("Owner"), kpi.owner), (t("Data source"), kpi.data_source)]
    if kpi.indicator_id:
        linked = data.catalogue().get(kpi.indicator_id)
        facts.append((t("Linked indicator"), linked.label(lang) if linked else kpi.indicator_id))
    st.markdown("  \n".join(f"**{label}:** {as_text(value, None) if value else '—'}" for label, value in facts))
if kpi.region_targets:
    st.header(t("Regional targets"))
    def target_region(code: str) -> str:  # a target may name a pre-2022 code (KZ-ALA is Almaty, KZ-75)
        current = region_code(code)
        return region_name(current, lang) if current else code
    show_table(pd.DataFrame({t("Region"): [target_region(r) for r in kpi.region_targets],
                             t("Target"): list(kpi.region_targets.values())}))

st.header(t("Actuals by quarter"))
if acts.empty:
    st.info(t("No actuals yet for this KPI."))
else:
    acts = localize_columns(acts, lang, ("comment", "source"))  # the example's texts in the reader's language
    shown = pd.DataFrame({t("Quarter"): acts["quarter"], t("Value"): acts["value"], t("Comment"): acts["comment"],
                          t("Evidence"): acts["evidence_url"], t("Version"): acts["version"],
                          t("Published"): acts["published"], t("Illustrative"): acts["illustrative"],
                          t("Source"): acts["source"]})
    if public_only():  # comments and evidence links are the editors' internal notes: never sent to the public
        shown = shown.drop(columns=[t("Comment"), t("Evidence")])
    show_table(for_screen(shown, lang, links=(t("Evidence"),)),
               column_config={t("Evidence"): st.column_config.LinkColumn()})

st.header(t("History of changes"))
trail = cached_audit_trail(kpi.id)
if trail.empty and replaced.empty:
    st.caption(t("No changes recorded."))
else:
    trail = localize_columns(trail, lang, ("reason",))
    history = pd.DataFrame({t("When"): trail["at"], t("Quarter"): trail["quarter"], t("Version"): trail["version"],
                            t("Old value"): trail["old_value"], t("New value"): trail["new_value"]})
    if "reason" in trail:  # the internal instance says why; the public one does not (an editor's free text)
        history[t("Reason")] = trail["reason"]
    if "user" in trail:
        history.insert(1, t("Who"), trail["user"])
    if not replaced.empty:  # computed actuals replacing entered ones are part of the history, never silent
        reason = t("No longer counted: this KPI's actuals come from {run}", run=run)
        computed = pd.DataFrame({t("When"): replaced["at"], t("Quarter"): replaced["quarter"], t("Version"): None,
                                 t("Old value"): replaced["entered_value"], t("New value"): replaced["counted_value"],
                                 t("Reason"): reason})
        if "user" in trail:
            computed.insert(1, t("Who"), t("RWD run") if (replaced["by"] == "RWD run").any()
                            else t("observation store"))
        history = pd.concat([computed, history], ignore_index=True)
        history[t("When")] = pd.to_datetime(history[t("When")], utc=True)
        history[t("Version")] = pd.to_numeric(history[t("Version")]).astype("Int64")
        for column in (t("Old value"), t("New value")):
            history[column] = pd.to_numeric(history[column]).astype(float)
    show_table(for_screen(history, lang))
