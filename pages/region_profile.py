"""Region profile: every indicator for one region against the national value, with trend, rank and CI."""

import streamlit as st

from analytics.profile import region_profile
from catalogue import DOMAIN_NAMES, DOMAINS
from geo import region, region_name
from ui import data, language, t
from ui.badges import illustrative_badge
from ui.downloads import download_buttons
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

for domain in DOMAINS:
    rows = profile[profile["domain"] == domain]
    if rows.empty:
        continue
    st.markdown(f"**{t(DOMAIN_NAMES[domain])}**")
    table = rows.assign(
        indicator=rows["indicator_id"].map(lambda i: catalogue[i].label(lang)),
        unit=rows["indicator_id"].map(lambda i: catalogue[i].unit_label(lang)),
        rank_text=[f"{int(r)} / {n}" if r == r and r is not None else "—" for r, n in zip(rows["rank"], rows["of"],
                                                                                     strict=True)],
    )
    st.dataframe(
        table[["indicator", "period", "value", "ci_lower", "ci_upper", "national", "unit", "rank_text", "trend",
               "synthetic", "source_title"]],
        hide_index=True,
        column_config={
            "indicator": t("Indicator"), "period": t("Period"),
            "value": st.column_config.NumberColumn(t("Value"), format="%.1f"),
            "ci_lower": st.column_config.NumberColumn(t("95% CI lower"), format="%.1f"),
            "ci_upper": st.column_config.NumberColumn(t("95% CI upper"), format="%.1f"),
            "national": st.column_config.NumberColumn(t("Kazakhstan"), format="%.1f"),
            "unit": t("Unit"), "rank_text": t("Rank"),
            "trend": st.column_config.LineChartColumn(t("Trend")),
            "synthetic": st.column_config.CheckboxColumn(t("Illustrative")),
            "source_title": t("Source"),
        },
    )

export = profile.drop(columns=["trend"]).assign(region=code)
download_buttons(export, f"densaulyq_profile_{code}", {
    "region": f"{code} {region_name(code, 'en')}",
    "note": "Rows with synthetic=True are illustrative values, not official statistics.",
}, key="profile")
