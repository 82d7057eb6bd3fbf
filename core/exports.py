"""File exports: CSV (UTF-8 with BOM so Excel opens Cyrillic correctly) and Excel with a metadata sheet."""

from __future__ import annotations

import io

import pandas as pd


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_localize(None)
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    return _plain(df).to_csv(index=False).encode("utf-8-sig")


def to_excel_bytes(df: pd.DataFrame, metadata: dict[str, str],
                   names: tuple[str, str, str, str] = ("data", "about", "field", "value")) -> bytes:
    """Workbook with the data on sheet ``data`` and what it is (filters, sources, licence, as-of) on ``about``.

    ``names``: the two sheet names and the two column headers of the metadata sheet, in the reader's language."""
    data_sheet, about_sheet, field, value = names
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _plain(df).to_excel(writer, sheet_name=data_sheet[:31], index=False)
        pd.DataFrame(list(metadata.items()), columns=[field, value]).to_excel(
            writer, sheet_name=about_sheet[:31], index=False)
    return buffer.getvalue()
