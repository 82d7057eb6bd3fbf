"""Healthcare resilience index: a transparent composite of screening, diagnostics, workforce and outcomes, with
editable weights, a sensitivity analysis, and the method written out (OECD/JRC Handbook, 2008)."""

import pandas as pd
import streamlit as st

from analytics.resilience import (
    DEFAULT_DOMAINS,
    DEFAULT_WEIGHTS,
    DOMAIN_LABELS,
    compute_index,
    illustrative_share,
    index_illustrative,
)
from charts.frozen import FrozenFigure
from charts.resilience import index_bars, rank_range_bars
from core.i18n import format_number
from geo import REGION_CODES, region_name
from ui import data, language, t
from ui.badges import illustrative_badge
from ui.charts import show_chart
from ui.compute import cached_result
from ui.downloads import ILLUSTRATIVE_ROWS_NOTE, download_buttons
from ui.figures import frozen
from ui.flags import illustrative_column
from ui.stats import cached_sensitivity, suppression_note
from ui.tables import for_screen, missing_legend, show_reading_table

lang = language()
catalogue = data.catalogue()
names = {c: region_name(c, lang) for c in REGION_CODES}
BETTER_WHEN = {"higher_is_better": t("higher"), "lower_is_better": t("lower")}

st.title(t("Healthcare resilience index"))
st.caption(t("How to read this: one score per region from indicators in four domains, each rescaled so that "
             "higher is always better. Move the sliders to weigh the domains differently and watch the ranking "
             "change; the rank-range bars show how much each region's place depends on the weights. The method is "
             "written out at the bottom of the page."))

indicator_ids = [i for members in DEFAULT_DOMAINS.values() for i in members if i in catalogue]
obs, table, periods_used, flags = data.index_inputs(tuple(indicator_ids))
polarities = {i: catalogue[i].polarity for i in indicator_ids}
suppression_note(obs)

st.header(t("Weights"))
st.caption(t("Default: equal weights (1) for the four domains, as the OECD/JRC handbook recommends when there is no "
             "agreed reason to favour one domain. Weights are relative: 2 counts twice as much as 1; 0 leaves the "
             "domain out."))
cols = st.columns(len(DEFAULT_DOMAINS))
WEIGHT_STEPS = [step / 2 for step in range(11)]  # 0, 0.5, … 5
weights = {}
for col, (domain, label) in zip(cols, DOMAIN_LABELS.items(), strict=True):
    # A select slider over the half steps, its values written the reader's way ("1,5" in ru/kk): st.slider's own
    # format strings are printf (always a dot) or follow the browser's locale, not the chosen language.
    weights[domain] = col.select_slider(t(label), WEIGHT_STEPS, float(DEFAULT_WEIGHTS[domain]), key=f"w_{domain}",
                                        format_func=lambda w: format_number(w, lang, 1))
method = st.radio(t("Normalisation"), ["minmax", "zscore"], horizontal=True, key="normalisation",
                  format_func={"minmax": t("Min–max (0–100)"), "zscore": t("z-score")}.get)
if sum(weights.values()) <= 0:
    st.warning(t("All weights are zero: give at least one domain a weight."))
    st.stop()

# Ranks, domain counts and the illustrative share are whole numbers; scores have one decimal.
RANKING_DECIMALS = {t("Rank"): 0, t("Domains with data"): 0, t("Illustrative share"): 0}


def scored() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, bool, list[str], FrozenFigure, FrozenFigure]:
    """Everything that follows from the weights and the normalisation, built once per choice in this process:
    the index, its ranking table (for download and for the screen), whether it is illustrative, the regions
    scored on fewer domains, the index bars and the rank ranges."""
    result = cached_result(compute_index, table, polarities, DEFAULT_DOMAINS, weights, method)
    share = illustrative_share(table, flags, DEFAULT_DOMAINS, weights).reindex(result.index).fillna(0.0)
    result["illustrative"] = index_illustrative(table, flags, DEFAULT_DOMAINS, weights).reindex(result.index)
    any_illustrative = bool(result["illustrative"].any())
    ranking = pd.DataFrame({
        t("Code"): result.index, t("Rank"): result["rank"], t("Region"): result.index.map(names),
        t("Index"): result["index"].round(1),
        **{t(DOMAIN_LABELS[d]): result[d].round(1) for d in DEFAULT_DOMAINS if d in result},
        t("Domains with data"): result["domains_used"],
        t("Illustrative share"): (share * 100).round(0),
        illustrative_column(): result["illustrative"],
    })
    incomplete = result[result["domains_used"] < len([d for d in DEFAULT_DOMAINS if d in result])]
    sens = cached_sensitivity(table, dict(polarities), {d: list(m) for d, m in DEFAULT_DOMAINS.items()},
                              dict(weights), method)
    on_screen = for_screen(ranking, lang, {c: RANKING_DECIMALS.get(c, 1) for c in ranking.columns})
    on_screen[t("Illustrative share")] = [f"{format_number(v, lang, 0)} %" for v in ranking[t("Illustrative share")]]
    return (result, ranking, on_screen, any_illustrative, [names.get(c, c) for c in incomplete.index],
            frozen(index_bars(result, names, DOMAIN_LABELS, weights, t)), frozen(rank_range_bars(sens, names, t)))


