"""A chart's text alternative: one sentence naming the highest and the lowest region and the national value.

A reader who cannot see a chart (screen reader, magnifier, a colour scale they cannot tell apart) gets what the
chart is drawn to show — who is highest, who is lowest, where Kazakhstan stands — as text next to it (WCAG 2.1
1.1.1); the chart's numbers stay in the table below it. Computed here, in the reader's language, from the same rows
the chart draws, so every page and view says it the same way. A sentence built on an illustrative value says so
(illustrative is contagious).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from core.i18n import N_, format_number, translate
from geo import NATIONAL_CODE

SUMMARY = N_("Highest: {highest} ({high}); lowest: {lowest} ({low}); Kazakhstan: {national}.")
SUMMARY_NO_NATIONAL = N_("Highest: {highest} ({high}); lowest: {lowest} ({low}); no national value.")
NO_VALUES = N_("No region has a value for this period.")
ILLUSTRATIVE_PREFIX = N_("Illustrative values")


def _names(rows: pd.DataFrame, names: Mapping[str, str]) -> str:
    return ", ".join(names.get(code, code) for code in sorted(rows["region"], key=lambda c: names.get(c, c)))


def regional_summary(rows: pd.DataFrame, names: Mapping[str, str], lang: str, decimals: int | None = None,
                     unit: str = "") -> str:
    """One sentence on ``rows`` (columns ``region``, ``value``, optionally ``synthetic``; the national row
    ``KZ`` among them or not): the highest and lowest region (all of them when tied) and the national value."""
    def fmt(value: float) -> str:
        return f"{format_number(value, lang, decimals)}{' ' + unit if unit else ''}"

    valued = rows[rows["value"].notna()]
    if decimals is not None:  # regions that read the same on the page are tied in the sentence too
        valued = valued.assign(value=valued["value"].astype(float).round(decimals))
    regions = valued[valued["region"] != NATIONAL_CODE]
    if regions.empty:
        return translate(NO_VALUES, lang)
    high, low = regions["value"].max(), regions["value"].min()
    top, bottom = regions[regions["value"] == high], regions[regions["value"] == low]
    national = valued[valued["region"] == NATIONAL_CODE]
    values = {"highest": _names(top, names), "high": fmt(high), "lowest": _names(bottom, names), "low": fmt(low)}
    if national.empty:
        sentence = translate(SUMMARY_NO_NATIONAL, lang, **values)
    else:
        sentence = translate(SUMMARY, lang, national=fmt(national["value"].iloc[0]), **values)
    used = pd.concat([top, bottom, national])
    if "synthetic" in used and used["synthetic"].astype(bool).any():
        return f"{translate(ILLUSTRATIVE_PREFIX, lang)}. {sentence}"
    return sentence
