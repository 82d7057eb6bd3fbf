"""Funnel plot: each region's value against its denominator, with 95 % and 99.8 % control limits around the
national value, so that small regions' chance swings are not mistaken for real differences."""

import pandas as pd
import streamlit as st

from analytics.benchmark import ILLUSTRATIVE_VERDICT, national_value
from analytics.funnel import POSITIONS, classify_points, funnel_curve, overdispersion
from analytics.summary import regional_summary
from charts.funnel import funnel_figure
from core.i18n import N_, format_number
from core.periods import sort_key
from geo import REGION_CODES, region_name
from ui import data, language, t
from ui.badges import illustrative_badge, provenance_caption
from ui.chart_images import image_buttons
from ui.charts import show_chart
from ui.compute import cached_result
from ui.downloads import download_buttons
from ui.figures import cached_figure
from ui.flags import illustrative_column
from ui.stats import suppression_note
from ui.tables import for_screen, missing_legend, show_reading_table
from ui.widgets import indicator_picker, period_picker

lang = language()
catalogue = data.catalogue()

st.title(t("Funnel plot"))
st.caption(t("How to read this: each point is a region, placed by its value (up) and the size of the population "
             "behind it (across, log scale). The funnel lines show how far from the national value a region of "
             "that size could land by chance alone: 95% limits (dashed) and 99.8% limits (solid). Points outside "
             "the 99.8% limits are very unlikely to be chance. Small regions are allowed a wider swing."))

# Control limits describe chance in samples and event counts; a census (scanners, staff, beds) has none.
with_counts = [ind for ind in catalogue.select(level="regional") if ind.value_type in ("proportion", "rate")
               and not ind.census]
ids_with_denominators = data.indicators_with_denominators()
candidates = [i for i in with_counts if i.id in ids_with_denominators]
left, right = st.columns([3, 1])
indicator = indicator_picker(candidates, "breast_cancer_screening_coverage_pct", key="indicator", container=left)
obs_all = data.observations(indicator.id)
periods = sorted({p for p in obs_all.loc[obs_all["denominator"].notna() & (obs_all["region"] != "KZ"), "period"]},
                 key=sort_key)
period = period_picker(periods, container=right)
obs = obs_all[obs_all["period"] == period]
suppression_note(obs)
target = national_value(obs)
regional = obs[obs["region"] != "KZ"].copy()
regional["name"] = regional["region"].map(lambda c: region_name(c, lang))

if target is None or regional["denominator"].notna().sum() == 0:
    st.info(t("This indicator has no national value or no denominators for this period, so no funnel can be drawn."))
    st.stop()

illustrative_badge(regional)
multiplier = float(indicator.multiplier)
with_den = regional[regional["denominator"].notna() & regional["value"].notna()]
target_illustrative = bool(obs.loc[obs["region"] == "KZ", "synthetic"].astype(bool).any())
spread = overdispersion(with_den, target, indicator.value_type, multiplier, target_illustrative)
phi, tau2 = spread.phi, spread.tau2
adjust = st.toggle(t("Allow for over-dispersion (random-effects limits)"), key="overdispersion",
                   help=t("When the regions differ far more than chance alone would make them, the plain limits flag "
                          "almost every region. The random-effects limits add the usual spread between regions, so "
                          "only regions that stand out even against that are flagged (Spiegelhalter 2005)."))
if phi > 1.5:
    sentence = t("The regions vary {phi} times more than chance alone would make them (over-dispersion): consider "
                 "the random-effects limits.", phi=format_number(phi, lang, 1))
    # Computed from illustrative values, it demonstrates the method and is no finding (the flag is the domain's).
    st.caption(f":material/science: **{t(ILLUSTRATIVE_VERDICT)}:** {sentence}" if spread.illustrative else sentence)
points = cached_result(classify_points, regional, target, indicator.value_type, multiplier,
                       tau2 if adjust else None, target_illustrative=target_illustrative)
if points["illustrative"].any():
    st.caption(t("Hollow markers: positions that rest on illustrative values (the region's own value, the national "
                 "value, or the over-dispersion estimated from the regions). They demonstrate the method; they are "
                 "not findings."))
dens = points["denominator"].dropna()
curve = cached_result(funnel_curve, target, float(dens.min()) * 0.7, float(dens.max()) * 1.3, indicator.value_type,
                      multiplier, tau2=tau2 if adjust else None)
denominator_label = t("Denominator (people in the target group or population)")
funnel = cached_figure(funnel_figure, points, curve, target, indicator, denominator_label, lang, t)
show_chart(funnel, key="funnel_plot")
drawn = pd.concat([obs[obs["region"] == "KZ"], with_den])  # the national line and the points on the plot
st.caption(regional_summary(drawn, {c: region_name(c, lang) for c in REGION_CODES}, lang, indicator.decimals,
                            indicator.unit_label(lang)) + " " + t("Every value is in the table below the chart."))
image_buttons(funnel, indicator.label(lang), period, points, (indicator.id, period, "funnel"), key="funnel",
              flag_column="illustrative", source_rows=obs)
if any(not label for trace in funnel.data if trace.mode == "markers+text" for label in trace.text):
    st.caption(t("Where points crowd, a region's name is shown when you point at it."))
missing = sorted(set(REGION_CODES) - set(points.loc[points["position"] != "no_denominator", "region"]))
if missing:
    st.caption(t("Not on the plot (no denominator for this period): {regions}",
                 regions=", ".join(region_name(c, lang) for c in missing)))

table = pd.DataFrame({
    t("Region"): points["name"], t("Code"): points["region"], t("Value"): points["value"].round(indicator.decimals),
    t("Numerator"): points["numerator"], t("Denominator"): points["denominator"],
    t("Position"): points["position"].map(lambda p: t(POSITIONS[p])),
    illustrative_column(): points["illustrative"].astype(bool),
}).sort_values(t("Value"), ascending=indicator.polarity == "lower_is_better")
show_reading_table(for_screen(table, lang, {t("Value"): indicator.decimals}), decimals={t("Value"): indicator.decimals})
missing_legend()
download_buttons(table, f"densaulyq_funnel_{indicator.id}_{period}", {
    "indicator": f"{indicator.id}: {indicator.label(lang)}", "period": period,
    "target": format_number(target, lang, indicator.decimals)
    + (" (" + t("illustrative") + ")" if target_illustrative else ""),
    "method": t(N_("Random-effects limits, τ² = {tau2}"), tau2=format_number(tau2, lang, 4)) if adjust
    else t(N_("Exact limits after Spiegelhalter (2005), 95% and 99.8%")),
}, key="funnel_table")
provenance_caption(obs)
with st.expander(t("Method")):
    st.markdown(t("Control limits follow Spiegelhalter (2005), 'Funnel plots for comparing institutional "
                  "performance': for a proportion, the binomial distribution around the national value; for a rate, "
                  "the Poisson distribution of the expected count; in both cases the exact quantiles are "
                  "interpolated between whole counts. For large populations the limits approach the national value "
                  "± 1.96 (95%) and ± 3.09 (99.8%) standard errors. With over-dispersion allowed for, the limits "
                  "become the national value ± z·√(SE² + τ²), where τ² is the between-region variance estimated "
                  "from winsorised z-scores (Spiegelhalter 2005, 'Handling over-dispersion of performance "
                  "indicators')."))
