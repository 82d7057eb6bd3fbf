"""Upload data (editors, internal instance only): check a CSV or Excel table, see the validation report, then
write it — whole, or only its valid rows with the skipped rows listed."""

import hashlib
import logging

import pandas as pd
import streamlit as st

from core.i18n import N_, Message
from core.text import plain
from data_sources.importer import ImportResult, import_table
from data_sources.limits import UploadLimits
from data_sources.tables import FileRejected, excel_sheet_names
from data_sources.validation import Issue
from ui import data, language, t
from ui.context import engine
from ui.identity import editor_identity
from ui.streamlit_texts import localize_file_uploader

lang = language()
st.title(t("Upload data"))
identity = editor_identity()
if identity is None:
    st.warning(t("Uploading data needs an editor account in the internal instance. Sign in as an editor."),
               icon=":material/lock:")
    st.stop()

st.caption(t("How to use this: upload a CSV or Excel (.xlsx, .xls) table, either tidy (columns region, period, "
             "value and indicator_id) or a BNS-style table with one row per region and one column per year. "
             "Region names may be in Kazakh, Russian or English; '-', '…' and 'x' mean not published. Nothing is "
             "written until you press the write button, and a file with errors is written only if you choose to "
             "skip the bad rows."))

catalogue = data.catalogue()
upload = st.file_uploader(t("Table to import"), type=["csv", "txt", "xlsx", "xls"], key="upload_file")
localize_file_uploader("upload_file", ["csv", "txt", "xlsx", "xls"], upload)
choices = ["", *list(catalogue)]
indicator = st.selectbox(t("Indicator of the values (needed for one-column-per-year tables)"), choices,
                         format_func={i: t("Named in the file") if not i else f"{catalogue[i].label(lang)} ({i})"
                                      for i in choices}.get,
                         key="upload_indicator") or None
if upload is None:
    st.stop()

content = upload.getvalue()
sheet = None
if upload.name.lower().endswith((".xlsx", ".xls")):
    try:
        sheet = st.selectbox(t("Sheet"), excel_sheet_names(content, UploadLimits.configured()), key="upload_sheet")
    except FileRejected:
        sheet = None


def run_import(**options) -> ImportResult:
    """``import_table`` on the uploaded file; an error the importer did not foresee is logged with its traceback
    for the administrator and shown to the editor as one line naming its kind (never a traceback on the page)."""
    try:
        return import_table(content, upload.name, engine(), identity, indicator=indicator, sheet=sheet, **options)
    except Exception as exc:
        logging.getLogger("densaulyq.upload").exception("import of %r failed", upload.name)
        return ImportResult(origin=upload.name, issues=[Issue(upload.name, None, None, Message(
            N_("the file could not be checked ({error}); nothing was written"), error=exc.__class__.__name__))])


def show_file_issues(result: ImportResult) -> None:
    for issue in (i for i in result.issues if i.row is None):
        st.markdown(f"- {plain(t(issue.reason))}")


def show_report(result: ImportResult) -> None:
    cols = st.columns(4)
    cols[0].metric(t("Rows read"), result.read)
    cols[1].metric(t("Rows resolved to a region"), result.resolved)
    cols[2].metric(t("Rows rejected"), len(result.rejected_rows))
    cols[3].metric(t("Values ready to write"), len(result.valid_rows))
    if result.issues:
        st.error(t("Problems found in {file}:", file=plain(result.origin)), icon=":material/error:")
        show_file_issues(result)
        row_issues = [{t("Row"): i.row, t("Column"): i.column or "", t("Reason"): t(i.reason)}
                      for i in result.issues if i.row is not None]
        if row_issues:
            st.dataframe(pd.DataFrame(row_issues), hide_index=True)
    if result.value_column:
        st.caption(t("Values from the column {column}.", column=plain(repr(result.value_column))))
    if result.ignored:
        st.info(t("Not imported from this file:"), icon=":material/info:")
        for item in result.ignored:
            where = f"{plain(item.column)}: " if item.column else ""
            st.markdown(f"- {where}{plain(t(item.reason))}")
    if result.warnings:
        st.warning(t("These values moved far from the previous period. Check them (a thousands separator or a "
                     "unit slip?) and confirm before writing:"), icon=":material/warning:")
        st.dataframe(pd.DataFrame([{t("Row"): w.row, t("Reason"): t(w.reason)} for w in result.warnings]),
                     hide_index=True, key="upload_warnings")
    if result.planned is not None:
        st.info(t("Writing would add {added} values and change {changed}; {unchanged} are already stored unchanged.",
                  added=result.planned.added, changed=result.planned.changed, unchanged=result.planned.unchanged))


# A long table with several columns of numbers: the check names them, the editor picks one (never guessed).
digest = hashlib.sha256(content).hexdigest()
value_column = None
offered = st.session_state.get("upload_value_columns")
if offered is not None and offered[0] == (digest, upload.name, sheet):
    value_column = st.selectbox(t("Column of values to import"), offered[1], index=None,
                                placeholder=t("Choose the column"), key="upload_value_column")

# The file is checked when the user asks for it, not on every rerun a widget change causes.
checked_for = (digest, upload.name, indicator, sheet, value_column)
if st.button(t("Check the file"), key="upload_check", icon=":material/fact_check:"):
    checked = run_import(dry_run=True, only_valid=True, value_column=value_column)
    st.session_state["upload_checked"] = (checked_for, checked)
    if checked.value_columns:
        st.session_state["upload_value_columns"] = ((digest, upload.name, sheet), checked.value_columns)
        st.rerun()  # show the choice at once
stored = st.session_state.get("upload_checked")
if stored is None or stored[0] != checked_for:
    st.caption(t("Press “Check the file” to see what would be imported."))
    st.stop()
check = stored[1]
show_report(check)
if check.valid_rows.empty:
    st.warning(t("Nothing in this file can be imported."))
    st.stop()

only_valid = False
if check.issues:
    only_valid = st.checkbox(t("Import only the valid rows"), key="upload_only_valid",
                             help=t("The rows listed above are skipped; everything else is written."))
    if only_valid:
        st.caption(t("Rows that will be skipped: {rows}", rows=", ".join(map(str, check.rejected_rows))))
confirm_jumps = bool(check.warnings) and st.checkbox(t("I checked the values above; they are right"),
                                                     key="upload_confirm_jumps")

blocked = (bool(check.issues) and not only_valid) or (bool(check.warnings) and not confirm_jumps)
if st.button(t("Write to the store"), type="primary", disabled=blocked, key="upload_write"):
    result = run_import(only_valid=only_valid, confirm_jumps=confirm_jumps, value_column=value_column)
    if result.accepted and result.written is not None:
        st.session_state.pop("upload_checked", None)
        st.success(t("Written: {added} added, {changed} changed, {unchanged} unchanged.",
                     added=result.written.added, changed=result.written.changed,
                     unchanged=result.written.unchanged), icon=":material/check_circle:")
        if result.rejected_rows:
            st.caption(t("Skipped rows: {rows}", rows=", ".join(map(str, result.rejected_rows))))
    else:
        st.error(t("The file was rejected; nothing was written."))
        show_file_issues(result)
