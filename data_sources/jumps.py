"""A value that moves more than a factor from the same region's previous period is probably a unit or separator
slip (thousands read as units, a rate per 1,000 entered per 10,000): the importer asks the user to confirm it."""

from __future__ import annotations

import itertools
from collections import defaultdict

import pandas as pd
from sqlalchemy import Engine, select, tuple_

from core.i18n import N_, LocalNumber, Message
from core.periods import sort_key
from data_sources.validation import Issue
from store.schema import observations


def _stored(engine: Engine, keys: set[tuple[str, str]]) -> list[tuple[str, str, str, float]]:
    key_list = sorted(keys)
    found = []
    with engine.connect() as conn:
        for start in range(0, len(key_list), 400):
            stmt = select(observations.c.indicator_id, observations.c.region, observations.c.period,
                          observations.c.value).where(
                tuple_(observations.c.indicator_id, observations.c.region).in_(key_list[start:start + 400]))
            found += [tuple(r) for r in conn.execute(stmt)]
    return found


def jump_warnings(engine: Engine, rows: pd.DataFrame, origin: str, factor: float) -> list[Issue]:
    """One warning per incoming value more than ``factor`` times above or below the previous period's value of
    the same indicator and region (stored, or earlier in the same file)."""
    if rows.empty or factor <= 1:
        return []
    series: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    incoming: dict[tuple[str, str, str], int | None] = {}
    for rec in rows.to_dict("records"):
        key = (rec["indicator_id"], rec["region"])
        incoming[(*key, rec["period"])] = int(rec["_row"]) if pd.notna(rec.get("_row")) else None
    for indicator, region, period, value in _stored(engine, {k[:2] for k in incoming}):
        series[(indicator, region)][period] = float(value)
    for rec in rows.to_dict("records"):
        series[(rec["indicator_id"], rec["region"])][rec["period"]] = float(rec["value"])  # the file's value wins
    warnings = []
    for key, values in series.items():
        ordered = sorted(values, key=sort_key)
        for before, period in itertools.pairwise(ordered):
            if (*key, period) not in incoming:
                continue
            value, previous = values[period], values[before]
            if value <= 0 or previous <= 0 or 1 / factor <= value / previous <= factor:
                continue
            times = value / previous
            values_of = {"value": f"{value:g}", "region": key[1], "period": period, "previous": f"{previous:g}",
                         "before": before}
            if times >= 1:
                reason = Message(N_("{value} for {region} {period} is {times}× the previous period's {previous} "
                                    "({before}); confirm it is right"), times=LocalNumber(round(times)), **values_of)
            else:
                reason = Message(N_("{value} for {region} {period} is 1/{times} of the previous period's {previous} "
                                    "({before}); confirm it is right"), times=LocalNumber(round(1 / times)),
                                 **values_of)
            warnings.append(Issue(origin, incoming[(*key, period)], "value", reason))
    return sorted(warnings, key=lambda w: w.row or 0)
