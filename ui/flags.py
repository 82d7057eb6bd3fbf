"""How illustrative status and boundary breaks read on screen and in downloads (the status itself is data, set by
``analytics``; pages only show it)."""

from __future__ import annotations

from analytics.benchmark import ILLUSTRATIVE_VERDICT
from analytics.trends import DIRECTIONS, Trend
from core.i18n import N_
from ui.context import t

ILLUSTRATIVE_COLUMN = N_("Illustrative (not official statistics)")
ILLUSTRATIVE_HELP = N_("Ticked when the number is illustrative or anything it is computed from, ranked against or "
                       "judged against is (peers, earlier periods, the national value).")


def illustrative_column() -> str:
    """Header of the flag column in tables and downloads for people."""
    return t(ILLUSTRATIVE_COLUMN)


def trend_text(trend: Trend | None) -> str:
    """"↑ Increasing", or with the illustrative notice when the points it was computed from include any."""
    if trend is None:
        return ""
    text = f"{trend.arrow} {t(DIRECTIONS[trend.direction])}"
    if trend.illustrative and trend.direction in ("increasing", "decreasing", "no_change"):
        text += f" ({t(ILLUSTRATIVE_VERDICT)})"
    return text

