"""Reads by meaning (indicator, period, region) under a ``ReadPolicy``."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from analytics.suppression import suppress_small_numbers
from geo.vintages import add_vintages
from readmodel.disclosure import public_revisions, public_sources, with_disclosure_counts
from readmodel.notes import public_note
from readmodel.policy import ReadPolicy
from store import all_sources, observations_for, periods_for, with_sources
from store.revisions import revisions_for


def _suppressed(engine: Engine, policy: ReadPolicy, indicator_id: str | None, period: str | None,
                raw: pd.DataFrame | None = None) -> pd.DataFrame:
    """Public observations of whole indicator × period groups: every row that lets a reader count fewer than
    ``min_count`` people (``readmodel.disclosure.disclosure_counts``) suppressed, small denominators hidden."""
    raw = observations_for(engine, indicator_id, period) if raw is None else raw
    filled, stored = with_disclosure_counts(raw, policy)
    out = suppress_small_numbers(filled, policy.min_count, count_indicators=policy.count_indicators,
                                 exempt=policy.exempt_indicators)
    out["numerator"] = stored.where(~out["suppressed"])  # the count read for the rule is never shown
    exempt = out["indicator_id"].isin(policy.exempt_indicators)
    denominator = pd.to_numeric(out["denominator"], errors="coerce")
    out["denominator"] = denominator.where(exempt | ~(denominator < policy.min_count))
    return out


def _public_notes(obs: pd.DataFrame, srcs: pd.DataFrame) -> pd.DataFrame:
    """Notes as the public instance shows them: the suppression note of a suppressed row; an upload's note never;
    any other redacted (``readmodel.notes``)."""
    kinds = dict(zip(srcs["id"], srcs["kind"], strict=True)) if not srcs.empty else {}
    notes = [note if suppressed else public_note(note, kinds.get(source))
             for note, source, suppressed in zip(obs["note"], obs["source_id"], obs["suppressed"], strict=True)]
    return obs.assign(note=pd.Series(notes, index=obs.index, dtype=object))


def observations(engine: Engine, policy: ReadPolicy, indicator_id: str | None = None, period: str | None = None,
                 region: str | None = None) -> pd.DataFrame:
    """Observations with their source's title, URL, licence and as-of date. Under a public policy small numbers
    are suppressed (``suppressed`` column, note on the row), decided over whole indicator × period groups (the
    national total included) before filtering by region, so a region's page and the full table agree; counts a
    value and its denominator imply are suppressed like stored ones, and sources are named without persons. Every row
    carries its boundary vintage (``boundary``) and, when its territory is not today's, its ``boundary_note``."""
    srcs = sources(engine, policy)
    if not policy.public:
        return with_sources(add_vintages(observations_for(engine, indicator_id, period, region)), srcs)
    engine_obs = _suppressed(engine, policy, indicator_id, period)
    if region is not None:
        engine_obs = engine_obs[engine_obs["region"] == region].reset_index(drop=True)
    return with_sources(_public_notes(add_vintages(engine_obs), srcs), srcs)


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
    suppressed or small cell, or of a change counting fewer than ``min_count`` people, blanked in every column
    (``suppressed`` says which)."""
    history = revisions_for(engine, indicator_id, region)
    if not policy.public:
        return history
    raw = observations_for(engine, indicator_id, None)
    current = _suppressed(engine, policy, indicator_id, None, raw)
    return public_revisions(history, current, policy, raw)
