"""Refresh: fetch each configured source, validate, write in one transaction per source, record the outcome.

A source that fails (network, HTTP status, malformed reply, every row rejected) leaves its observations as they
were; only its ``sources`` row records the attempt, so the pages show it as stale since its last good as-of.
Nothing here is called while a page renders: the CLI (``python -m data_sources refresh``) runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType

import pandas as pd
from sqlalchemy import Engine, select

from catalogue import Catalogue, load_catalogue
from core.access import Identity, require
from core.config import Settings
from data_sources import egov, who_gho, worldbank
from data_sources.http import HttpClient, HttpSettings, SourceError
from data_sources.validation import Issue, validate
from store.revisions import WriteSummary, preview_changes, record_failure, write_observations
from store.schema import sources

CONNECTORS: dict[str, ModuleType] = {"worldbank": worldbank, "who_gho": who_gho, "egov": egov}


@dataclass
class Outcome:
    """What happened to one source in a refresh run."""

    name: str
    status: str  # ok | failed | skipped
    summary: WriteSummary = field(default_factory=WriteSummary)
    fetched: int = 0
    rejected: int = 0
    issues: list[Issue] = field(default_factory=list)
    error: str | None = None
    stale_since: datetime | None = None  # as-of of the last good retrieval, when this run failed
    requests: int = 0

    def line(self) -> str:
        counts = (f"{self.summary.added} added, {self.summary.changed} changed, {self.summary.unchanged} unchanged, "
                  f"{self.rejected} rejected")
        if self.status == "ok":
            return f"{self.name}: ok — {self.fetched} rows fetched; {counts}"
        if self.status == "skipped":
            return f"{self.name}: skipped — {self.error}"
        since = f"stale since {self.stale_since:%Y-%m-%d}" if self.stale_since else "no data from it yet"
        return f"{self.name}: failed: {self.error} — {since}"


def _as_of(engine: Engine, source_id: str) -> datetime | None:
    with engine.connect() as conn:
        value = conn.execute(select(sources.c.as_of).where(sources.c.id == source_id)).scalar()
    return pd.Timestamp(value).to_pydatetime() if value is not None else None


def _placeholder_source(connector: ModuleType, settings: Settings) -> dict:
    return connector.source_record(connector.DEFAULT_BASE_URL)  # the canonical address, never a configured mirror


def refresh_source(engine: Engine, identity: Identity, name: str, client: HttpClient, settings: Settings, *,
                   mapping: Mapping | None = None, dry_run: bool = False, catalogue: Catalogue | None = None,
                   tick: Callable[[str], None] | None = None) -> Outcome:
    connector = CONNECTORS[name]
    planned = connector.planned(mapping)
    if not planned:
        return Outcome(name, "skipped", error="no indicators mapped in data/source_mappings.yaml")
    placeholder = _placeholder_source(connector, settings)
    try:
        with client.budget():  # one deadline for every request of this source
            fetched = connector.fetch(client, settings, mapping, tick=tick)
        report = validate(fetched.rows, fetched.origin, catalogue)
        if not fetched.rows.empty and report.valid.empty:
            raise SourceError(f"every row was rejected, e.g. {report.issues[0]}")
    except SourceError as exc:
        if not dry_run:
            record_failure(engine, placeholder, str(exc), identity)
        return Outcome(name, "failed", error=str(exc), stale_since=_as_of(engine, placeholder["id"]))
    rows = report.valid.drop(columns=["_row"], errors="ignore")
    summary = preview_changes(engine, rows) if dry_run else write_observations(engine, rows, fetched.source, identity)
    return Outcome(name, "ok", summary, fetched=len(fetched.rows), rejected=len(report.rejected_rows),
                   issues=report.issues, requests=fetched.requests)


def refresh(engine: Engine, identity: Identity | None, settings: Settings, *, only: list[str] | None = None,
            dry_run: bool = False, client: HttpClient | None = None, mappings: Mapping[str, Mapping] | None = None,
            tick: Callable[[str], None] | None = None) -> list[Outcome]:
    """Refresh every connector (or ``only`` those named); an editor identity is needed even for a dry run."""
    who = require(identity, "editor")
    names = only or list(CONNECTORS)
    unknown = [n for n in names if n not in CONNECTORS]
    if unknown:
        raise ValueError(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(CONNECTORS)}")
    own_client = client is None
    client = client or HttpClient(HttpSettings.from_config(settings.section("http")))
    catalogue = load_catalogue()
    try:
        return [refresh_source(engine, who, name, client, settings, mapping=(mappings or {}).get(name),
                               dry_run=dry_run, catalogue=catalogue, tick=tick) for name in names]
    finally:
        if own_client:
            client.close()


def planned_steps(only: list[str] | None = None, mappings: Mapping[str, Mapping] | None = None) -> int:
    """How many indicators a run will fetch (the progress bar's length)."""
    return sum(len(CONNECTORS[n].planned((mappings or {}).get(n))) for n in (only or CONNECTORS) if n in CONNECTORS)
