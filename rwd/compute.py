"""One run: open the extract, check it, compute every definition for every period, write everything at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.access import Identity
from core.config import load_settings
from geo.vintages import merged_note
from rwd.aggregate import persons_by_region, run_definition, run_population_batch
from rwd.cdm import CdmDatabase
from rwd.concepts import ConceptSetReport, resolve_concept_sets
from rwd.definitions import Definition, describe, load_definitions
from rwd.extract import Extract, declared_status, default_period, open_extract
from rwd.placement import DEFAULT_MIN_PLACED_SHARE, check_placement, register_region_map
from rwd.store_write import source_record, write_run
from store.revisions import WriteSummary, preview_changes

Progress = Callable[[int, int, str], None]


@dataclass
class RunResult:
    extract: Extract
    engine: str
    periods: list[str]
    rows: dict[str, pd.DataFrame]        # definition id -> observation rows (every period)
    aggregates: dict[tuple[str, str], pd.DataFrame]  # (definition id, period) -> the engine's aggregate
    coverage: pd.DataFrame
    seconds: float
    summary: WriteSummary | None = None
    concept_sets: list[ConceptSetReport] = field(default_factory=list)  # per definition; error: not computed
    placements: list[dict] | None = None  # per period: persons, placed, unplaced by reason (rwd.placement)

    def report(self, definitions: tuple[Definition, ...]) -> dict:
        """The run report: aggregates only (checks, coverage by region, definitions) — never a person."""
        ex = self.extract
        errors = {c.definition: c.error for c in self.concept_sets if c.error}
        return {
            "extract": {"name": ex.name, "abbreviation": ex.abbreviation, "as_of": ex.as_of.isoformat(),
                        "synthetic": ex.synthetic, "status": "synthetic" if ex.synthetic else "real",
                        "status_from": "marker" if ex.synthetic_marker else "declared",
                        "region_column": ex.region_column},
            "placement": self.placements or [],
            "engine": self.engine, "periods": self.periods, "seconds": round(self.seconds, 2),
            "checks": [c.as_dict() for c in ex.checks],
            "coverage": [{"region": r, "persons": int(n)} for r, n in
                         zip(self.coverage["region"], self.coverage["persons"], strict=True)],
            "definitions": [{"id": d.id, "version": d.version, "kind": d.kind, "title": d.title,
                             "description": describe(d), "to_confirm": d.to_confirm,
                             "rows": len(self.rows.get(d.id, [])), "error": errors.get(d.id)} for d in definitions],
            "concept_sets": [c.as_dict() for c in self.concept_sets],
        }


def compute(engine, cdm: Path | CdmDatabase, periods: list[str] | None = None,
            definitions: tuple[Definition, ...] | None = None, region_column: str = "location_source_value",
            synthetic: bool | None = None, progress: Progress | None = None,
            location_map: dict[str, str] | None = None, min_placed_share: float | None = None) -> RunResult:
    """Compute every definition on ``engine``; raises BlockingCheckFailed before computing anything. ``cdm`` is a
    folder (DuckDB, Spark) or a database (``CdmDatabase``, computed in it by ``rwd.db_engine.DatabaseEngine``).
    ``synthetic`` is the operator's declaration (required unless the extract carries the generator's marker:
    StatusUndeclared). Persons are placed per period (``rwd.placement``); too few placed is a blocking failure.
    The population definitions of a period run as one query (``run_population_batch``), the others one by one."""
    started = time.perf_counter()
    definitions = definitions or load_definitions()
    extract = open_extract(engine, cdm, region_column, synthetic, location_map)
    extract.synthetic = declared_status(extract.name, extract.synthetic_marker, synthetic)
    definitions, concept_sets, concept_checks = resolve_concept_sets(engine, definitions)  # errors left out
    extract.checks += concept_checks
    periods = periods or [default_period(extract)]
    if min_placed_share is None:
        min_placed_share = float(load_settings().section("rwd").get("min_placed_share", DEFAULT_MIN_PLACED_SHARE))
    placements = check_placement(engine, periods, region_column, min_placed_share, location_map, extract.checks)
    steps = [(d, p) for p in periods for d in definitions]
    rows: dict[str, list[pd.DataFrame]] = {}
    aggregates = {}
    population = tuple(d for d in definitions if d.kind == "population_proportion")
    batched: dict[tuple[str, str], tuple[pd.DataFrame, pd.DataFrame]] = {}
    for n, (defn, period) in enumerate(steps, start=1):
        if n == 1 or steps[n - 2][1] != period:  # a new period: its regions (a former unit by the period)
            notes = register_region_map(engine, period, location_map)
        if defn.kind == "population_proportion":
            if (defn.id, period) not in batched:  # the first of them for this period: all of them in one query
                for key, res in run_population_batch(engine, population, period).items():
                    batched[(key, period)] = res
            agg, obs = batched.pop((defn.id, period))
        else:
            agg, obs = run_definition(engine, defn, period)
        if notes:  # a territory that then differed from today's: the boundary note, as the importer writes it
            obs = obs.assign(note=[merged_note(old, notes.get(region)) for old, region in
                                   zip(obs["note"], obs["region"], strict=True)])
        aggregates[(defn.id, period)] = agg
        rows.setdefault(defn.id, []).append(obs)
        if progress:
            progress(n, len(steps), f"{defn.id} {period}")
    combined = {k: pd.concat(v, ignore_index=True).assign(synthetic=extract.synthetic, derived=False)
                for k, v in rows.items()}
    return RunResult(extract, engine.name, periods, combined, aggregates, persons_by_region(engine),
                     time.perf_counter() - started, placements=placements, concept_sets=concept_sets)


def write(store_engine, result: RunResult, identity: Identity | None,
          definitions: tuple[Definition, ...] | None = None, dry_run: bool = False) -> WriteSummary:
    """Write the run (one transaction) or, with ``dry_run``, say what it would write."""
    definitions = definitions or load_definitions()
    by_id = {d.id: d for d in definitions}
    batches = [(source_record(result.extract, by_id[i]), frame) for i, frame in result.rows.items() if len(frame)]
    if dry_run:
        parts = [preview_changes(store_engine, frame) for _unused, frame in batches]
        result.summary = WriteSummary(sum(p.added for p in parts), sum(p.changed for p in parts),
                                      sum(p.unchanged for p in parts))
    else:
        result.summary = write_run(store_engine, batches, result.report(definitions), identity)
    return result.summary
