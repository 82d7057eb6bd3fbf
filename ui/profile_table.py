"""The region profile's table: each value with its own indicator's decimals, key columns first, whole on a
1366 px wide screen (sources as numbered notes), missing values as "–" (never "None")."""

from __future__ import annotations

import pandas as pd

from catalogue import Catalogue
from core.i18n import format_number
from ui.context import t
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
    # A rank among illustrative peers is ticked in the row's "Illustrative" column (``_illustrative``), not spelt
    # out in the cell: "12 / 20 (illustrative)" made the column too wide for the table to fit a 1366 px page.
    rank = [f"{int(r)}\u00a0/\u00a0{n}" if pd.notna(r) else MISSING  # "11 / 13" never breaks in a narrow column
            for r, n in zip(profile["rank"], profile["of"], strict=True)]
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


def source_notes(tables: list[pd.DataFrame]) -> tuple[list[pd.DataFrame], list[str]]:
    """The screen's tables with the source (and a boundary change) as a note number after the indicator's name, and
    the notes, numbered once across ``tables``: a column of long titles would push the table off a 1366 px page."""
    notes: dict[str, int] = {}
    out = []
    for table in tables:
        numbers = []
        for source, boundary in zip(table[t("Source")], table[t("Boundaries")], strict=True):
            text = str(source) + (f". {boundary}" if isinstance(boundary, str) and boundary else "")
            numbers.append(str(notes.setdefault(text, len(notes) + 1)))
        named = [f"{name} [{number}]" for name, number in zip(table[t("Indicator")], numbers, strict=True)]
        out.append(table.drop(columns=[t("Boundaries"), t("Source")]).assign(**{t("Indicator"): named}))
    return out, list(notes)


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
