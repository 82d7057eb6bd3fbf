"""Reads by meaning (indicator, period, region) under a ``ReadPolicy``."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from analytics.suppression import suppress_small_numbers
from geo.vintages import add_vintages
from readmodel.disclosure import public_revisions, public_sources, with_implied_numerators
from readmodel.policy import ReadPolicy
from store import all_sources, observations_for, periods_for, with_sources
from store.revisions import revisions_for


def _suppressed(engine: Engine, policy: ReadPolicy, indicator_id: str | None, period: str | None) -> pd.DataFrame:
    """Public observations of whole indicator × period groups, small counts (stored or implied) suppressed."""
    raw = observations_for(engine, indicator_id, period)
    filled, implied = with_implied_numerators(raw, policy)
    out = suppress_small_numbers(filled, policy.min_count, count_indicators=policy.count_indicators,
                                 exempt=policy.exempt_indicators)
    out.loc[implied, "numerator"] = float("nan")  # an implied count is used for the rule, never shown
    return out


def observations(engine: Engine, policy: ReadPolicy, indicator_id: str | None = None, period: str | None = None,
                 region: str | None = None) -> pd.DataFrame:
    """Observations with their source's title, URL, licence and as-of date. Under a public policy small numbers
    are suppressed (``suppressed`` column, note on the row), decided over whole indicator × period groups (the
    national total included) before filtering by region, so a region's page and the full table agree; counts a
    value and its denominator imply are suppressed like stored ones, and sources are named without persons. Every row
    carries its boundary vintage (``boundary``) and, when its territory is not today's, its ``boundary_note``."""
    if policy.public:
        engine_obs = _suppressed(engine, policy, indicator_id, period)
        if region is not None:
            engine_obs = engine_obs[engine_obs["region"] == region].reset_index(drop=True)
    else:
        engine_obs = observations_for(engine, indicator_id, period, region)
    return with_sources(add_vintages(engine_obs), sources(engine, policy))


def periods(engine: Engine, indicator_id: str, regional_only: bool = False) -> list[str]:
    """Periods with data for an indicator, oldest first."""
    return periods_for(engine, indicator_id, regional_only)


def sources(engine: Engine, policy: ReadPolicy) -> pd.DataFrame:
    """Every source with its provenance and refresh state (public: uploads by organisation, errors as status)."""
    srcs = all_sources(engine)
    return public_sources(srcs, policy) if policy.public else srcs


def revisions(engine: Engine, policy: ReadPolicy, indicator_id: str | None = None,
              region: str | None = None) -> pd.DataFrame:
    """The revision history, newest first. Public: no user names, no old numerators, and the values of a
    suppressed or small cell blanked in every column (``suppressed`` says which)."""
    history = revisions_for(engine, indicator_id, region)
    if not policy.public:
        return history
    current = _suppressed(engine, policy, indicator_id, None)
    return public_revisions(history, current, policy)
