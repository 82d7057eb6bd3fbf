"""File exports: CSV (UTF-8 with BOM so Excel opens Cyrillic correctly) and Excel with a metadata sheet.

Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return, after any bidi
control characters; OWASP CSV-injection guidance) are written with a leading apostrophe, in every export; the
stored text stays as it was.
"""

from __future__ import annotations

import io

import pandas as pd
from babel.numbers import get_decimal_symbol

from core.config import LANGUAGES
from core.i18n import N_, translate
from core.text import BIDI_CONTROLS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that would start a formula, prefixed with ' so it stays text; anything else unchanged. Leading
    bidi controls are read through (``\u2066=1+1`` is a formula behind an invisible character)."""
    if isinstance(value, str) and value.lstrip(BIDI_CONTROLS).startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_localize(None)
        elif not pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].map(neutralise).astype(object)
    return out


YES, NO = N_("Yes"), N_("No")


def to_csv_bytes(df: pd.DataFrame, lang: str | None = None) -> bytes:
    """The CSV; without ``lang`` machine-readable (dot decimals, True/False: the tidy CSV). With ``lang`` (the
    people's CSV) as a spreadsheet of that language reads it: its decimal separator (``12,5`` in Russian and Kazakh,
    then ``;`` between fields, as those spreadsheets expect) and yes/no in the language for ticked columns."""
    out = _plain(df)
    if lang is None:
        return out.to_csv(index=False).encode("utf-8-sig")
    decimal = get_decimal_symbol(lang if lang in LANGUAGES else "en")
    yes, no = translate(YES, lang), translate(NO, lang)
    for col in out.columns:
        if pd.api.types.is_bool_dtype(out[col]) or isinstance(out[col].dtype, pd.BooleanDtype):
            out[col] = out[col].map(lambda v: "" if pd.isna(v) else (yes if v else no)).astype(object)
        elif out[col].dtype == object and out[col].map(lambda v: isinstance(v, bool)).any():
            out[col] = out[col].map(lambda v: (yes if v else no) if isinstance(v, bool) else v)
    separator = ";" if decimal == "," else ","
    return out.to_csv(index=False, sep=separator, decimal=decimal).encode("utf-8-sig")


def to_excel_bytes(df: pd.DataFrame, metadata: dict[str, str],
                   names: tuple[str, str, str, str] = ("data", "about", "field", "value")) -> bytes:
    """Workbook with the data on sheet ``data`` and what it is (filters, sources, licence, as-of) on ``about``.

    ``names``: the two sheet names and the two column headers of the metadata sheet, in the reader's language."""
    data_sheet, about_sheet, field, value = names
    buffer = io.BytesIO()
    about = pd.DataFrame(list(metadata.items()), columns=[field, value])
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _plain(df).to_excel(writer, sheet_name=data_sheet[:31], index=False)
        _plain(about).to_excel(writer, sheet_name=about_sheet[:31], index=False)
    return buffer.getvalue()
