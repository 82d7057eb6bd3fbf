"""Regional map: one indicator, one period, 20 regions; click a region to open its profile."""

import streamlit as st

from core.i18n import N_, format_number, format_percent
from geo import REGION_CODES
from share.texts import MAP_ALT
from ui import data, language, settings, t
from ui.badges import illustrative_badge, provenance_caption
from ui.chart_images import image_buttons
from ui.completeness import completeness_table, count_text, national_count
from ui.downloads import ILLUSTRATIVE_ROWS_NOTE, download_buttons
from ui.flags import illustrative_column
from ui.map_chart import show_map
from ui.map_view import fixed_class_labels, map_facts, map_summary, map_table, map_view
from ui.open_data import share_box
from ui.stats import confidence_picker, rate_method, suppression_note, url_toggle
from ui.tables import for_screen, missing_legend, show_table
from ui.timeline import period_slider
from ui.widgets import indicator_picker, period_picker, stop_without_data

lang = language()
cfg = settings()
map_cfg = cfg.section("map")
catalogue = data.catalogue()

st.title(t("Regional map"))
st.caption(t("How to read this: each region is coloured by its class of the chosen indicator; darker always means "
             "worse (or, for indicators with no better direction, higher). Grey regions have no data for the "
             "period. Click a region to open its profile."))

left, right = st.columns([3, 1])
indicator = indicator_picker(catalogue.select(level="regional"), cfg.default_indicator, container=left)
periods = data.periods(indicator.id, regional_only=True)
period = period_picker(periods, container=right)
stop_without_data(indicator, periods)
MAP_MODES = {"value": N_("Value"), "benchmark": N_("Compared with Kazakhstan"),
             "completeness": N_("Data completeness")}
mode_col, level_col = st.columns([3, 1])
mode = url_toggle(t("Colour the map by"), MAP_MODES, "mapmode", "value", container=mode_col)
level = confidence_picker(level_col) if mode == "benchmark" else 0.95

fig, _frame, obs = map_view(indicator, period, mode, level, rate_method(), lang)
valued, national_value, national_illustrative = map_facts(indicator, period, mode, level, rate_method(), lang)
illustrative_badge(valued)
suppression_note(obs)

if mode == "benchmark":
    st.caption(t("How to read this: a region is significantly better (or worse) when its whole {level} confidence "
                 "interval lies above (or below) the national value; similar when the interval contains it. Grey: "
                 "not compared, because the value has no counts or published interval to judge it by.",
                 level=format_percent(level, lang)))
if mode == "completeness":
    count = national_count(indicator.id, period)
    if count is not None:
        st.markdown(f"**{count_text(count)}**")
    st.caption(t("How to read this: each region is coloured by what is stored for the period on the slider: a "
                 "published value, an illustrative one, a value suppressed to protect privacy, nothing (missing), "
                 "or nothing because the region was not yet formed. Hover a region for its periods."))
elif mode == "value":
    st.caption(t("The colour classes are computed over all periods of the indicator and stay the same on every "
                 "period of the slider. A region whose boundaries then differed from today's is shown as no data, "
                 "with its boundary note; its value is in the table."))
clicked = show_map(fig, key="regional_map", label=t(MAP_ALT, indicator=indicator.label(lang), period=period))
st.caption(map_summary(indicator, period, mode, level, rate_method(), lang) + " "
           + t("Every value is in the table below the map."))
period_slider(periods, period)
if mode == "value":
    labels, span = fixed_class_labels(indicator, lang)
    st.container(key="fixed_classes").caption(t("Colour classes, the same for every period {span}: {classes}",
                                                 span=span, classes="; ".join(labels)))
if mode != "completeness":  # the completeness view is a check of the data, not a figure to publish
    comparison = ("benchmark", f"ci{round(level * 100)}") if mode == "benchmark" else ()
    image_buttons(fig, indicator.label(lang), period, valued,
                  (indicator.id, period, *comparison), key="map", flag_column=("synthetic", "verdict_illustrative"))
share_box(indicator.id, period, f"{indicator.label(lang)}, {period}")

if clicked in REGION_CODES:
    st.session_state["region"] = clicked
    st.switch_page("pages/region_profile.py", query_params={"region": clicked})

if national_value is not None:
    st.metric(t("Kazakhstan") + (f" · {t('Illustrative data')}" if national_illustrative else ""),
              f"{format_number(national_value, lang, indicator.decimals)} {indicator.unit_label(lang)}",
              help=t("Illustrative value, not official statistics") if national_illustrative else None)

if mode == "completeness":
    st.header(t("Data completeness by region"))
    show_table(for_screen(completeness_table(indicator.id, period, lang), lang))
    missing_legend()
    provenance_caption(obs)
    st.stop()

st.header(t("The numbers on the map"))
table = map_table(indicator, period, mode, level, rate_method(), lang)
show_table(for_screen(table, lang, {c: indicator.decimals for c in table.columns}), decimals=indicator.decimals)
missing_legend()
download_buttons(table.rename(columns={t("Illustrative"): illustrative_column()}),
                 f"densaulyq_{indicator.id}_{period}", {
    "indicator": f"{indicator.id}: {indicator.label(lang)}", "unit": indicator.unit_label(lang), "period": period,
    "definition": indicator.definition_text(lang), "licence": indicator.licence, "note": t(ILLUSTRATIVE_ROWS_NOTE),
    "national value": t("illustrative") if national_illustrative else t("Published"),
}, key="map_table")
provenance_caption(obs)
