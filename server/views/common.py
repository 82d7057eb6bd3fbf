"""Pieces every view shows the same way: a value cell (suppressed, missing, illustrative), the sources with their
as-of dates and licences, the illustrative and suppression notices (the embed's texts)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.i18n import format_date, format_number, format_percent, translate
from server.embed.page import as_of as latest_as_of
from server.views import texts
from share import texts as embed_texts

MISSING = "–"  # as the dashboard's tables (ui.tables.MISSING)


@dataclass(frozen=True)
class Cell:
    """A value as a table shows it: the formatted number (or why there is none) and its flags."""

    text: str
    illustrative: bool = False
    suppressed: bool = False


def flag(value: object) -> bool:
    return bool(value) if value is not None and not (isinstance(value, float) and pd.isna(value)) else False


def cell(value: object, decimals: int, lang: str, illustrative: bool = False, suppressed: bool = False) -> Cell:
    """Suppressed cells never show a number; missing ones show "–"."""
    if suppressed:
        return Cell(translate(texts.SUPPRESSED_CELL, lang), illustrative=False, suppressed=True)
    if value is None or pd.isna(value):
        return Cell(MISSING)
    return Cell(format_number(float(value), lang, decimals), illustrative=illustrative)


@dataclass(frozen=True)
class SourceItem:
    title: str
    url: str | None
    as_of: str
    licence: str


def sources(rows: pd.DataFrame, lang: str) -> list[SourceItem]:
    """Every source behind ``rows`` once, with its as-of date (as the app writes dates) and licence."""
    if rows.empty or "source_id" not in rows:
        return []
    out = []
    for _unused, src in rows[rows["source_id"].notna()].drop_duplicates("source_id").iterrows():
        when = pd.to_datetime(src.get("source_as_of"), errors="coerce")
        url = src.get("source_url")
        out.append(SourceItem(title=str(src.get("source_title") or src["source_id"]),
                              url=url if isinstance(url, str) and url.startswith(("https://", "http://")) else None,
                              as_of=format_date(when, lang) if pd.notna(when) else "?",
                              licence=str(src.get("source_licence") or "")))
    return out


def notices(rows: pd.DataFrame, shown: pd.DataFrame, lang: str, min_count: int | None) -> dict[str, str]:
    """The illustrative badge (with the share of illustrative values shown) and the suppression note, as the
    embed words them; empty strings where they do not apply."""
    badge, suppressed = "", ""
    values = shown[shown["value"].notna()] if "value" in shown else shown
    if "synthetic" in values and len(values) and values["synthetic"].astype(bool).any():
        share = values["synthetic"].astype(bool).mean()
        badge = f"⚠ {translate(embed_texts.ILLUSTRATIVE, lang)} · {format_percent(share, lang, 0)}"
    if min_count is not None and "suppressed" in rows and rows["suppressed"].fillna(False).astype(bool).any():
        suppressed = translate(embed_texts.SUPPRESSED, lang, n=min_count)
    return {"illustrative": badge, "illustrative_help": translate(embed_texts.ILLUSTRATIVE_HELP, lang),
            "suppressed": suppressed}


def as_of(rows: pd.DataFrame, lang: str) -> str:
    """"Data as of <the latest as-of date of ``rows``>"."""
    return translate(texts.AS_OF, lang, date=latest_as_of(rows, lang))