def indicators_used() -> pd.DataFrame:
    return for_screen(pd.DataFrame([{
        t("Domain"): t(DOMAIN_LABELS[d]), t("Indicator"): catalogue[i].label(lang),
        t("Period"): periods_used.get(i, "—"), t("Better when"): BETTER_WHEN.get(catalogue[i].polarity, "—"),
        t("Regions with data"): int(table[i].notna().sum()) if i in table else 0,
    } for d, members in DEFAULT_DOMAINS.items() for i in members if i in catalogue]), lang)


result, ranking, on_screen, any_illustrative, incomplete, bars, ranges = data.view(
    "resilience_index", (tuple(sorted(weights.items())), method), scored)
illustrative_badge(result, column="illustrative")
if any_illustrative:
    st.caption(t("The index includes illustrative inputs, and each region is scored against all the others, so "
                 "every index and rank here is illustrative: it demonstrates the method. The column 'Illustrative "
                 "share' gives how much of each region's own index, by weight, rests on illustrative values."))

st.header(t("Ranking"))
show_reading_table(on_screen.drop(columns=[t("Code")]),
                   decimals={c: RANKING_DECIMALS.get(c, 1) for c in on_screen.columns})
missing_legend()
if incomplete:
    st.caption(t("Scored on fewer domains (weights renormalised over the domains they have): {regions}",
                 regions=", ".join(incomplete)))
show_chart(bars, key="index_bars")

st.header(t("Sensitivity: how much do the ranks depend on the choices?"))
st.caption(t("Ranks recomputed under 500 random weightings (every weighting equally likely), with each domain left "
             "out in turn, and with the other normalisation. Long bars mean the rank depends heavily on the "
             "weights; short bars mean it is robust."))
show_chart(ranges, key="rank_ranges")

st.header(t("Indicators used"))
show_reading_table(data.view("resilience_indicators", (), indicators_used))
download_buttons(ranking, "densaulyq_resilience_index", {
    "weights": ", ".join(f"{t(DOMAIN_LABELS[d])} = {format_number(w, lang, 1)}" for d, w in weights.items()),
    "normalisation": t("Min–max (0–100)") if method == "minmax" else t("z-score"),
    "periods": ", ".join(f"{catalogue[i].label(lang)}: {p}" for i, p in periods_used.items()),
    "note": t(ILLUSTRATIVE_ROWS_NOTE),
}, key="index_download")

st.header(t("Method"))
st.markdown(t("""Built following the ten steps of the OECD/JRC *Handbook on Constructing Composite Indicators* (2008).

1. **Theoretical framework.** Resilience here means a health system's capacity to find disease early, diagnose it, \
staff its services and keep people alive. Four domains: screening coverage, diagnostic capacity, workforce, outcomes.
2. **Selection of indicators.** Regional indicators with a clear better direction: screening coverage of breast, \
cervical and colorectal cancer; CT, MRI and mammography units and hospital beds per population; physicians per \
10,000; life expectancy and cancer mortality. Each at its latest period with regional data (listed above).
3. **Missing data.** Nothing is imputed. A domain score averages the indicators a region reports; a region missing a \
whole domain is scored on the others with the weights renormalised, and is named under the ranking.
4. **Multivariate analysis.** Indicators sit in domains by meaning; within a domain they count equally so that no \
single series dominates.
5. **Normalisation.** Min–max: (value − minimum) / (maximum − minimum) × 100, reversed where lower is better, so \
0 is the weakest region and 100 the strongest. Alternatively z-scores: (value − mean) / standard deviation, sign \
reversed where lower is better.
6. **Weighting and aggregation.** Domain score = mean of its normalised indicators; index = weighted arithmetic \
mean of the domain scores. Default weights are equal; the sliders change them. Arithmetic aggregation lets a strong \
domain compensate for a weak one — read the domain columns as well as the total.
7. **Uncertainty and sensitivity.** Ranks are recomputed under 500 Dirichlet(1,1,1,1) random weightings, under \
each domain left out, and under the other normalisation; the bars show the range.
8. **Back to the data.** The domain columns and the indicator table show what drives each score.
9. **Links to other indicators.** Compare the index with any indicator on the Compare page.
10. **Presentation.** Illustrative (synthetic) inputs are flagged: this index is a demonstration of the method until \
official regional screening and equipment tables are loaded."""))
