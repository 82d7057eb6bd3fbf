"""The map's time slider: class breaks fixed across every period shown, so a change of colour is a change of value.

The breaks are computed once over the regional values of all periods (:func:`fixed_classes`); each period's regions
are then put in those classes (:func:`classes_for_period`), never re-classed per period. A value on boundaries
other than today's (a ``boundary_note`` on the row: the region then covered a different territory) is not
comparable with today's map: it takes no part in the breaks and is drawn as no data with its note.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.classes import Classes, classify
from core.periods import sort_key


def comparable(obs: pd.DataFrame) -> pd.Series:
    """Per row: a value on today's territory (not missing, no boundary note)."""
    notes = obs["boundary_note"] if "boundary_note" in obs else pd.Series(None, index=obs.index, dtype=object)
    return obs["value"].notna() & ~notes.map(lambda n: isinstance(n, str) and bool(n.strip()))


def fixed_classes(obs: pd.DataFrame, polarity: str, scheme: str = "quantiles", k: int = 5) -> Classes:
    """Class breaks over every regional, comparable value of ``obs`` (all periods of one indicator); the
    assignment holds the classes of those rows. Illustrative when any value they are computed from is."""
    regional = obs[(obs["region"] != "KZ") & comparable(obs)]
    values = pd.to_numeric(regional["value"], errors="coerce").astype(float)
    flags = regional["synthetic"].astype("boolean").fillna(False).astype(bool) if "synthetic" in regional else None
    return classify(values, polarity, scheme, k, illustrative=flags)


def fixed_classes_and_span(obs: pd.DataFrame, polarity: str, scheme: str = "quantiles", k: int = 5
                           ) -> tuple[Classes, str]:
    """:func:`fixed_classes` of every period of ``obs`` (one indicator) and the span of regional periods they cover
    ("1999–2022"), for the legend's note."""
    regional = obs.loc[obs["region"] != "KZ", "period"]
    return fixed_classes(obs, polarity, scheme, k), period_span(list(regional.unique()))


def classes_for_period(fixed: Classes, values: pd.Series) -> Classes:
    """``values`` (one period's regions) put into ``fixed``'s classes: class ``i`` holds bounds[i] < v <= bounds[i+1]
    (the lowest class includes its lower bound), as mapclassify assigns them; NaN stays -1."""
    assignment = pd.Series(-1, index=values.index, dtype=int)
    present = pd.to_numeric(values, errors="coerce").dropna().astype(float)
    if fixed.bounds and not present.empty:
        upper = np.asarray(fixed.bounds[1:], dtype=float)
        idx = np.searchsorted(upper, present.to_numpy(), side="left")
        assignment[present.index] = np.clip(idx, 0, fixed.k - 1)
    return Classes(list(fixed.bounds), list(fixed.colours), assignment, fixed.illustrative)


def period_span(periods: list[str]) -> str:
    """"1999–2022" (or the one period) for the legend's note on fixed classes."""
    ordered = sorted(periods, key=sort_key)
    if not ordered:
        return ""
    return ordered[0] if len(ordered) == 1 else f"{ordered[0]}–{ordered[-1]}"


def next_period(periods: list[str], current: str) -> str | None:
    """The period after ``current`` (None at the last); the first when ``current`` is not one of them."""
    if current not in periods:
        return periods[0] if periods else None
    i = periods.index(current)
    return periods[i + 1] if i + 1 < len(periods) else None
