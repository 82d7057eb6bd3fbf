"""Compare: rank the regions on one indicator, follow chosen regions over time, and relate two indicators."""

from urllib.parse import urlencode

import streamlit as st

from analytics.former import former_boundaries
from analytics.pairs import Pair, latest_pair
from analytics.summary import regional_summary
from charts.compare import ranking_bar, scatter_two, trend_lines
from charts.frozen import FrozenFigure
from charts.image import period_span
from geo import REGION_CODES, region_name
from ui import data, language, settings, t
from ui.badges import illustrative_badge, provenance_caption
from ui.chart_images import image_buttons
from ui.charts import show_chart
from ui.figures import cached_figure, frozen
from ui.open_data import view_share_box
from ui.widgets import indicator_picker, period_picker, stop_without_data, url_multiselect

lang = language()
catalogue = data.catalogue()
regional = catalogue.select(level="regional")
names = {c: region_name(c, lang) for c in REGION_CODES}

st.title(t("Compare regions"))
st.caption(t("How to read this: the first chart ranks the regions on the chosen indicator (best first), as bars, or "
             "as dots for averages such as life expectancy, where zero is no baseline; the dashed line is Kazakhstan. "
             "Below, chosen regions over time, and the 20 regions on two indicators at once."))

left, right = st.columns([3, 1])
indicator = indicator_picker(regional, settings().default_indicator, container=left)
periods = data.periods(indicator.id, regional_only=True)
period = period_picker(periods, container=right)
stop_without_data(indicator, periods)
obs = data.observations(indicator.id)
current = obs[obs["period"] == period]
illustrative_badge(current)
if current.loc[current["region"] != "KZ", "synthetic"].astype(bool).any():
    st.caption(t("This ranking includes illustrative values, so every place in it is illustrative: it demonstrates "
                 "the method, it is not a finding."))
ranking = cached_figure(ranking_bar, current, indicator, names, lang, t)
show_chart(ranking, key="ranking")
image_buttons(ranking, indicator.label(lang), period, current, (indicator.id, period, "ranking"), key="ranking")
st.caption(regional_summary(current, names, lang, indicator.decimals, indicator.unit_label(lang)))
st.page_link("pages/regional_map.py", label=t("These values as a table: the regional map"), icon=":material/table:",
             query_params={"indicator": indicator.id, "period": period, "lang": lang})
provenance_caption(current)
view_share_box("comparison", f"indicator/{indicator.id}?" + urlencode({"period": period, "lang": lang}),
               "compare_share_box")

st.header(t("Over time"))
chosen = url_multiselect(t("Regions"), sorted(REGION_CODES, key=names.get), "regions",
                         default=["KZ-71", "KZ-75", "KZ-79"], format_func=names.get)
former = st.toggle(t("Former boundaries (re-aggregated)"), key="former_boundaries",
                   help=t("Sum the regions that split off after 2018 and 2022 back into their former region, so a "
                          "series on the old territory continues unbroken. Counts only, and rates whose numerator "
                          "and denominator are known."))


def over_time() -> tuple[FrozenFigure, str]:
    """The chosen regions' lines and how the former-boundaries switch was honoured ("", "cannot" or "done")."""
    series, line_names, outcome = obs, names, ""
    if former:
        series = former_boundaries(obs, indicator.value_type, indicator.multiplier)
        if series.empty:
            series, outcome = obs, "cannot"
        else:
            marked = set(series.loc[series["reaggregated"].astype(bool), "region"])
            suffix = " (" + t("former boundaries, re-aggregated") + ")"
            line_names = {c: names[c] + (suffix if c in marked else "") for c in names}
            outcome = "done"
    return frozen(trend_lines(series, chosen, indicator, line_names, lang, t)), outcome


trends, outcome = data.view("compare_trends", (indicator.id, tuple(chosen), former), over_time)
if outcome == "cannot":
    st.info(t("This indicator cannot be re-aggregated: it is neither a count nor a rate with known counts."))
elif outcome == "done":
    st.caption(t("Re-aggregated view: after each split, the former region is the sum of its successors "
                 "(East Kazakhstan + Abai, Almaty Region + Jetisu, Karaganda + Ulytau, Turkistan + Shymkent)."))
show_chart(trends, key="trends")
trend_rows = obs[obs["region"].isin([*chosen, "KZ"])]  # the lines drawn: the chosen regions and Kazakhstan
image_buttons(trends, indicator.label(lang), period_span(trend_rows["period"]), trend_rows,
              (indicator.id, "trends"), key="trends")

st.header(t("Two indicators"))
a, b = st.columns(2)
x_ind = indicator_picker(regional, "physicians_per_10k", key="x", label=t("Horizontal axis"), container=a)
y_ind = indicator_picker(regional, "life_expectancy_years", key="y", label=t("Vertical axis"), container=b)


def two_indicators() -> tuple[FrozenFigure, Pair, bool]:
    """The scatter of the pair at their latest periods, the pair, and whether some points go unlabelled."""
    pair = latest_pair(data.observations(x_ind.id), data.observations(y_ind.id))
    scatter = scatter_two(pair, x_ind, y_ind, names, lang, t)
    crowded = any(not label for trace in scatter.data for label in trace.text)
    return frozen(scatter), pair, crowded


scatter, pair, crowded = data.view("compare_scatter", (x_ind.id, y_ind.id), two_indicators)
if pair.both.empty:
    st.info(t("No region has values of both indicators at their latest periods: choose another pair."))
show_chart(scatter, key="scatter")
if crowded:
    st.caption(t("Where points crowd, a region's name is shown when you point at it."))
for missing, ind, period in ((pair.missing_x, x_ind, pair.x_period), (pair.missing_y, y_ind, pair.y_period)):
    if missing:
        st.caption(t("Not on the plot: {regions} (no value of {indicator} for {period}).",
                     regions=", ".join(names[c] for c in missing), indicator=ind.label(lang),
                     period=period or t("any period")))
