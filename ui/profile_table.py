"""The region profile's table: each value with its own indicator's decimals, key columns first and sized to fit
a 1366 px wide screen, missing values as "–" (never "None")."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from catalogue import Catalogue
from core.i18n import format_number
from ui.context import t
from ui.flags import ILLUSTRATIVE_HELP
from ui.tables import MISSING


def _number(value, lang: str, decimals: int) -> str:
    return MISSING if value is None or pd.isna(value) else format_number(float(value), lang, decimals)


def _illustrative(profile: pd.DataFrame) -> pd.Series:
    """The value is, or is ranked or judged against, illustrative values (``illustrative``), else ``synthetic``."""
    return profile["illustrative" if "illustrative" in profile else "synthetic"].fillna(False).astype(bool)


def profile_table(profile: pd.DataFrame, catalogue: Catalogue, lang: str, trend_text: dict[str, str],
                  level_text: str) -> pd.DataFrame:
    """One row per indicator, with translated column names (also the headers of the people's download)."""
    decimals = profile["indicator_id"].map(lambda i: catalogue[i].decimals)
    ci = [MISSING if pd.isna(lo) or pd.isna(hi) else f"{_number(lo, lang, d)} – {_number(hi, lang, d)}"
          for lo, hi, d in zip(profile["ci_lower"], profile["ci_upper"], decimals, strict=True)]
    ranked_illustrative = profile["rank_illustrative"] if "rank_illustrative" in profile else [False] * len(profile)
    rank = [(f"{int(r)} / {n}" + (f" ({t('illustrative')})" if flag else "")) if pd.notna(r) else MISSING
            for r, n, flag in zip(profile["rank"], profile["of"], ranked_illustrative, strict=True)]
    return pd.DataFrame({
        t("Indicator"): profile["indicator_id"].map(lambda i: catalogue[i].label(lang)),
        t("Value"): [_number(v, lang, d) for v, d in zip(profile["value"], decimals, strict=True)],
        t("Kazakhstan"): [_number(v, lang, d) for v, d in zip(profile["national"], decimals, strict=True)],
        t("Unit"): profile["indicator_id"].map(lambda i: catalogue[i].unit_label(lang)),
        t("Period"): profile["period"],
        t("Rank"): rank,
        t("Trend"): profile["trend"],
        t("Recent change"): profile["indicator_id"].map(lambda i: trend_text.get(i, MISSING)),
        t("{level} CI", level=level_text): ci,
        t("Illustrative"): _illustrative(profile),
        t("Boundaries"): profile.get("boundaries", ""),
        t("Source"): profile["source_title"].fillna(MISSING),
    }, index=profile.index)


def profile_download(profile: pd.DataFrame, catalogue: Catalogue, lang: str, trend_text: dict[str, str],
                     level_text: str) -> pd.DataFrame:
    """The people's download: the screen's columns, with numbers as numbers (rounded to each indicator's decimals)
    so a spreadsheet can compute with them."""
    def rounded(column: str) -> list:
        return [None if pd.isna(v) else round(float(v), catalogue[i].decimals)
                for v, i in zip(profile[column], profile["indicator_id"], strict=True)]

    return pd.DataFrame({
        t("Indicator"): profile["indicator_id"].map(lambda i: catalogue[i].label(lang)),
        t("Value"): rounded("value"), t("Kazakhstan"): rounded("national"),
        t("Unit"): profile["indicator_id"].map(lambda i: catalogue[i].unit_label(lang)),
        t("Period"): profile["period"], t("Rank"): profile["rank"], t("Regions ranked"): profile["of"],
        t("Recent change"): profile["indicator_id"].map(lambda i: trend_text.get(i, "")),
        t("{level} CI lower", level=level_text): rounded("ci_lower"),
        t("{level} CI upper", level=level_text): rounded("ci_upper"),
        t("Illustrative"): _illustrative(profile), t("Source"): profile["source_title"],
    })


def profile_columns(level_text: str) -> dict:
    """Widths that keep indicator, value, national value, unit, period, rank and trend in view at 1366×800."""
    right = "right"
    return {
        t("Indicator"): st.column_config.TextColumn(width=270, pinned=True),
        t("Value"): st.column_config.TextColumn(width=85, alignment=right),
        t("Kazakhstan"): st.column_config.TextColumn(width=90, alignment=right),
        t("Unit"): st.column_config.TextColumn(width=140),
        t("Period"): st.column_config.TextColumn(width=65),
        t("Rank"): st.column_config.TextColumn(width=65, help=t("1 = best among the regions reporting")),
        t("Trend"): st.column_config.LineChartColumn(width=95),
        t("Recent change"): st.column_config.TextColumn(
            width=150, help=t("Chi-square test for trend on the counts of the last five periods where counts exist, "
                              "else the slope of a straight line with its interval.")),
        t("{level} CI", level=level_text): st.column_config.TextColumn(width=120),
        t("Illustrative"): st.column_config.CheckboxColumn(width=80, help=t(ILLUSTRATIVE_HELP)),
        t("Boundaries"): st.column_config.TextColumn(width=200),
        t("Source"): st.column_config.TextColumn(width="large"),
    }
