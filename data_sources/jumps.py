"""A value that moves more than a factor from the same region's previous period is probably a unit or separator
slip (thousands read as units, a rate per 1,000 entered per 10,000): the importer asks the user to confirm it."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from core.periods import sort_key
from data_sources.validation import Issue
from store import observations_for

_KEY = ["indicator_id", "region"]


def jump_warnings(engine: Engine, rows: pd.DataFrame, origin: str, factor: float) -> list[Issue]:
    """One warning per incoming value more than ``factor`` times above or below the previous period's value of
    the same indicator and region (stored, or earlier in the same file)."""
    if rows.empty or factor <= 1:
        return []
    incoming = rows.assign(_incoming=True)
    stored = pd.concat([observations_for(engine, ind) for ind in incoming["indicator_id"].unique()],
                       ignore_index=True)
    stored = stored.merge(incoming[_KEY].drop_duplicates(), on=_KEY)[[*_KEY, "period", "value"]]
    combined = pd.concat([incoming, stored.assign(_incoming=False)], ignore_index=True)
    combined = combined.drop_duplicates([*_KEY, "period"], keep="first")  # the file's value replaces the stored
    combined["_order"] = combined["period"].map(sort_key)
    combined = combined.sort_values([*_KEY, "_order"])
    combined["_previous"] = combined.groupby(_KEY)["value"].shift()
    combined["_previous_period"] = combined.groupby(_KEY)["period"].shift()
    checked = combined[combined["_incoming"] & combined["_previous"].notna()]
    value, previous = checked["value"].astype(float), checked["_previous"].astype(float)
    positive = (value > 0) & (previous > 0)
    ratio = (value / previous).where(positive)
    jumped = checked[(ratio > factor) | (ratio < 1 / factor)]
    warnings = []
    for _, row in jumped.iterrows():
        times = row["value"] / row["_previous"]
        size = f"{times:,.0f}× the" if times >= 1 else f"1/{1 / times:,.0f} of the"
        warnings.append(Issue(origin, int(row["_row"]) if "_row" in row and pd.notna(row["_row"]) else None,
                              "value", f"{row['value']:g} for {row['region']} {row['period']} is {size} previous "
                              f"period's {row['_previous']:g} ({row['_previous_period']}); confirm it is right"))
    return warnings
