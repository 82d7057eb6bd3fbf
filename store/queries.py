"""The few read functions pages need; they ask by meaning (indicator, period, region), never with SQL."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from core.periods import sort_key
from store.schema import observations, sources

_OBS_COLUMNS = [c for c in observations.c if c.name != "id"]


def _frame(engine: Engine, stmt) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(stmt, conn)


def observations_for(engine: Engine, indicator_id: str | None = None, period: str | None = None,
                     region: str | None = None, regions: list[str] | None = None) -> pd.DataFrame:
    """Observations filtered by any of indicator, period, one region or a list of regions."""
    stmt = select(*_OBS_COLUMNS)
    if indicator_id is not None:
        stmt = stmt.where(observations.c.indicator_id == indicator_id)
    if period is not None:
        stmt = stmt.where(observations.c.period == period)
    if region is not None:
        stmt = stmt.where(observations.c.region == region)
    if regions is not None:
        stmt = stmt.where(observations.c.region.in_(regions))
    df = _frame(engine, stmt.order_by(observations.c.indicator_id, observations.c.region, observations.c.period))
    numeric = ["value", "numerator", "denominator", "ci_lower", "ci_upper"]
    df[numeric] = df[numeric].apply(pd.to_numeric, errors="coerce")
    return df.astype({"synthetic": bool, "derived": bool})


def periods_for(engine: Engine, indicator_id: str, regional_only: bool = False) -> list[str]:
    """Periods with data for an indicator, oldest first (regional_only: periods with at least one region)."""
    stmt = select(observations.c.period).where(observations.c.indicator_id == indicator_id).distinct()
    if regional_only:
        stmt = stmt.where(observations.c.region != "KZ")
    with engine.connect() as conn:
        values = [r[0] for r in conn.execute(stmt)]
    return sorted(values, key=sort_key)


def all_sources(engine: Engine) -> pd.DataFrame:
    return _frame(engine, select(sources).order_by(sources.c.id))


def with_sources(obs: pd.DataFrame, srcs: pd.DataFrame) -> pd.DataFrame:
    """Observations with their source's title, URL and licence (for hover text, tables and exports)."""
    cols = srcs[["id", "title", "url", "licence", "as_of"]].rename(columns={
        "id": "source_id", "title": "source_title", "url": "source_url", "licence": "source_licence",
        "as_of": "source_as_of"})
    return obs.merge(cols, on="source_id", how="left")
