"""Display tables built from observations, with provenance columns and the illustrative flag kept visible."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from catalogue import Indicator
from ui.context import t

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
