"""Reads by meaning (indicator, period, region) under a ``ReadPolicy``."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from analytics.suppression import suppress_small_numbers
from geo.vintages import add_vintages
from readmodel.policy import ReadPolicy
from store import all_sources, observations_for, periods_for, with_sources


def observations(engine: Engine, policy: ReadPolicy, indicator_id: str | None = None, period: str | None = None,
                 region: str | None = None) -> pd.DataFrame:
    """Observations with their source's title, URL, licence and as-of date. Under a public policy small numbers
    are suppressed (``suppressed`` column, note on the row), decided over whole indicator × period groups (the
    national total included) before filtering by region, so a region's page and the full table agree. Every row
    carries its boundary vintage (``boundary``) and, when its territory is not today's, its ``boundary_note``."""
    engine_obs = observations_for(engine, indicator_id, period, None if policy.public else region)
    if policy.public:
        engine_obs = suppress_small_numbers(engine_obs, policy.min_count, count_indicators=policy.count_indicators,
                                            exempt=policy.exempt_indicators)
        if region is not None:
            engine_obs = engine_obs[engine_obs["region"] == region].reset_index(drop=True)
    return with_sources(add_vintages(engine_obs), all_sources(engine))


def periods(engine: Engine, indicator_id: str, regional_only: bool = False) -> list[str]:
    """Periods with data for an indicator, oldest first."""
    return periods_for(engine, indicator_id, regional_only)


def sources(engine: Engine, policy: ReadPolicy) -> pd.DataFrame:
    """Every source with its provenance and refresh state."""
    del policy  # the same columns for every reader today; the hook for public redaction
    return all_sources(engine)
