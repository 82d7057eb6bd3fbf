"""Region profile: every indicator for one region against the national value, with trend, rank and CI."""

import streamlit as st

from analytics.profile import region_profile
from analytics.trends import DIRECTIONS
from catalogue import DOMAIN_NAMES, DOMAINS
from charts.spine import spine_chart
from geo import region, region_name
from ui import data, language, t
from ui.badges import illustrative_badge
from ui.downloads import download_buttons
from ui.profile_table import profile_columns, profile_download, profile_table
from ui.stats import confidence_picker, profile_stats, rate_method, suppression_note
from ui.tables import missing_legend
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
illustrative_badge(profile)
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
    st.plotly_chart(spine_chart(spine, catalogue, lang, t), key="spine_chart")
profile = profile.merge(intervals, on=["indicator_id", "period"], how="left")
profile["ci_lower"] = profile["lower"]  # the source's CI where given, else one computed from the counts
profile["ci_upper"] = profile["upper"]
profile = profile.drop(columns=["lower", "upper"])
level_text = f"{level:.1%}".replace(".0%", "%")
trend_text = {i: f"{tr.arrow} {t(DIRECTIONS[tr.direction])}" for i, tr in trends.items()}
people = profile_table(profile, catalogue, lang, trend_text, level_text)

for domain in DOMAINS:
    shown = people[profile["domain"] == domain]
    if shown.empty:
        continue
    st.markdown(f"**{t(DOMAIN_NAMES[domain])}**")
    st.dataframe(shown, hide_index=True, column_config=profile_columns(level_text))
missing_legend()

download_buttons(
    profile_download(profile, catalogue, lang, trend_text, level_text), f"densaulyq_profile_{code}",
    {"region": f"{code} {region_name(code, 'en')}",
     "note": "Rows marked Illustrative are illustrative values, not official statistics."},
    key="profile", tidy=profile.drop(columns=["trend"]).assign(region=code))
