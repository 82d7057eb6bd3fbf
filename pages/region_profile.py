"""Region profile: every indicator for one region against the national value, with trend, rank and CI."""

import pandas as pd
import streamlit as st

from catalogue import DOMAIN_NAMES, DOMAINS
from charts.image import period_span
from charts.spine import spine_chart
from core.i18n import format_percent
from geo import region, region_name
from ui import data, language, t
from ui.badges import illustrative_badge
from ui.chart_images import image_buttons
from ui.charts import show_chart
from ui.downloads import download_buttons
from ui.figures import cached_figure
from ui.flags import ILLUSTRATIVE_HELP, illustrative_column, trend_text
from ui.open_data import trend_share_box
from ui.profile_table import profile_download, profile_table, source_notes
from ui.stats import cached_region_profile, confidence_picker, profile_stats, rate_method, suppression_note
from ui.tables import escape_markdown, missing_legend, show_reading_table
from ui.widgets import region_picker

lang = language()
catalogue = data.catalogue()

st.title(t("Region profile"))
st.caption(t("How to read this: the latest value of every indicator for the region, the national value for the "
             "same period, and the region's rank among those reporting (1 = best; for indicators with no better "
             "direction, 1 = highest). The sparkline shows the region's series, oldest to newest."))

code = region_picker()
info = region(code)
st.header(region_name(code, lang))
kind = t("city of republican significance") if info.kind == "city" else t("oblast")
st.caption(f"{code} · {kind}")

obs = data.observations()
profile = cached_region_profile(code)
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
method = rate_method()
spine, trends, intervals = profile_stats(code, level, method)
if spine.empty:
    st.info(t("No indicator with a national value and at least three reporting regions."))
else:
    spine_fig = cached_figure(spine_chart, spine, catalogue, lang, t)
    show_chart(spine_fig, key="spine_chart")
    shown = profile.merge(spine[["indicator_id", "period"]].drop_duplicates(), on=["indicator_id", "period"])
    image_buttons(spine_fig, f"{region_name(code, lang)}: {t('Compared with Kazakhstan')}",
                  period_span(shown["period"]), shown, (code, "profile"), key="spine", flag_column="illustrative",
                  source_rows=obs[obs["region"] == code].merge(shown[["indicator_id", "period"]]))
level_text = format_percent(level, lang)


def profile_tables() -> tuple[list[tuple[str, pd.DataFrame]], pd.DataFrame, pd.DataFrame]:
    """The table of each domain, the download table and the tidy export: built once per (region, level, method,
    language, data version) in this process, not on every click."""
    merged = profile.merge(intervals, on=["indicator_id", "period"], how="left")
    merged["ci_lower"] = merged["lower"]  # the source's CI where given, else one computed from the counts
    merged["ci_upper"] = merged["upper"]
    merged = merged.drop(columns=["lower", "upper"])
    trend_labels = {i: trend_text(trend) for i, trend in trends.items()}
    merged["boundaries"] = [
        note if isinstance(note, str) else (t("Boundaries changed: series from {period}", period=start)
                                            if isinstance(start, str) else "")
        for note, start in zip(merged["boundary_note"], merged["series_from"], strict=True)]
    people = profile_table(merged, catalogue, lang, trend_labels, level_text)
    by_domain = [(domain, people[merged["domain"] == domain]) for domain in DOMAINS]
    export = merged.drop(columns=["trend", "boundaries"]).assign(region=code).rename(
        columns={"illustrative": illustrative_column(), "synthetic": "value_itself_illustrative"})
    download = profile_download(merged, catalogue, lang, trend_labels, level_text).rename(
        columns={t("Illustrative"): illustrative_column()})
    return [(domain, shown) for domain, shown in by_domain if not shown.empty], export, download


by_domain, export, download = data.view("profile_tables", (code, level, method), profile_tables)
screen_tables, notes = source_notes([shown for _domain, shown in by_domain])
for (domain, _shown), shown in zip(by_domain, screen_tables, strict=True):
    st.markdown(f"**{t(DOMAIN_NAMES[domain])}**")
    show_reading_table(shown)
st.caption("✓ " + t(ILLUSTRATIVE_HELP))
st.caption(t("Sources (the numbers in brackets after each indicator):") + "\n\n"
           + "\n".join(f"{n}. {escape_markdown(note)}" for n, note in enumerate(notes, start=1)))
missing_legend()

trend_share_box({i: catalogue[i].label(lang) for i in export["indicator_id"].drop_duplicates()}, code)
download_buttons(
    download, f"densaulyq_profile_{code}",
    {"region": f"{code} {region_name(code, lang)}",
     "note": t("Rows ticked 'Illustrative (not official statistics)' are, or are computed from, ranked against or "
               "judged against, illustrative values: not official statistics.")},
    key="profile", tidy=export)
