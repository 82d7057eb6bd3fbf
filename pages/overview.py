"""Overview: national headline figures with their change, data freshness, and ways into the other pages."""

import pandas as pd
import streamlit as st

from analytics.freshness import OLD_AFTER_YEARS
from catalogue import DOMAIN_NAMES, DOMAINS
from core.i18n import format_number
from ui import data, language, t
from ui.badges import stale_sources_note
from ui.tables import missing_legend, show_table

lang = language()
catalogue = data.catalogue()

st.title(t("Healthcare resilience in Kazakhstan"))
st.caption(t("How to read this: the latest national value of each headline indicator, with the change since the "
             "previous period. Arrows are green when the change is an improvement. Cards marked 'illustrative' "
             "show generated values, not official statistics."))

headlines = data.headlines()
by_domain = dict(tuple(headlines.groupby("domain", sort=False))) if not headlines.empty else {}
for domain in DOMAINS:
    rows = by_domain.get(domain)
    if rows is None or rows.empty:
        continue
    st.subheader(t(DOMAIN_NAMES[domain]))
    cols = st.columns(3)
    for n, (_idx, row) in enumerate(rows.iterrows()):
        ind = catalogue[row["indicator_id"]]
        delta = None
        if pd.notna(row["change"]):
            delta = t("{change} vs {period}", change=format_number(row["change"], lang, ind.decimals),
                      period=row["previous_period"])
        with cols[n % 3].container(border=True):
            st.markdown(f"**{ind.label(lang)}**")
            if row["illustrative"]:  # the value, or the previous value its change is measured from
                st.badge(t("Illustrative data"), icon=":material/science:", color="orange")
            st.metric(ind.label(lang), format_number(row["value"], lang, ind.decimals), delta,
                      delta_color={"higher_is_better": "normal", "lower_is_better": "inverse"}.get(
                          ind.polarity, "off"),
                      help=ind.definition_text(lang), label_visibility="collapsed")
            st.caption(t("{unit} · value for {period}", unit=ind.unit_label(lang), period=row["period"]))
            behind = int(row["years_behind"])
            if behind >= OLD_AFTER_YEARS:
                st.badge(t("Latest published value is from {period}", period=row["period"]),
                         icon=":material/history:", color="gray",
                         help=t("{n} years older than the newest headline: no later figure has been published or "
                                "loaded.", n=behind))

st.subheader(t("Explore"))
links = st.columns(2) + st.columns(2)  # two rows of two: the link texts fit without being cut
links[0].page_link("pages/regional_map.py", label=t("Which regions lag? Open the map"), icon=":material/map:")
links[1].page_link("pages/region_profile.py", label=t("One region, every indicator"), icon=":material/location_city:")
links[2].page_link("pages/compare.py", label=t("Rank and compare regions"), icon=":material/compare_arrows:")
links[3].page_link("pages/sources_and_data.py", label=t("Sources, definitions, downloads"), icon=":material/dataset:")

st.subheader(t("Data freshness"))
sources = data.sources()
stale_sources_note(sources)
st.caption(t("Per source: the latest period its figures cover, and when they were retrieved. A recent retrieval "
             "can still hold old figures."))
show_table(data.freshness_table(lang), height=320, column_config={
    t("Source"): st.column_config.TextColumn(width=370),
    t("Latest period"): st.column_config.TextColumn(width=100),
    t("Retrieved"): st.column_config.TextColumn(width=100),
    t("Kind"): st.column_config.TextColumn(width=250),
    t("Indicators"): st.column_config.NumberColumn(width=85),
})
missing_legend()
