"""CSV and Excel downloads of exactly the table on screen, with its metadata alongside, in the reader's language
(the table's headers are already translated; the metadata sheet's field names and the sheet names are too)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.exports import to_csv_bytes, to_excel_bytes
from core.i18n import N_
from ui.context import language, t

# Metadata fields pages pass (keys), with their English label (a msgid, translated when the file is built).
METADATA_FIELDS = {
    "indicator": N_("Indicator"), "unit": N_("Unit"), "period": N_("Period"), "definition": N_("Definition"),
    "licence": N_("Licence"), "note": N_("Note"), "region": N_("Region"), "region filter": N_("Region filter"),
    "exported_at": N_("Exported at"), "what": N_("Contents"), "reference": N_("Reference level"),
    "reference_rate": N_("Reference rate"), "target": N_("National value"), "method": N_("Method"),
    "columns": N_("Columns"), "language": N_("Language"),
}
SHEETS = (N_("data"), N_("about"), N_("field"), N_("value"))
ILLUSTRATIVE_ROWS_NOTE = N_("Rows marked “Illustrative” hold illustrative values, not official statistics.")
SYNTHETIC_ROWS_NOTE = N_("Rows with synthetic = True hold illustrative values, not official statistics.")


def download_buttons(df: pd.DataFrame, basename: str, metadata: dict[str, str], key: str) -> None:
    """Two buttons: the table as CSV, and as Excel with a second sheet saying what it is. Metadata keys are field
    ids (see ``METADATA_FIELDS``); their values should already be in the reader's language."""
    meta = {t(METADATA_FIELDS.get(k, k)): v for k, v in metadata.items()}
    meta[t("Language")] = language()
    sheets = tuple(t(s) for s in SHEETS)
    left, right = st.columns(2)
    left.download_button(t("Download CSV"), to_csv_bytes(df), f"{basename}.csv", "text/csv", key=f"{key}_csv",
                         icon=":material/download:", on_click="ignore")
    right.download_button(t("Download Excel"), to_excel_bytes(df, meta, sheets), f"{basename}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
                          icon=":material/table:", on_click="ignore")
