"""``python -m rwd compute|synthesize``: OMOP CDM extracts to regional indicators, and synthetic extracts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from core.periods import is_period

PROG = "python -m rwd"


class _Bar:
    """The compute's progress on stderr (tqdm, as ``python -m data_sources refresh``; ``--quiet`` turns it off)."""

    def __init__(self) -> None:
        self.bar: tqdm | None = None

    def __call__(self, done: int, total: int, label: str) -> None:
        if self.bar is None:
            self.bar = tqdm(total=total, desc="Computing", unit="step", file=sys.stderr)
        self.bar.set_postfix_str(label[:50])
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.bar.close()


def _periods(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    for value in values:
        if not is_period(value):
            print(f"{PROG}: error: --period {value!r} is not a year (2024) or a quarter (2024Q3)", file=sys.stderr)
            raise SystemExit(2)
    return list(dict.fromkeys(values))


def _error(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


def _source_and_engine(args: argparse.Namespace):
    """(the extract, the engine to compute it): a folder on DuckDB or Spark, a database URL in that database."""
    from rwd.cdm import CdmDatabase, is_database_url
    from rwd.engines import make_engine

    if is_database_url(args.cdm):
        from rwd.db_engine import SQLGLOT_DIALECTS, SUPPORTED, DatabaseEngine

        if args.engine not in (None, "database"):
            raise ValueError(f"--engine {args.engine} reads a folder; a database URL is computed in the database "
                             "itself (leave --engine out)")
        source = CdmDatabase.parse(args.cdm, args.cdm_schema)
        if source.url.get_backend_name() in set(SQLGLOT_DIALECTS) - set(SUPPORTED):
            print(f"{PROG}: note: {source.url.get_backend_name()} is not tested (PostgreSQL is); its SQL may need "
                  "dialect work in rwd/db_engine.py", file=sys.stderr)
        return source, DatabaseEngine(source)
    if args.engine == "database":
        raise ValueError("--engine database needs --cdm to be a database URL (postgresql+psycopg://...)")
    if args.cdm_schema:
        raise ValueError("--cdm-schema applies to a database URL only, not to a folder")
    return Path(args.cdm), make_engine(args.engine or "duckdb", spark_master=args.spark_master)


def cmd_compute(args: argparse.Namespace) -> int:
    from core.access import SYSTEM
    from core.config import load_settings
    from data_sources.seed import open_store  # the snapshot first in an empty store, as every first run
    from rwd.cdm import CdmDatabase, CdmSourceError
    from rwd.compute import compute, write
    from rwd.engine_errors import EngineError
    from rwd.extract import StatusUndeclared
    from rwd.placement import DEFAULT_MIN_PLACED_SHARE, read_location_map, summary
    from rwd.quality import BlockingCheckFailed

    settings = load_settings()
    region_column = args.region_column or settings.section("rwd").get("region_column", "location_source_value")
    periods = _periods(args.period)
    declared = True if args.synthetic else (False if args.real else None)
    min_share = settings.section("rwd").get("min_placed_share", DEFAULT_MIN_PLACED_SHARE)
    if isinstance(min_share, bool) or not isinstance(min_share, int | float) or not 0 <= min_share <= 1:
        return _error(f"config.toml [rwd] min_placed_share must be a share between 0 and 1, not {min_share!r}")
    try:
        location_map = read_location_map(Path(args.location_map)) if args.location_map else None
        source, engine = _source_and_engine(args)
    except (ValueError, CdmSourceError, EngineError) as exc:
        return _error(str(exc))
    try:
        try:
            result = compute(engine, source, periods, region_column=region_column, synthetic=declared,
                             progress=None if args.quiet else _Bar(), location_map=location_map,
                             min_placed_share=float(min_share))
        except BlockingCheckFailed as exc:
            print(_checks_table(exc.results))
            print(f"FAILED: {exc}", file=sys.stderr)
            return 2
        except (FileNotFoundError, CdmSourceError, EngineError, StatusUndeclared) as exc:
            return _error(str(exc))
    finally:
        engine.close()
    ex = result.extract
    status = ("synthetic: the generator's marker" if ex.synthetic_marker else
              "synthetic, declared with --synthetic" if ex.synthetic else "real, declared with --real")
    print(f"Extract: {ex.name} (as of {ex.as_of.isoformat()}, {status}; regions from location.{ex.region_column})")
    if isinstance(source, CdmDatabase):
        print(f"Source: {source.label} (computed in the database; only aggregates were read)")
    print(f"Engine: {result.engine}; periods: {', '.join(result.periods)}; {result.seconds:.1f} s")
    print(_checks_table(ex.checks))
    for placement in result.placements or []:
        if placement["placed"] < placement["persons"]:
            print(f"Not counted ({placement['period']}): {summary(placement)}")
    store_engine = open_store(settings.database_url)
    summary = write(store_engine, result, SYSTEM, dry_run=args.dry_run)
    for defn_id, rows in result.rows.items():
        national = rows[rows["region"] == "KZ"]
        values = ", ".join(f"{p} {v:.1f}" for p, v in zip(national["period"], national["value"], strict=True))
        print(f"  {defn_id}: {len(rows)} rows (KZ: {values or 'no value'})")
    for report in result.concept_sets:  # a definition whose concepts the extract lacks: said, never a 0
        if report.error:
            print(f"  NOT COMPUTED: {report.error}")
    verb = "would write" if args.dry_run else "written"
    print(f"Observations {verb}: {summary.added} added, {summary.changed} changed, {summary.unchanged} unchanged"
          + (" (dry run: nothing written)" if args.dry_run else " (one transaction)"))
    return 0


def _checks_table(checks) -> str:
    lines = ["Data-quality checks:"]
    for c in checks:
        if "." in c.id and c.passed:
            continue  # one line per passed table or field check would drown the rest (the run report has them)
        mark = "pass" if c.passed else ("FAIL" if c.blocking else "warn")
        lines.append(f"  [{mark}] {c.category:<13} {c.id:<28} {c.failing} of {c.total}"
                     f"{' (blocking)' if c.blocking else ''} — {c.description}")
    return "\n".join(lines)


def cmd_synthesize(args: argparse.Namespace) -> int:
    from rwd.synth import synthesize

    if args.persons < 1:
        print(f"{PROG}: error: --persons must be at least 1", file=sys.stderr)
        return 2
    counts = synthesize(args.persons, Path(args.out), seed=args.seed)
    print(f"Synthetic OMOP CDM extract (illustrative, no real patients) written to {args.out}:")
    for table, n in counts.items():
        print(f"  {table}: {n:,} rows")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    comp = sub.add_parser("compute", help="compute the indicators of data/rwd_definitions.yaml from an extract")
    comp.add_argument("--cdm", required=True,
                      help="folder of OMOP CDM v5.4 tables (Parquet or CSV), or a SQLAlchemy database URL holding "
                           "the CDM schema (postgresql+psycopg://user:password@host:5432/db), computed in that "
                           "database; PostgreSQL is supported and tested, other databases may need dialect work")
    comp.add_argument("--cdm-schema", help="with a database URL: the schema of the CDM tables (default: the "
                                           "connection's default schema, e.g. public)")
    comp.add_argument("--engine", choices=("duckdb", "spark", "database"),
                      help="for a folder: duckdb (default) or spark; a database URL always runs in the database")
    comp.add_argument("--spark-master", default="local[2]", help="Spark master URL (default local[2])")
    comp.add_argument("--period", action="append", help="year (2024) or quarter (2024Q3); repeatable; default: "
                                                        "the last full year of the extract")
    comp.add_argument("--region-column", choices=("location_source_value", "county", "city"),
                      help="location column holding the region (default: config [rwd] region_column)")
    comp.add_argument("--location-map", metavar="FILE",
                      help="CSV crosswalk of the extract's location values: columns source_value, iso_code (one of "
                           "the 20 current ISO 3166-2:KZ codes); checked before the ISO codes, names and KATO codes "
                           "the resolver knows")
    status = comp.add_mutually_exclusive_group()
    status.add_argument("--real", action="store_true",
                        help="the extract holds real records: results are not illustrative (required unless the "
                             "extract was written by 'python -m rwd synthesize')")
    status.add_argument("--synthetic", action="store_true",
                        help="the extract is synthetic: every result is flagged illustrative")
    comp.add_argument("--dry-run", action="store_true", help="check and compute, write nothing")
    comp.add_argument("--quiet", action="store_true", help="no progress bar")
    comp.set_defaults(func=cmd_compute)
    syn = sub.add_parser("synthesize", help="write a synthetic OMOP CDM extract (illustrative)")
    syn.add_argument("--persons", type=int, required=True)
    syn.add_argument("--out", required=True)
    syn.add_argument("--seed", type=int, default=0)
    syn.set_defaults(func=cmd_synthesize)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
