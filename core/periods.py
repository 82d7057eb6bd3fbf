"""Periods are a year (``2024``) or a quarter (``2024Q3``)."""

from __future__ import annotations

import re
from datetime import date

PERIOD_PATTERN = re.compile(r"^(?P<year>(19|20)\d\d)(Q(?P<quarter>[1-4]))?$")


def is_period(text: str) -> bool:
    return bool(PERIOD_PATTERN.match(str(text)))


def parse_period(text: str) -> tuple[int, int | None]:
    """(year, quarter or None); ValueError naming the text when it is not a period."""
    m = PERIOD_PATTERN.match(str(text).strip())
    if not m:
        raise ValueError(f"{text!r} is not a period (expected a year like 2024 or a quarter like 2024Q3)")
    return int(m["year"]), int(m["quarter"]) if m["quarter"] else None


def period_end(text: str) -> date:
    """Last day of the period: the date a value 'as of' this period refers to on a time axis."""
    year, quarter = parse_period(text)
    if quarter is None:
        return date(year, 12, 31)
    month = quarter * 3
    return date(year, month, 30 if month in (6, 9) else 31)


def sort_key(text: str) -> tuple[int, int]:
    year, quarter = parse_period(text)
    return year, quarter or 4


def previous_period(text: str) -> str:
    year, quarter = parse_period(text)
    if quarter is None:
        return str(year - 1)
    return f"{year - 1}Q4" if quarter == 1 else f"{year}Q{quarter - 1}"


def quarter_range(start: str, end: str) -> list[str]:
    """Quarters from ``start`` to ``end`` inclusive: ``quarter_range("2024Q3", "2025Q1")``."""
    (y, q), (y_end, q_end) = parse_period(start), parse_period(end)
    if q is None or q_end is None:
        raise ValueError("quarter_range needs quarters, e.g. 2024Q3")
    out = []
    while (y, q) <= (y_end, q_end):
        out.append(f"{y}Q{q}")
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out
