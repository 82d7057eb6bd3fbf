"""Region profile: every indicator for one region against the national value, with trend, rank and CI."""

import pandas as pd
import streamlit as st

from analytics.profile import region_profile
from catalogue import DOMAIN_NAMES, DOMAINS
from charts.spine import spine_chart
from core.i18n import format_percent
from geo import region, region_name
from ui import data, language, t
from ui.badges import illustrative_badge
from ui.charts import show_chart
from ui.downloads import ILLUSTRATIVE_ROWS_NOTE, download_buttons
from ui.flags import ILLUSTRATIVE_HELP, illustrative_column, trend_text
from ui.stats import confidence_picker, profile_stats, rate_method, suppression_note
from ui.tables import show_table
from ui.widgets import region_picker

lang = language()
catalogue = data.catalogue()

st.title(t("Region profile"))
st.caption(t("How to read this: the latest value of every indicator for the region, the national value for the "
             "same period, and the region's rank among those reporting (1 = best; for indicators with no better "
             "direction, 1 = highest). The sparkline shows the region's series, oldest to newest."))

code = region_picker()
info = region(code)
st.subheader(region_name(code, lang))
kind = t("city of republican significance") if info.kind == "city" else t("oblast")
st.caption(f"{code} · {kind}")

obs = data.observations()
profile = region_profile(obs, code, catalogue)
if profile.empty:
    st.info(t("No data for this region yet."))
    st.stop()
illustrative_badge(profile, column="illustrative")
suppression_note(obs[obs["region"] == code])

heading, picker = st.columns([3, 1])
heading.markdown("**" + t("Compared with Kazakhstan") + "**")
level = confidence_picker(picker)
st.caption(t("How to read this: each row is one indicator. The light bar spans the regions from worst (left) to best "
             "(right; for indicators with no better direction, lowest to highest), the dark bar their 25th–75th "
             "percentile, the vertical line Kazakhstan. The marker is this region, coloured by whether its "
             "confidence interval lies wholly above or below the national value; grey markers have no interval."))
spine, trends, intervals = profile_stats(code, level, rate_method())
if spine.empty:
    st.info(t("No indicator with a national value and at least three reporting regions."))
else:
    show_chart(spine_chart(spine, catalogue, lang, t), key="spine_chart")
profile = profile.merge(intervals, on=["indicator_id", "period"], how="left")
profile["ci_lower"] = profile["lower"]  # the source's CI where given, else one computed from the counts
profile["ci_upper"] = profile["upper"]
profile = profile.drop(columns=["lower", "upper"])
numeric = ["ci_lower", "ci_upper", "national"]
profile[numeric] = profile[numeric].apply(pd.to_numeric, errors="coerce")  # blank cells, not "None"
level_text = format_percent(level, lang)
profile["trend_label"] = profile["indicator_id"].map(lambda i: trend_text(trends.get(i)))
profile["boundaries"] = [
    note if isinstance(note, str) else (t("Boundaries changed: series from {period}", period=start)
                                        if isinstance(start, str) else "")
    for note, start in zip(profile["boundary_note"], profile["series_from"], strict=True)]
illustrative_rank = t("illustrative")

for domain in DOMAINS:
    rows = profile[profile["domain"] == domain]
    if rows.empty:
        continue
    st.markdown(f"**{t(DOMAIN_NAMES[domain])}**")
    table = rows.assign(
        indicator=rows["indicator_id"].map(lambda i: catalogue[i].label(lang)),
        unit=rows["indicator_id"].map(lambda i: catalogue[i].unit_label(lang)),
        rank_text=[(f"{int(r)} / {n}" + (f" ({illustrative_rank})" if flag else "")) if r == r and r is not None
                   else "—" for r, n, flag in zip(rows["rank"], rows["of"], rows["rank_illustrative"], strict=True)],
    )
    show_table(  # the flag sits next to the value, visible without scrolling at 1366 px
        table[["indicator", "period", "value", "illustrative", "ci_lower", "ci_upper", "national", "unit",
               "rank_text", "trend", "trend_label", "boundaries", "source_title"]], decimals=1,
        column_config={
            "indicator": t("Indicator"), "period": t("Period"),
            "value": st.column_config.NumberColumn(t("Value")),
            "ci_lower": st.column_config.NumberColumn(t("{level} CI lower", level=level_text)),
            "ci_upper": st.column_config.NumberColumn(t("{level} CI upper", level=level_text)),
            "national": st.column_config.NumberColumn(t("Kazakhstan")),
            "unit": t("Unit"), "rank_text": t("Rank"),
            "trend": st.column_config.LineChartColumn(t("Trend")),
            "trend_label": st.column_config.TextColumn(
                t("Recent change"), help=t("Chi-square test for trend on the counts of the last five periods where "
                                           "counts exist, else the slope of a straight line with its interval.")),
            "illustrative": st.column_config.CheckboxColumn(t("Illustrative"), help=t(ILLUSTRATIVE_HELP)),
            "boundaries": t("Boundaries"),
            "source_title": t("Source"),
        },
    )

export = profile.drop(columns=["trend", "boundaries"]).assign(region=code).rename(
    columns={"illustrative": illustrative_column(), "synthetic": "value_itself_illustrative"})
download_buttons(export, f"densaulyq_profile_{code}", {
    "region": f"{code} {region_name(code, lang)}", "note": t(ILLUSTRATIVE_ROWS_NOTE),
}, key="profile")
