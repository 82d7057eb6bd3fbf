"""Overview: national headline figures with their change, data freshness, and ways into the other pages."""

import pandas as pd
import streamlit as st

from analytics.freshness import HEADLINE_YEARS, OLD_AFTER_YEARS
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

def headline_cards() -> list[tuple[str, list[dict]]]:
    """(domain, cards) with every text of each card, in the reader's language."""
    headlines = data.headlines()
    by_domain = dict(tuple(headlines.groupby("domain", sort=False))) if not headlines.empty else {}
    out = []
    for domain in DOMAINS:
        rows = by_domain.get(domain)
        if rows is None or rows.empty:
            continue
        cards = []
        for row in rows.to_dict("records"):
            ind = catalogue[row["indicator_id"]]
            behind = int(row["years_behind"])
            cards.append({
                "label": ind.label(lang), "value": format_number(row["value"], lang, ind.decimals),
                "delta": t("{change} vs {period}", change=format_number(row["change"], lang, ind.decimals),
                           period=row["previous_period"]) if pd.notna(row["change"]) else None,
                "delta_color": {"higher_is_better": "normal", "lower_is_better": "inverse"}.get(ind.polarity, "off"),
                "help": ind.definition_text(lang), "illustrative": bool(row["illustrative"]),
                "caption": t("{unit} · value for {period}", unit=ind.unit_label(lang), period=row["period"]),
                "old": t("Latest published value is from {period}", period=row["period"])
                if behind >= OLD_AFTER_YEARS else None,
                "old_help": t("{n} years older than the newest headline: no later figure has been published or "
                              "loaded.", n=behind),
            })
        out.append((domain, cards))
    return out


illustrative_label = t("Illustrative data")
for domain, cards in data.view("overview_cards", (), headline_cards):
    st.header(t(DOMAIN_NAMES[domain]))
    cols = st.columns(3)
    for n, card in enumerate(cards):
        with cols[n % 3].container(border=True):  # few elements per card: each costs the server a message
            title = f"**{card['label']}**"
            if card["illustrative"]:  # the value, or the previous value its change is measured from
                title += f"  \n:orange-badge[:material/science: {illustrative_label}]"
            st.markdown(title)
            st.metric(card["label"], card["value"], card["delta"], delta_color=card["delta_color"], help=card["help"],
                      label_visibility="collapsed")
            if card["old"]:
                st.caption(f"{card['caption']}  \n:material/history: {card['old']}", help=card["old_help"])
            else:
                st.caption(card["caption"])

left_out = data.headlines_left_out()
if left_out:
    st.caption(t("Headlines are the featured indicators with a national value in the {n} years up to the newest "
                 "headline period. Not shown here, as their latest national value is older: {names}.",
                 n=HEADLINE_YEARS, names="; ".join(catalogue[i].label(lang) for i in left_out)))

st.header(t("Explore"))
links = st.columns(2) + st.columns(2)  # two rows of two: the link texts fit without being cut
links[0].page_link("pages/regional_map.py", label=t("Which regions lag? Open the map"), icon=":material/map:")
links[1].page_link("pages/region_profile.py", label=t("One region, every indicator"), icon=":material/location_city:")
links[2].page_link("pages/compare.py", label=t("Rank and compare regions"), icon=":material/compare_arrows:")
links[3].page_link("pages/sources_and_data.py", label=t("Sources, definitions, downloads"), icon=":material/dataset:")

st.header(t("Data freshness"))
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
