"""Data & sources: the catalogue with definitions, every source with its as-of date and licence, and the data
on screen as CSV or Excel."""

import pandas as pd
import streamlit as st

from catalogue import DOMAIN_NAMES
from core.i18n import N_, P_, format_date, format_datetime
from geo import ATTRIBUTION, region_name
from ui import data, language, t
from ui.badges import illustrative_badge, stale_sources_note
from ui.completeness import completeness_table, count_text, national_count
from ui.downloads import download_buttons
from ui.flags import illustrative_column
from ui.open_data import api_section
from ui.tables import MISSING, for_screen, missing_legend, show_table
from ui.widgets import indicator_picker, no_data_notice, region_picker

POLARITY_NAMES = {"higher_is_better": N_("Higher"), "lower_is_better": N_("Lower"), "none": N_("No better direction")}
FREQUENCY_NAMES = {"annual": N_("Annual"), "quarterly": N_("Quarterly")}
LEVEL_NAMES = {"regional": N_("Regions"), "national": N_("Country only")}
SOURCE_KINDS = {"snapshot": N_("Embedded snapshot"), "api": N_("API"), "upload": N_("Upload"),
                "derived": N_("Derived"), "synthetic": N_("Illustrative")}

lang = language()
catalogue = data.catalogue()

st.title(t("Data & sources"))
st.caption(t("How to read this: pick an indicator to see its definition and every observation behind the pages, "
             "with the source, retrieval date and licence of each row. The download holds exactly the rows shown."))

tab_data, tab_catalogue, tab_sources, tab_api = st.tabs([t("Data"), t("Indicator catalogue"),
                                                          t("Sources and licences"), t("API")])

with tab_data:
    left, right = st.columns([3, 2])
    indicator = indicator_picker(list(catalogue.values()), "life_expectancy_years", container=left)
    scope = right.radio(t("Regions"), ["all", "one"], horizontal=True, key="data_scope",
                        format_func={"all": t("All regions"), "one": t("One region")}.get)
    region = region_picker(include_national=True, default="KZ") if scope == "one" else None
    st.markdown(f"**{indicator.label(lang)}** ({indicator.unit_label(lang)}) — {indicator.definition_text(lang)}")
    rows = data.observations(indicator.id, region=region)
    if rows.empty and region is None:
        no_data_notice(indicator)
    illustrative_badge(rows)
    tidy = rows[["indicator_id", "region", "period", "value", "numerator", "denominator", "ci_lower", "ci_upper",
                 "synthetic", "derived", "boundary", "boundary_note", "note", "source_id", "source_title",
                 "source_url", "source_licence", "retrieved_at"]]
    numbers = {t("Value"): indicator.decimals, t("95% CI lower"): indicator.decimals,
               t("95% CI upper"): indicator.decimals, t("Numerator"): 0, t("Denominator"): 0}

    def data_table() -> tuple[pd.DataFrame, pd.DataFrame]:
        shown = pd.DataFrame({
            t("Region"): rows["region"].map(lambda c: region_name(c, lang)), t("Code"): rows["region"],
            t("Period"): rows["period"], t("Value"): rows["value"], t("Numerator"): rows["numerator"],
            t("Denominator"): rows["denominator"], t("95% CI lower"): rows["ci_lower"],
            t("95% CI upper"): rows["ci_upper"], t("Illustrative"): rows["synthetic"].astype(bool),
            t("Derived"): rows["derived"].astype("boolean").fillna(False).astype(bool),
            t("Boundaries of"): rows["boundary"], t("Boundary note"): rows["boundary_note"], t("Note"): rows["note"],
            t("Source"): rows["source_title"], t("Source link"): rows["source_url"],
            t("Licence"): rows["source_licence"], t("Retrieved"): rows["retrieved_at"],
        })
        return shown, for_screen(shown, lang, numbers, links=(t("Source link"),))

    shown, on_screen = data.view("data_table", (indicator.id, region), data_table)
    show_table(on_screen, decimals=numbers, column_config={
        t("Source link"): st.column_config.LinkColumn(),
    })
    st.caption(t(P_("{n} row", "{n} rows"), n=len(shown)))
    missing_legend()
    download_buttons(shown.rename(columns={t("Illustrative"): illustrative_column()}),
                     f"densaulyq_{indicator.id}" + (f"_{region}" if region else ""), {
        "indicator": f"{indicator.id}: {indicator.label(lang)}", "unit": indicator.unit_label(lang),
        "definition": indicator.definition_text(lang), "licence": indicator.licence,
        "region filter": f"{region} {region_name(region, lang)}" if region else t("All regions"),
        "exported_at": format_datetime(pd.Timestamp.now(tz="UTC"), lang) + " UTC",
        "note": t("Rows ticked 'Illustrative (not official statistics)' are generated values, not official "
                  "statistics. 'Boundaries of' is the set of region boundaries the row's territory follows (pre-2018, "
                  "2018, 2022)."),
    }, key="data", tidy=tidy)

    regional_periods = data.periods(indicator.id, regional_only=True)
    if regional_periods:
        st.header(t("Data completeness"))
        latest = regional_periods[-1]
        count = national_count(indicator.id, latest)
        if count is not None:
            st.markdown(f"**{count_text(count)}**")
        st.caption(t("How to read this: per region, the periods of this indicator with a published value, with an "
                     "illustrative one, suppressed to protect privacy, and missing; periods before a region was "
                     "formed are not expected of it."))
        completeness = completeness_table(indicator.id, latest, lang)
        show_table(for_screen(completeness, lang), key="completeness")
        download_buttons(completeness, f"densaulyq_{indicator.id}_completeness", {
            "indicator": f"{indicator.id}: {indicator.label(lang)}", "note": count_text(count) if count else "",
            "periods": f"{regional_periods[0]}–{latest}"}, key="completeness")

