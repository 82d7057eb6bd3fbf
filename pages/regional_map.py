"""Regional map: one indicator, one period, 20 regions; click a region to open its profile."""

import streamlit as st

from analytics.benchmark import CATEGORY_LABELS, benchmark_regions
from analytics.intervals import METHOD_LABELS
from analytics.trends import DIRECTIONS
from charts.choropleth import benchmark_choropleth, choropleth_figure, map_frame
from core.i18n import N_, format_number, format_percent
from geo import ATTRIBUTION, REGION_CODES, region_name
from ui import data, language, settings, t
from ui.badges import illustrative_badge, provenance_caption
from ui.charts import show_chart
from ui.downloads import ILLUSTRATIVE_ROWS_NOTE, download_buttons
from ui.stats import confidence_picker, map_trends, rate_method, suppression_note, url_toggle
from ui.tables import observation_table, show_table
from ui.widgets import indicator_picker, period_picker

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
MAP_MODES = {"value": N_("Value"), "benchmark": N_("Compared with Kazakhstan")}
mode_col, level_col = st.columns([3, 1])
mode = url_toggle(t("Colour the map by"), MAP_MODES, "mapmode", "value", container=mode_col)
level = confidence_picker(level_col) if mode == "benchmark" else 0.95

obs = data.observations(indicator.id, period)
names = {code: region_name(code, lang) for code in REGION_CODES}
frame = map_frame(obs, names)
illustrative_badge(frame[frame["value"].notna()])
suppression_note(obs)

if mode == "benchmark":
    compared = benchmark_regions(obs, indicator.value_type, indicator.multiplier, indicator.polarity, level,
                                 rate_method()).set_index("region")[["lower", "upper", "ci_method", "category"]]
    frame = frame.join(compared, on="region")
    frame["category"] = frame["category"].fillna("not_compared")
    st.caption(t("How to read this: a region is significantly better (or worse) when its whole {level} confidence "
                 "interval lies above (or below) the national value; similar when the interval contains it. Grey: "
                 "not compared, because the value has no counts or published interval to judge it by.",
                 level=format_percent(level, lang)))
    fig = benchmark_choropleth(frame, data.geojson(), indicator, period, lang, t, level)
else:
    fig = choropleth_figure(frame, data.geojson(), indicator, period, lang, t,
                            scheme=map_cfg.get("scheme", "quantiles"), k=int(map_cfg.get("classes", 5)))
event = show_chart(fig, key="regional_map", on_select="rerun", selection_mode="points",
                        config={"displayModeBar": False, "scrollZoom": False})
st.caption(t(ATTRIBUTION))

points = event.selection.points if event and event.selection else []
if points:
    code = points[0].get("location")
    if code in REGION_CODES:
        st.session_state["region"] = code
        st.switch_page("pages/region_profile.py", query_params={"region": code})

national = obs[obs["region"] == "KZ"]
if not national.empty:
    st.metric(t("Kazakhstan"), f"{format_number(national['value'].iloc[0], lang, indicator.decimals)} "
                               f"{indicator.unit_label(lang)}")

st.subheader(t("The numbers on the map"))
table = observation_table(frame.assign(indicator_id=indicator.id, period=period), indicator, lang)
if mode == "benchmark":
    by_region = frame.set_index("region")
    codes = table[t("Code")]
    table[t("Lower limit")] = codes.map(by_region["lower"]).round(indicator.decimals)
    table[t("Upper limit")] = codes.map(by_region["upper"]).round(indicator.decimals)
    table[t("Interval method")] = codes.map(by_region["ci_method"]).map(lambda m: t(METHOD_LABELS.get(m, m)))
    table[t("Compared with Kazakhstan")] = codes.map(lambda c: t(CATEGORY_LABELS[by_region.loc[c, "category"]]))
trends = map_trends(indicator.id, indicator.value_type, level)
table[t("Recent change")] = table[t("Code")].map(
    lambda c: f"{trends[c].arrow} {t(DIRECTIONS[trends[c].direction])}" if c in trends else "")
show_table(table, decimals=indicator.decimals)
download_buttons(table, f"densaulyq_{indicator.id}_{period}", {
    "indicator": f"{indicator.id}: {indicator.label(lang)}", "unit": indicator.unit_label(lang), "period": period,
    "definition": indicator.definition_text(lang), "licence": indicator.licence, "note": t(ILLUSTRATIVE_ROWS_NOTE),
}, key="map_table")
provenance_caption(obs)
