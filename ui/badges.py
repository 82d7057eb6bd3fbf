"""Visible labels that travel with numbers: illustrative data, derived values, stale sources, as-of dates."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.i18n import N_, P_, format_date, format_percent, translate
from core.text import plain
from ui.compute import cached_result
from ui.context import language, t

ILLUSTRATIVE_HELP = N_("Some values shown here are illustrative: generated series calibrated to the few published "
                       "figures, because no official regional table is available yet. They are flagged in the data "
                       "and in every tooltip; do not cite them as official statistics.")


def illustrative_badge(df: pd.DataFrame, column: str = "synthetic") -> bool:
    """Show the 'Illustrative data' badge when any row on screen is illustrative (``column``: ``synthetic`` for
    observations, ``illustrative`` for derived rows); returns whether it was shown."""
    if column not in df:
        return False
    flags = df[column].astype("boolean").fillna(False).astype(bool)
    if not flags.any():
        return False
    share = flags.mean()
    st.badge(t("Illustrative data") + " · " + format_percent(share, language(), 0), icon=":material/science:",
             color="orange",
             help=t(ILLUSTRATIVE_HELP))
    return True


SOURCE_LINE = N_("{title} (as of {date}; {licence})")


def source_lines(df: pd.DataFrame, lang: str) -> list[str]:
    """One line per source of ``df``'s rows (its first row of each ``source_id``): title, as-of date, licence."""
    lines = []
    for _idx, src in df.drop_duplicates("source_id").iterrows():
        as_of = format_date(pd.to_datetime(src.get("source_as_of")), lang) if pd.notna(
            src.get("source_as_of")) else "?"
        lines.append(translate(SOURCE_LINE, lang, title=plain(src["source_title"], None), date=as_of,
                               licence=plain(src["source_licence"])))
    return lines


def provenance_caption(df: pd.DataFrame, shown: int = 3) -> None:
    """Under a chart or table: which sources, as of when, under which licence. Titles are never cut: the first
    ``shown`` sources are in the caption, the rest in an expander below it. The lines are built once per table
    content and language (``ui.compute.cached_result``): a page shows the same sources on every rerun."""
    if df.empty or "source_title" not in df:
        return
    parts = cached_result(source_lines, df, language())
    st.caption(t("Source") + ": " + "; ".join(parts[:shown]))
    if len(parts) > shown:
        with st.expander(t(P_("{n} more source", "{n} more sources"), n=len(parts) - shown)):
            st.caption("  \n".join(parts[shown:]))


def stale_sources_note(sources: pd.DataFrame) -> None:
    """A warning per source whose last refresh failed: the data shown is from its last good retrieval."""
    failed = sources[sources["last_status"] == "failed"]
    for _idx, src in failed.iterrows():
        as_of = format_date(pd.to_datetime(src["as_of"]), language()) if pd.notna(src["as_of"]) else "?"
        error = str(src.get("last_error") or "?")
        if error.startswith("failed"):  # the public wording, "failed: HTTP 502 at <time>"
            text = t("{source}: stale since {date} (last refresh {error})", source=plain(src["title"]), date=as_of,
                     error=plain(error))
        else:
            text = t("{source}: stale since {date} (last refresh failed: {error})", source=plain(src["title"]),
                     date=as_of, error=plain(error))
        st.warning(text, icon=":material/history:")
