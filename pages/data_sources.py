"""Data & sources: the catalogue with definitions, every source with its as-of date and licence, and the data
on screen as CSV or Excel."""

import pandas as pd
import streamlit as st

from catalogue import DOMAIN_NAMES
from core.i18n import P_
from geo import ATTRIBUTION, region_name
from ui import data, language, t
from ui.badges import illustrative_badge, stale_sources_note
from ui.downloads import SYNTHETIC_ROWS_NOTE, download_buttons
from ui.fields import field_legend, labels, translated_codes
from ui.flags import illustrative_column
from ui.open_data import api_section
from ui.tables import show_table
from ui.widgets import indicator_picker, region_picker

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
    illustrative_badge(rows)
    shown = rows.assign(region_name=rows["region"].map(lambda c: region_name(c, lang)))[[
        "region", "region_name", "period", "value", "numerator", "denominator", "ci_lower", "ci_upper", "synthetic",
        "derived", "boundary", "boundary_note", "note", "source_title", "source_url", "source_licence",
        "retrieved_at"]]
    show_table(shown, decimals={"value": indicator.decimals, "ci_lower": indicator.decimals,
                                "ci_upper": indicator.decimals}, column_config=labels(
        shown, source_url=st.column_config.LinkColumn(t("Source link")),
        synthetic=st.column_config.CheckboxColumn(t("Illustrative")),
        derived=st.column_config.CheckboxColumn(t("Derived")),
        boundary=t("Boundaries of"), boundary_note=t("Boundary note")))
    st.caption(t(P_("{n} row", "{n} rows"), n=len(shown)))
    download_buttons(shown.rename(columns={"synthetic": illustrative_column()}),
                     f"densaulyq_{indicator.id}" + (f"_{region}" if region else ""), {
        "indicator": f"{indicator.id}: {indicator.label(lang)}", "unit": indicator.unit_label(lang),
        "definition": indicator.definition_text(lang), "licence": indicator.licence,
        "region filter": f"{region} {region_name(region, lang)}" if region else t("All regions"),
        "exported_at": pd.Timestamp.now(tz="UTC").isoformat(), "note": t(SYNTHETIC_ROWS_NOTE),
        "columns": field_legend(shown),
    }, key="data")

with tab_catalogue:
    frame = catalogue.frame(lang)
    frame["domain"] = frame["domain"].map(lambda d: t(DOMAIN_NAMES[d]) if d in DOMAIN_NAMES else d)
    for column in ("polarity", "frequency", "level", "value_type"):
        frame[column] = translated_codes(frame[column])
    on_screen = frame[["id", "name", "domain", "unit", "polarity", "frequency", "level", "definition", "source",
                       "licence"]]
    show_table(on_screen, column_config=labels(on_screen))
    download_buttons(frame, "densaulyq_indicator_catalogue", {"what": t("Densaulyq indicator catalogue"),
                                                              "columns": field_legend(frame)}, key="catalogue")

with tab_sources:
    sources = data.sources()
    stale_sources_note(sources)
    status = sources["last_status"].map({"ok": t("ok"), "failed": t("stale")}).fillna(sources["last_status"])
    listed = sources.assign(status=status, kind=translated_codes(sources["kind"]))[[
        "id", "title", "publisher", "url", "licence", "kind", "as_of", "last_attempt_at", "status", "last_error"]]
    show_table(listed, column_config=labels(listed, url=st.column_config.LinkColumn(t("Link"))))
    st.caption(t(ATTRIBUTION))
    st.caption(t("Illustrative series are generated with a fixed seed and calibrated to the published points; "
                 "they stand in only where no real regional figure exists and are flagged in every table and "
                 "tooltip."))

with tab_sources:
    st.subheader(t("Revision history"))
    st.caption(t("When a refresh or an upload changes a stored value, the old value, its source and the time of "
                 "the change are kept here, so a figure quoted earlier can be traced."))
    history = data.revisions()
    if history.empty:
        st.caption(t("No stored value has been revised yet."))
    else:
        shown_history = history.drop(columns=["id"])
        show_table(shown_history, key="revisions", column_config=labels(shown_history))
        download_buttons(history, "densaulyq_revisions", {"what": t("Revisions of stored values"),
                                                          "columns": field_legend(history)}, key="revisions")

with tab_api:
    api_section(indicator.id)
