"""Overview: national headline figures with their change, data freshness, and ways into the other pages."""

import pandas as pd
import streamlit as st

from analytics.profile import national_headlines
from catalogue import DOMAIN_NAMES, DOMAINS
from core.i18n import format_number
from ui import data, language, t
from ui.badges import stale_sources_note
from ui.tables import show_table

lang = language()
catalogue = data.catalogue()

st.title(t("Healthcare resilience in Kazakhstan"))
st.caption(t("How to read this: the latest national value of each headline indicator, with the change since the "
             "previous period. Arrows are green when the change is an improvement. Cards marked 'illustrative' "
             "show generated values, not official statistics."))

headlines = national_headlines(data.observations(), catalogue)
for domain in DOMAINS:
    rows = headlines[headlines["domain"] == domain] if not headlines.empty else headlines
    if rows.empty:
        continue
    st.subheader(t(DOMAIN_NAMES[domain]))
    cols = st.columns(3)
    for n, (_, row) in enumerate(rows.iterrows()):
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
            st.caption(f"{ind.unit_label(lang)} · {row['period']}")

st.subheader(t("Explore"))
links = st.columns(4)
links[0].page_link("pages/regional_map.py", label=t("Which regions lag? Open the map"), icon=":material/map:")
links[1].page_link("pages/region_profile.py", label=t("One region, every indicator"), icon=":material/location_city:")
links[2].page_link("pages/compare.py", label=t("Rank and compare regions"), icon=":material/compare_arrows:")
links[3].page_link("pages/data_sources.py", label=t("Sources, definitions, downloads"), icon=":material/dataset:")

st.subheader(t("Data freshness"))
sources = data.sources()
stale_sources_note(sources)
kinds = {"snapshot": t("Embedded snapshot (real published figures)"), "api": t("Fetched from an API"),
         "upload": t("Uploaded files"), "derived": t("Derived by Densaulyq"),
         "synthetic": t("Illustrative series")}
fresh = (sources.assign(kind=sources["kind"].map(kinds).fillna(sources["kind"]))
         .groupby("kind").agg(sources=("id", "count"), as_of=("as_of", "max"),
                              failed=("last_status", lambda s: int((s == "failed").sum())))
         .reset_index().rename(columns={"kind": t("Kind"), "sources": t("Sources"), "as_of": t("As of"),
                                        "failed": t("Failed last refresh")}))
show_table(fresh)
