"""Display tables: observations with provenance columns and the illustrative flag kept visible, and every table
shown with numbers and dates written the reader's way while columns stay numeric (and so sortable).

``st.column_config`` number formats follow printf or the browser's locale, not the app's language, so numbers are
formatted by ``core.i18n.format_number`` through a pandas Styler: Streamlit shows the Styler's display strings and
sorts on the underlying values. Streamlit computes a Styler's display strings again on every run (for a 300-row
table most of the page's rerun), so a styled table is built once per (content, language, formats) and shared by
every session of the process: ``compute_once`` makes it format its cells once and ``install_styler_memo`` makes
Streamlit serialise it once (both in ``ui.streamlit_compat``: they rely on pandas and Streamlit internals)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from catalogue import Indicator
from core.i18n import format_date, format_number
from ui.context import language, t
from ui.process_cache import SharedCache, frame_digest
from ui.streamlit_compat import compute_once, install_styler_memo, mark_shared

MISSING = "–"  # shown for a missing value in every table (legend: missing_legend)


def for_screen(df: pd.DataFrame, lang: str = "en", decimals: dict[str, int] | None = None,
               links: tuple[str, ...] = ()) -> pd.DataFrame:
    """The table as a reader sees it: missing values as "–" (the grid would write "None"), numbers of columns with
    gaps formatted (``decimals`` per column, else as they come), link columns left empty where there is no link."""
    from core.i18n import format_number

    out = df.copy()
    for column in out.columns:
        values = out[column]
        if column in links:
            out[column] = values.astype(object).where(values.notna(), "")
        elif pd.api.types.is_bool_dtype(values) or not values.isna().any():
            continue
        elif pd.api.types.is_numeric_dtype(values):
            places = (decimals or {}).get(column)
            out[column] = [MISSING if pd.isna(v) else format_number(float(v), lang, places) for v in values]
        elif values.map(lambda v: isinstance(v, (list, tuple))).any():
            continue  # sparklines
        else:
            out[column] = values.astype(object).where(values.notna(), MISSING)
    return out


def missing_legend() -> None:
    st.caption(t("– : no value (not published, not applicable, or hidden to protect privacy)."))


def observation_table(frame: pd.DataFrame, indicator: Indicator, lang: str) -> pd.DataFrame:
    """Region, value, CI, numerator/denominator, flags and source, sorted best to worst where it has a polarity."""
    ascending = indicator.polarity == "lower_is_better"
    df = frame.sort_values("value", ascending=ascending, na_position="last")
    out = pd.DataFrame({
        t("Region"): df["name"] if "name" in df else df["region"],
        t("Code"): df["region"],
        t("Period"): df["period"],
        t("Value") + f" ({indicator.unit_label(lang)})": df["value"].round(indicator.decimals),
    })
    if df["ci_lower"].notna().any():
        out[t("95% CI lower")] = df["ci_lower"].round(indicator.decimals)
        out[t("95% CI upper")] = df["ci_upper"].round(indicator.decimals)
    if df["numerator"].notna().any():
        out[t("Numerator")] = df["numerator"]
        out[t("Denominator")] = df["denominator"]
    out[t("Illustrative")] = df["synthetic"].fillna(False).astype(bool)
    out[t("Derived")] = df["derived"].astype("boolean").fillna(False).astype(bool)
    out[t("Source")] = df.get("source_title")
    out[t("Note")] = df.get("note")
    return out.reset_index(drop=True)


def _decimals_needed(values: pd.Series, most: int = 2) -> int:
    finite = pd.to_numeric(values, errors="coerce").dropna()
    for d in range(most + 1):
        if ((finite * 10**d).round(6) % 1 == 0).all():
            return d
    return most


def localized(df: pd.DataFrame, lang: str, decimals: int | Mapping[str, int] | None = None,
              skip: set[str] | frozenset[str] = frozenset()):
    """A Styler showing numbers (``12 345,6`` in ru/kk) and dates (``26 нояб. 2026 г.``) in ``lang``; the values
    underneath are untouched. ``decimals``: one number for every numeric column or per column; by default just
    as many as the column needs (at most 2)."""
    formats = {}
    for col in df.columns:
        if col in skip:
            continue
        series = df[col]
        if pd.api.types.is_bool_dtype(series) or isinstance(series.dtype, pd.BooleanDtype):
            continue
        if pd.api.types.is_numeric_dtype(series):
            d = decimals.get(col) if isinstance(decimals, Mapping) else decimals
            d = _decimals_needed(series) if d is None else d
            formats[col] = lambda v, d=d: "" if pd.isna(v) else format_number(v, lang, d)
        elif pd.api.types.is_datetime64_any_dtype(series):
            formats[col] = lambda v: "" if pd.isna(v) else format_date(v, lang)
    return df.style.format(formats) if formats else df


install_styler_memo()


STYLER_ENTRIES = 64  # styled tables kept per process (least recently used dropped first)
_STYLERS = SharedCache(STYLER_ENTRIES)


def styled(df: pd.DataFrame, lang: str, decimals: int | Mapping[str, int] | None = None,
           skip: set[str] | frozenset[str] = frozenset()) -> Styler | pd.DataFrame:
    """``localized``, built once per (content, language, formats) in this process; the result is shared: read it,
    never change it."""
    content = frame_digest(df)
    if content is None:
        return localized(df, lang, decimals, skip)
    dec_key = tuple(sorted(decimals.items())) if isinstance(decimals, Mapping) else decimals
    key = (content, lang, dec_key, tuple(sorted(skip)))

    def build() -> Styler | pd.DataFrame:
        # copy-on-write: the caller may change its own frame later, never this one; Streamlit serialises it once
        shared = mark_shared(df.copy(deep=False))
        built = localized(shared, lang, decimals, skip)
        if isinstance(built, Styler):
            compute_once(built).set_uuid(content[:12])
        return built

    return _STYLERS.get(key, build)


def show_table(df: pd.DataFrame, decimals: int | Mapping[str, int] | None = None, **kwargs):
    """``st.dataframe`` (index hidden) with numbers and dates in the reader's language, columns still sortable.
    A column given its own number format in ``column_config`` (a percentage, a progress bar) keeps it."""
    kwargs.setdefault("hide_index", True)
    own_format = {c for c, cfg in (kwargs.get("column_config") or {}).items()
                  if isinstance(cfg, dict) and (cfg.get("type_config") or {}).get("format")}
    return st.dataframe(styled(df, language(), decimals, skip=own_format), **kwargs)


CHECK = "✓"  # a ticked box in a reading table (booleans: ticked or empty)


def for_reading(df: pd.DataFrame) -> pd.DataFrame:
    """The table as a static reading table shows it: sparkline columns (lists) left out, booleans as a tick or
    nothing (never "True"/"False")."""
    keep = [c for c in df.columns if not df[c].map(lambda v: isinstance(v, (list, tuple))).any()]
    out = df.loc[:, keep].copy()
    for column in out.columns:
        if pd.api.types.is_bool_dtype(out[column]) or isinstance(out[column].dtype, pd.BooleanDtype):
            out[column] = out[column].map(lambda v: CHECK if v is True or v == True else "")  # noqa: E712
    return out


def show_reading_table(df: pd.DataFrame, decimals: int | Mapping[str, int] | None = None, styler: Any = None):
    """A table a partner reads, as ``st.table``: every cell and header wraps inside the page at 1366 px, so no text
    is cut with "…" and no column is off-screen (``st.dataframe`` draws on a canvas with fixed column widths and
    cuts what does not fit). Numbers and dates in the reader's language; not sortable (the downloads are).
    ``styler``: an already styled table (e.g. status colours) to show instead."""
    if styler is None:
        df = _uniform_flag_noted(df)
    shown = styler if styler is not None else styled(for_reading(df), language(), decimals)
    return st.table(shown, hide_index=True, border="horizontal")


def _uniform_flag_noted(df: pd.DataFrame) -> pd.DataFrame:
    """When every row is illustrative, one line above the table says so and the column of ticks goes (its long
    header would push the table past the page); when only some are, the ticks stay."""
    from ui.flags import illustrative_column

    for column in (t("Illustrative"), illustrative_column()):
        if column in df.columns and len(df) and pd.api.types.is_bool_dtype(df[column]) and df[column].all():
            st.caption(":material/science: " + t("Every row of this table is illustrative: it demonstrates the "
                                                 "method and is not official statistics."))
            return df.drop(columns=[column])
    return df


def escape_markdown(text: str) -> str:
    """``text`` shown literally by ``st.markdown``/``st.caption`` (no emphasis, links, maths or icon codes)."""
    return "".join("\\" + ch if ch in "\\`*_{}[]<>()#+-.!|~$:" else ch for ch in str(text))
