"""CSV and Excel downloads of exactly the table on screen, with its metadata alongside."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.exports import to_csv_bytes, to_excel_bytes
from ui.context import t


def download_buttons(df: pd.DataFrame, basename: str, metadata: dict[str, str], key: str) -> None:
    left, right = st.columns(2)
    left.download_button(t("Download CSV"), to_csv_bytes(df), f"{basename}.csv", "text/csv", key=f"{key}_csv",
                         icon=":material/download:", on_click="ignore")
    right.download_button(t("Download Excel"), to_excel_bytes(df, metadata), f"{basename}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
                          icon=":material/table:", on_click="ignore")
