"""Quarterly actuals entry for editors. Each save names the version it was based on, so a colleague's save made in
the meantime is reported as a conflict instead of being overwritten; every change is kept in the audit log."""

from datetime import date

import pandas as pd
import streamlit as st

from core.access import PermissionDenied
from core.periods import period_end, quarter_range, sort_key
from kpi import Conflict, ValidationError, current_version, save_actual, stored_actuals
from kpi.plausibility import implausible
from ui import language, t
from ui.identity import current_identity
from ui.kpi import allowed_values_text, field_label, kpi_engine, kpi_reason, kpis, pillar_label, text_or_blank
from ui.tables import show_table

lang = language()
identity = current_identity()
st.title(t("Enter quarterly actuals"))
if identity is None or not identity.has("editor") or identity.mode == "public":
    st.warning(t("Entering actuals needs the editor role."))
    st.stop()

items = {k.id: k for k in kpis() if not k.indicator_id}  # linked KPIs take their actuals from the data store
if not items:
    st.info(t("No KPI takes entered actuals."))
    st.stop()
kpi_id = st.selectbox(t("KPI"), list(items), key="entry_kpi",
                      format_func={i: f"{k.name(lang)} · {pillar_label(k.pillar)}" for i, k in items.items()}.get)
kpi = items[kpi_id]
today_quarter = f"{date.today().year}Q{(date.today().month - 1) // 3 + 1}"
first = f"{kpi.baseline_date.year}Q{(kpi.baseline_date.month - 1) // 3 + 1}"
span = [q for q in quarter_range(first, f"{kpi.target_date.year}Q4")
        if kpi.in_span(q) and sort_key(q) <= sort_key(today_quarter)]
if not span:
    st.info(t("This KPI's first quarter has not started yet."))
    st.stop()
ended = [q for q in span[::-1] if period_end(q) < date.today()]
quarter = st.selectbox(t("Quarter"), span[::-1], key="entry_quarter",
                       index=span[::-1].index(ended[0]) if ended else 0)
st.caption(t("Unit: {unit}.", unit=kpi.unit_label(lang)) + " " + allowed_values_text(kpi) + " "
           + (t("Cumulative KPI: enter this quarter's amount, not the running total.")
              if kpi.aggregation == "cumulative" else t("Snapshot KPI: enter the value at quarter end.")))

engine = kpi_engine()
stored = stored_actuals(engine, kpi.id)
row = stored[stored["quarter"] == quarter]
base_key = f"entry_base_{kpi.id}_{quarter}"
if base_key not in st.session_state:  # the version this page was opened on; a save must be based on it
    st.session_state[base_key] = current_version(engine, kpi.id, quarter)
base_version = st.session_state[base_key]
flash_key = f"entry_saved_{kpi.id}_{quarter}"
if flash_key in st.session_state:  # the message of the save that triggered this rerun
    st.success(st.session_state.pop(flash_key))
if not row.empty:
    r = row.iloc[0]
    st.info(t("Saved value: {value} (version {version}, by {user}, {status}).", value=f"{r['value']:g}",
              version=int(r["version"]), user=r["updated_by"],
              status=t("published") if r["published"] else t("draft")))

with st.form("entry_form", clear_on_submit=False):
    value = st.text_input(t("Value"), value="" if row.empty else f"{row.iloc[0]['value']:g}")
    comment = st.text_area(t("Comment"), value="" if row.empty else text_or_blank(row.iloc[0]["comment"]))
    evidence = st.text_input(t("Evidence link (https://…)"),
                             value="" if row.empty else text_or_blank(row.iloc[0]["evidence_url"]))
    reason = st.text_input(t("Reason for the change (required when changing a saved value)"))
    submitted = st.form_submit_button(t("Save"), type="primary")

pending_key = f"entry_pending_{kpi.id}_{quarter}"  # an implausible value waiting for the editor's confirmation


def _doubt(text: str):
    """Why an entered value looks wrong (None when it looks plausible or is no number: saving says why)."""
    try:
        return implausible(kpi, float(text))
    except ValueError:
        return None


def _save(entry: dict[str, str]) -> None:
    try:
        version = save_actual(engine, identity, kpi.id, quarter, entry["value"], base_version,
                              comment=entry["comment"], evidence_url=entry["evidence"], reason=entry["reason"])
    except ValidationError as err:
        st.error(t("Not saved: {field} — {reason}", field=field_label(err.field), reason=kpi_reason(err.reason, kpi)))
    except Conflict as err:
        st.error(t("Not saved: someone else saved this quarter since you opened it (now version {v}). Reload to see "
                   "their value, then enter yours again.", v=err.current))
    except PermissionDenied as err:
        st.error(t("Not saved: {reason}", reason=t(err.args[0]) if err.args else str(err)))
    else:
        st.session_state.pop(pending_key, None)
        st.session_state[base_key] = version
        st.session_state[flash_key] = t("Saved as version {v} (draft until the quarter is published).", v=version)
        st.rerun()  # so the saved-value banner, the form and the table show the version just saved


if submitted:
    entry = {"value": value.strip().replace(",", "."), "comment": comment, "evidence": evidence, "reason": reason}
    st.session_state.pop(pending_key, None)
    if _doubt(entry["value"]) is not None:
        st.session_state[pending_key] = entry
    else:
        _save(entry)
pending = st.session_state.get(pending_key)
if pending is not None:
    st.warning(t("Please check this value: {reason}. Is it right?", reason=kpi_reason(_doubt(pending["value"]), kpi)),
               icon=":material/warning:")
    if st.button(t("Yes, save {value}", value=pending["value"]), key="entry_confirm", type="primary"):
        _save(pending)
if st.button(t("Reload"), key="entry_reload", icon=":material/refresh:"):
    st.session_state.pop(base_key, None)
    st.rerun()

st.header(t("Entered quarters of this KPI"))
if not stored.empty:
    stored = stored.sort_values("quarter", key=lambda s: s.map(sort_key))
    show_table(pd.DataFrame({t("Quarter"): stored["quarter"],
                             t("Quarter end"): pd.to_datetime(stored["quarter"].map(period_end)),
                             t("Value"): stored["value"], t("Version"): stored["version"],
                             t("Published"): stored["published"], t("Last changed by"): stored["updated_by"]}),
               decimals={t("Version"): 0})
