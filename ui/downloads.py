"""CSV and Excel downloads of exactly the table on screen, with its metadata alongside.

The files are built when a reader clicks (Streamlit's deferred download data), not on every rerun of the page:
an Excel workbook of a few thousand cells costs more than the rest of a page's run.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from core.exports import to_csv_bytes, to_excel_bytes
from ui.context import t


def deferred(build: Callable[..., bytes], *args: object) -> Callable[[], bytes]:
    """The file's bytes, built only when the download is asked for (the arguments are captured now)."""
    return lambda: build(*args)


def download_buttons(df: pd.DataFrame, basename: str, metadata: dict[str, str], key: str) -> None:
    left, right = st.columns(2)
    left.download_button(t("Download CSV"), deferred(to_csv_bytes, df), f"{basename}.csv", "text/csv",
                         key=f"{key}_csv", icon=":material/download:", on_click="ignore")
    right.download_button(t("Download Excel"), deferred(to_excel_bytes, df, metadata), f"{basename}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
                          icon=":material/table:", on_click="ignore")
