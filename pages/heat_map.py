"""Heat map: the 20 regions × the featured indicators of one domain, each cell judged against Kazakhstan."""

import pandas as pd
import streamlit as st

from analytics.heatmap import SHORT_LABELS, heat_map_cells, heat_map_indicators, sorted_regions
from catalogue import DOMAIN_NAMES, DOMAINS
from core.i18n import format_percent
from geo import REGION_CODES, region_name
from ui import data, language, t
from ui.downloads import download_buttons
from ui.flags import illustrative_column
from ui.heatmap import heat_map_html, legend_html
from ui.stats import confidence_picker, rate_method
from ui.widgets import url_selectbox

lang = language()
catalogue = data.catalogue()
obs = data.observations()

st.title(t("Heat map"))
st.caption(t("How to read this: one row per region, one column per featured indicator of the chosen domain, each at "
             "its latest period with regional data. A cell says whether the region is significantly better, similar "
             "or worse than Kazakhstan (higher or lower for indicators with no better direction; above or below for "
             "complete counts, which get no test). Hatched cells are illustrative: they demonstrate the method and "
             "are not findings. Click a region to open its profile."))

with_indicators = [d for d in DOMAINS if heat_map_indicators(catalogue, d, obs)]
left, middle, right = st.columns([2, 2, 1])
# Screening coverage first: its indicators carry counts, so its cells get verdicts (outcomes mostly have none).
default_domain = "screening_coverage" if "screening_coverage" in with_indicators else next(iter(with_indicators), None)
domain = url_selectbox(t("Domain"), with_indicators, "domain", default_domain,
                       format_func=lambda d: t(DOMAIN_NAMES[d]), container=left)
if not domain:
    st.info(t("No indicator has regional data yet."))
    st.stop()
indicators = heat_map_indicators(catalogue, domain, obs)
by_id = {i.id: i for i in indicators}
sort_by = url_selectbox(t("Sort by"), ["region", *by_id], "sort", "region", container=middle,
                        format_func=lambda s: t("Region name") if s == "region" else by_id[s].label(lang))
level = confidence_picker(right)
method = rate_method()

cells = data.view("heat_map", (domain, level, method),
                  lambda: heat_map_cells(obs[obs["indicator_id"].isin(list(by_id))], indicators, level, method))
names = {code: region_name(code, lang) for code in REGION_CODES}
column = None if sort_by == "region" else sort_by
order = sorted_regions(cells, column, by_id[column].polarity if column else "none", names)

illustrative = cells["illustrative"].astype(bool)
if illustrative.any():
    st.badge(t("Illustrative data") + " · " + t("{n} of {total} cells", n=int(illustrative.sum()),
                                                 total=int((cells["category"] != "no_value").sum())),
             icon=":material/science:", color="orange",
             help=t("Hatched cells hold a value, or are judged against a national value, that is illustrative: "
                    "not official statistics."))
caption = t("{domain}: the 20 regions compared with Kazakhstan ({level} confidence)", domain=t(DOMAIN_NAMES[domain]),
            level=format_percent(level, lang))
if column:
    caption += ". " + t("Sorted by {indicator}, best first", indicator=by_id[column].label(lang))
st.html(heat_map_html(cells, indicators, order, names, lang, caption, column))
st.html(legend_html())

table = pd.DataFrame({
    t("Region"): cells["region"].map(names), t("Code"): cells["region"],
    t("Indicator"): cells["indicator_id"].map(lambda i: by_id[i].label(lang)), t("Period"): cells["period"],
    t("Value"): cells["value"], t("Kazakhstan"): cells["national"],
    t("Compared with Kazakhstan"): cells["category"].map(lambda c: t(SHORT_LABELS[c])),
    illustrative_column(): illustrative, t("Boundaries"): cells["boundary_note"].fillna(""),
})
download_buttons(table, f"densaulyq_heatmap_{domain}", {
    "what": caption,
    "note": t("Rows ticked 'Illustrative (not official statistics)' are, or are judged against, illustrative "
              "values: not official statistics."),
}, key="heat_map")
