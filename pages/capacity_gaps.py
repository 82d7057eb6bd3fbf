"""Diagnostic capacity gaps: units per population against a reference level, as units needed per region."""

import pandas as pd
import streamlit as st

from analytics.capacity import CAPACITY_INDICATORS, capacity_gaps, reference_illustrative, reference_level
from charts.capacity import gap_bars
from core.i18n import N_, format_number
from geo import REGION_CODES, region_name
from ui import data, language, settings, t
from ui.badges import illustrative_badge, provenance_caption
from ui.charts import show_chart
from ui.downloads import ILLUSTRATIVE_ROWS_NOTE, download_buttons
from ui.figures import cached_figure
from ui.flags import illustrative_column
from ui.stats import suppression_note
from ui.tables import for_screen, show_reading_table
from ui.widgets import indicator_picker, period_picker, stop_without_data, url_selectbox

lang = language()
catalogue = data.catalogue()
stats_cfg = settings().section("statistics")
names = {c: region_name(c, lang) for c in REGION_CODES}
REFERENCE_LABELS = {"national": N_("National average"), "regional_median": N_("Median of the regions"),
                    "custom": N_("Custom benchmark")}

st.title(t("Diagnostic capacity gaps"))
st.caption(t("How to read this: for each region, the units in place (blue) and how many more it would need (orange) "
             "to reach the reference rate for its population. Mammographs are counted per 100,000 women aged "
             "40–70, the screening population; the other units per head of the whole population."))

indicators = [catalogue[i] for i in CAPACITY_INDICATORS if i in catalogue]
left, right = st.columns([3, 1])
indicator = indicator_picker(indicators, "ct_units_per_million", key="indicator", container=left)
periods = data.periods(indicator.id, regional_only=True)
period = period_picker(periods, container=right)
stop_without_data(indicator, periods)
obs = data.observations(indicator.id, period)
suppression_note(obs)

a, b = st.columns([2, 1])
reference = url_selectbox(t("Reference level"), list(REFERENCE_LABELS), "reference",
                          str(stats_cfg.get("capacity_reference", "national")), container=a,
                          format_func=lambda r: t(REFERENCE_LABELS[r]))
configured = (stats_cfg.get("benchmarks") or {}).get(indicator.id)
custom = None
if reference == "custom":
    start = float(configured if configured is not None else reference_level(obs, "national") or 0.0)
    custom = b.number_input(t("Benchmark ({unit})", unit=indicator.unit_label(lang)), min_value=0.0, value=start,
                            step=0.5, key=f"benchmark_{indicator.id}")
rate = reference_level(obs, reference, custom)
if rate is None:
    st.info(t("No reference level for this period."))
    st.stop()

population = data.observations("population_total", "2023").set_index("region")["value"]
whole_population = indicator.id != "mammographs_per_100k_women_40_70"  # its base is women 40–70, not everyone
rate_illustrative = reference_illustrative(obs, reference)
gaps = capacity_gaps(obs, float(indicator.multiplier), rate, population if whole_population else None,
                     reference_is_illustrative=rate_illustrative)
illustrative_badge(gaps, column="illustrative")
total_needed = gaps["units_needed"].sum()
total_illustrative = bool(gaps.loc[gaps["units_needed"].fillna(0) > 0, "illustrative"].any()) or rate_illustrative
marked = " · " + t("illustrative")
m1, m2, m3 = st.columns(3)
# The unit under the value, not in the label: a label that does not fit its third of the page is cut with "…".
m1.metric(t("Reference rate") + (marked if rate_illustrative else ""), format_number(rate, lang, indicator.decimals),
          indicator.unit_label(lang), delta_color="off", delta_arrow="off")
m2.metric(t("Regions below the reference") + (marked if total_illustrative else ""),
          int((gaps["units_needed"] > 0).sum()))
m3.metric(t("Units needed in total") + (marked if total_illustrative else ""), format_number(total_needed, lang, 0))
if total_illustrative:
    st.caption(t("These totals rest on illustrative values: they demonstrate the method, they are not official "
                 "figures."))
show_chart(cached_figure(gap_bars, gaps, names, t("Units"), t), key="capacity_gaps")
if gaps["units_estimated"].any():
    st.caption(t("Units estimated as rate × population (2023) where the source gives no count."))

table = pd.DataFrame({
    t("Region"): gaps.index.map(names), t("Code"): gaps.index,
    t("Value ({unit})", unit=indicator.unit_label(lang)): gaps["value"].round(indicator.decimals),
    t("Units now"): gaps["units"].round(0), t("Population base"): gaps["population_base"],
    t("Units at the reference rate"): gaps["target_units"].round(1), t("Units needed"): gaps["units_needed"],
    t("Estimated"): gaps["units_estimated"], illustrative_column(): gaps["illustrative"],
})
decimals = {t("Units now"): 0, t("Population base"): 0, t("Units needed"): 0}
show_reading_table(for_screen(table, lang, decimals), decimals=decimals)
download_buttons(table, f"densaulyq_capacity_{indicator.id}_{period}", {
    "indicator": f"{indicator.id}: {indicator.label(lang)}", "period": period,
    "reference": t(REFERENCE_LABELS[reference]),
    "reference_rate": format_number(rate, lang, indicator.decimals)
    + (" (" + t("illustrative") + ")" if rate_illustrative else ""),
    "units_needed_total": format_number(total_needed, lang, 0)
    + (" (" + t("illustrative") + ")" if total_illustrative else ""),
    "note": t(ILLUSTRATIVE_ROWS_NOTE),
}, key="capacity_table")
provenance_caption(obs)
st.caption(t("No regional laboratory counts are in the data yet, so laboratories are not shown."))
