"""Command line: ``python -m data_sources refresh``, ``python -m data_sources import FILE`` and
``python -m data_sources seed`` (the migration Job: the schema, then the embedded snapshot into an empty store).

The CLI acts as the operator (``core.access.SYSTEM``, an internal admin identity) on the store named by
``DATABASE_URL`` or config.toml. Exit status: 0 when everything asked for succeeded, 1 when a source failed or
a file was rejected, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from tqdm import tqdm

from core.access import SYSTEM
from core.config import load_settings
from data_sources.importer import ImportResult, import_file
from data_sources.refresh import CONNECTORS, Outcome, planned_steps, refresh
from data_sources.seed import migrate_and_seed, open_store
from store import make_engine
from store.migrate import current_revision, head_revision

_MAX_LISTED = 50


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m data_sources",
        description="Bring official figures into the Densaulyq store: refresh the API sources or import a table. "
                    "Every row is validated first; nothing partial is written.")
    sub = parser.add_subparsers(dest="command", required=True)
    ref = sub.add_parser("refresh", help="fetch every configured API source into the store")
    ref.add_argument("--source", action="append", choices=sorted(CONNECTORS),
                     help="only this source (repeatable); default: all")
    ref.add_argument("--dry-run", action="store_true", help="fetch and validate, show what would change, write nothing")
    sub.add_parser("seed", help="migrate the store's schema (alembic upgrade head) and load the embedded snapshot "
                                "into an empty store (the cluster's migration Job)")
    imp = sub.add_parser("import", help="import a CSV or Excel table (tidy or wide)")
    imp.add_argument("file")
    imp.add_argument("--indicator", help="catalogue id of the values (needed for one-column-per-year tables)")
    imp.add_argument("--value-column", metavar="NAME",
                     help="the column of values of a long table with several columns of numbers")
    imp.add_argument("--sheet", help="Excel sheet name (default: the first)")
    imp.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    imp.add_argument("--only-valid", action="store_true",
                     help="import the valid rows of a partly bad file and list the skipped ones")
    imp.add_argument("--confirm-jumps", action="store_true",
                     help="write values that move more than [uploads] jump_factor from the previous period")
    return parser


def _print_refresh(outcomes: list[Outcome], dry_run: bool, out: TextIO) -> None:
    print("\nRefresh summary" + (" (dry run: nothing written)" if dry_run else ""), file=out)
    for outcome in outcomes:
        print("  " + outcome.line(), file=out)
        for issue in outcome.issues[:10]:
            print(f"      rejected: {issue}", file=out)
    added = sum(o.summary.added for o in outcomes)
    changed = sum(o.summary.changed for o in outcomes)
    rejected = sum(o.rejected for o in outcomes)
    failed = [o.name for o in outcomes if o.status == "failed"]
    print(f"Total: {added} rows added, {changed} changed, {rejected} rejected; "
          f"{len(failed)} source(s) failed" + (f" ({', '.join(failed)})" if failed else ""), file=out)


def run_refresh(args: argparse.Namespace, out: TextIO, client=None) -> int:
    settings = load_settings()
    engine = open_store(settings.database_url)
    with tqdm(total=planned_steps(args.source), desc="Fetching", unit="series", file=sys.stderr,
              disable=None) as bar:
        def tick(indicator_id: str) -> None:
            bar.set_postfix_str(indicator_id)
            bar.update(1)

        outcomes = refresh(engine, SYSTEM, settings, only=args.source, dry_run=args.dry_run, client=client,
                           tick=tick)
    _print_refresh(outcomes, args.dry_run, out)
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def _print_import(result: ImportResult, dry_run: bool, out: TextIO) -> None:
    print(f"{result.origin}: layout {result.layout or '?'}"
          + (f", encoding {result.encoding}" if result.encoding else ""), file=out)
    if result.value_column:
        print(f"  values from column: {result.value_column!r}", file=out)
    print(f"  rows read: {result.read}", file=out)
    print(f"  rows resolved to a region: {result.resolved}", file=out)
    print(f"  cells skipped as not published ('-', '…', 'x', empty): {result.skipped_missing}", file=out)
    if result.ignored:
        print(f"  not imported ({len(result.ignored)}):", file=out)
        for item in result.ignored[:_MAX_LISTED]:
            print(f"    - {item.column + ': ' if item.column else ''}{item.reason}", file=out)
    print(f"  rows rejected: {len(result.rejected_rows)}", file=out)
    for issue in result.issues[:_MAX_LISTED]:
        print(f"    - {issue}", file=out)
    if len(result.issues) > _MAX_LISTED:
        print(f"    … and {len(result.issues) - _MAX_LISTED} more", file=out)
    for warning in result.warnings[:_MAX_LISTED]:
        print(f"    ! {warning}", file=out)
    summary = result.written or result.planned
    if not result.accepted and result.warnings and not result.issues:
        print("  NOT WRITTEN: confirm the values above with --confirm-jumps", file=out)
    elif not result.accepted:
        print("  REJECTED: nothing was written" + ("" if result.file_level else
              " (fix the rows above, or use --only-valid to import the valid rows)"), file=out)
    elif summary is not None:
        verb = "would write" if dry_run else "written"
        print(f"  rows {verb}: {summary.written} ({summary.added} added, {summary.changed} changed; "
              f"{summary.unchanged} unchanged)", file=out)
        if result.rejected_rows:
            print(f"  skipped rows: {', '.join(map(str, result.rejected_rows))}", file=out)


def run_import(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings()
    engine = open_store(settings.database_url)
    result = import_file(args.file, engine, SYSTEM, indicator=args.indicator, sheet=args.sheet,
                         value_column=args.value_column, dry_run=args.dry_run, only_valid=args.only_valid,
                         confirm_jumps=args.confirm_jumps)
    _print_import(result, args.dry_run, out)
    return 0 if result.accepted else 1


def run_seed(out: TextIO) -> int:
    engine = make_engine(load_settings().database_url)
    loaded = migrate_and_seed(engine)
    print(f"store at {current_revision(engine)} (head {head_revision()}); "
          + (f"embedded snapshot loaded: {loaded} observations" if loaded else "observations present: none loaded"),
          file=out)
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, client=None) -> int:
    out = out or sys.stdout
    args = _parser().parse_args(argv)
    if args.command == "refresh":
        return run_refresh(args, out, client=client)
    if args.command == "seed":
        return run_seed(out)
    return run_import(args, out)


if __name__ == "__main__":
    sys.exit(main())