with tab_catalogue:
    def catalogue_table() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        frame = catalogue.frame(lang)
        people = pd.DataFrame({
            t("Indicator"): frame["name"], t("Domain"): frame["domain"].map(lambda d: t(DOMAIN_NAMES[d])),
            t("Unit"): frame["unit"], t("Better when"): frame["polarity"].map(lambda p: t(POLARITY_NAMES[p])),
            t("Frequency"): frame["frequency"].map(lambda f: t(FREQUENCY_NAMES[f])),
            t("Level"): frame["level"].map(lambda v: t(LEVEL_NAMES[v])), t("Definition"): frame["definition"],
            t("Source"): frame["source"], t("Licence"): frame["licence"],
        })
        return frame, people, for_screen(people, lang)

    frame, people, on_screen = data.view("catalogue_table", (), catalogue_table)
    show_table(on_screen)
    download_buttons(people, "densaulyq_indicator_catalogue", {"what": t("Densaulyq indicator catalogue")},
                     key="catalogue", tidy=frame)

with tab_sources:
    sources = data.sources()
    stale_sources_note(sources)

    def sources_table() -> tuple[pd.DataFrame, pd.DataFrame]:
        status = sources["last_status"].map({"ok": t("ok"), "failed": t("stale")}).fillna(sources["last_status"])
        listed = pd.DataFrame({
            t("Source"): sources["title"], t("Publisher"): sources["publisher"], t("Link"): sources["url"],
            t("Licence"): sources["licence"], t("Kind"): sources["kind"].map(lambda k: t(SOURCE_KINDS.get(k, k))),
            t("Retrieved"): pd.to_datetime(sources["as_of"], utc=True).map(
                lambda d: MISSING if pd.isna(d) else format_date(d, lang)),
            t("Last refresh"): pd.to_datetime(sources["last_attempt_at"], utc=True).map(
                lambda d: MISSING if pd.isna(d) else format_datetime(d, lang)),
            t("Status"): status, t("Last error"): sources["last_error"],
        })
        return listed, for_screen(listed, lang, links=(t("Link"),))

    listed, on_screen = data.view("sources_table", (), sources_table)
    show_table(on_screen, column_config={t("Link"): st.column_config.LinkColumn()})
    st.caption(t(ATTRIBUTION))
    st.caption(t("Illustrative series are generated with a fixed seed and calibrated to the published points; "
                 "they stand in only where no real regional figure exists and are flagged in every table and "
                 "tooltip."))

with tab_sources:
    st.header(t("Revision history"))
    st.caption(t("When a refresh or an upload changes a stored value, the old value, its source and the time of "
                 "the change are kept here, so a figure quoted earlier can be traced."))
    history = data.revisions()
    if history.empty:
        st.caption(t("No stored value has been revised yet."))
    else:
        titles = {i.id: i.label(lang) for i in catalogue.values()}
        known = data.sources().set_index("id")["title"]

        def source_titles(source_id):
            return known.get(source_id, source_id) if isinstance(source_id, str) else source_id

        readable = pd.DataFrame({
            t("Indicator"): history["indicator_id"].map(lambda i: titles.get(i, i)),
            t("Region"): history["region"].map(lambda c: region_name(c, lang)), t("Period"): history["period"],
            t("Old value"): history["old_value"], t("New value"): history["new_value"],
            t("Old source"): history["old_source_id"].map(source_titles),
            t("New source"): history["new_source_id"].map(source_titles), t("Changed"): history["changed_at"],
        })
        if "changed_by" in history:  # the internal instance names who changed it; the public one does not
            readable[t("Changed by")] = history["changed_by"]
        show_table(for_screen(readable, lang), key="revisions")
        download_buttons(readable, "densaulyq_revisions", {"what": t("Revisions of stored values")}, key="revisions",
                         tidy=history)

with tab_api:
    api_section(indicator.id)
