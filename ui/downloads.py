"""CSV and Excel downloads of exactly the table on screen, with its metadata alongside, in the reader's language
(the table's headers are already translated; the metadata sheet's field names and the sheet names are too).

The files are built when a reader clicks (Streamlit's deferred download data), not on every rerun of the page:
an Excel workbook of a few thousand cells costs more than the rest of a page's run.
"""

from __future__ import annotations

from collections.abc import Callable

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
    "columns": N_("Columns"), "language": N_("Language"), "national value": N_("National value"),
    "units_needed_total": N_("Units needed in total"), "weights": N_("Weights"),
    "normalisation": N_("Normalisation"), "periods": N_("Periods used"),
}
SHEETS = (N_("data"), N_("about"), N_("field"), N_("value"))
ILLUSTRATIVE_ROWS_NOTE = N_("Rows marked “Illustrative” hold illustrative values, not official statistics.")
SYNTHETIC_ROWS_NOTE = N_("Rows with synthetic = True hold illustrative values, not official statistics.")

TIDY_HELP = N_("The same rows as tidy data for reuse: one column per field, with machine ids (indicator_id, region "
               "codes, ci_lower …) as column names and values in full precision. The column names are explained in "
               "the project's `docs/data.md`.")

def deferred(build: Callable[..., bytes], *args: object) -> Callable[[], bytes]:
    """The file's bytes, built only when the download is asked for (the arguments are captured now)."""
    return lambda: build(*args)


def download_buttons(df: pd.DataFrame, basename: str, metadata: dict[str, str], key: str,
                     tidy: pd.DataFrame | None = None) -> None:
    """CSV and Excel of the table as people read it (human column names); with ``tidy``, also the tidy CSV with
    machine ids, for reuse in code. Files are built only when a button is pressed. Metadata keys are field ids
    (every one a page passes must be in ``METADATA_FIELDS``, so the field name is translated); their values should
    already be in the reader's language."""
    meta = {t(METADATA_FIELDS.get(k, k)): v for k, v in metadata.items()}
    meta[t("Language")] = language()
    sheets = tuple(t(s) for s in SHEETS)
    left, right, *extra = st.columns(3 if tidy is not None else 2)
    # The people's CSV in the reader's number style (12,5 and ";" in ru/kk, yes/no in the language); the tidy CSV
    # below stays machine-readable.
    left.download_button(t("Download CSV"), deferred(to_csv_bytes, df, language()), f"{basename}.csv", "text/csv",
                         key=f"{key}_csv", icon=":material/download:", on_click="ignore")
    right.download_button(t("Download Excel"), deferred(to_excel_bytes, df, meta, sheets), f"{basename}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
                          icon=":material/table:", on_click="ignore")
    if tidy is not None:
        extra[0].download_button(t("Tidy data (CSV)"), deferred(to_csv_bytes, tidy), f"{basename}_tidy.csv", "text/csv",
                                 key=f"{key}_tidy", icon=":material/data_object:", on_click="ignore",
                                 help=t(TIDY_HELP))
