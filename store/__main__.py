"""``python -m store migrate|wait|current``: schema migrations from the command line (the cluster's Job).

* ``migrate``: upgrade the configured store (``DATABASE_URL`` or config.toml) to the newest revision
  (``alembic upgrade head``), stamping a store made by ``create_all`` before migrations existed first; the schema
  only — ``python -m data_sources seed`` does this and then loads the embedded snapshot into an empty store;
* ``wait [--timeout S]``: exit 0 once the store is at the revision this code needs, 1 after the time-out;
* ``current``: print the store's revision and this code's head.
"""

from __future__ import annotations

import argparse
import sys

from core.config import load_settings
from store.db import make_engine
from store.migrate import SchemaNotReady, current_revision, head_revision, upgrade, wait_for_schema


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m store", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="upgrade the store to the newest schema (alembic upgrade head)")
    wait = sub.add_parser("wait", help="wait until the store is at this code's schema revision")
    wait.add_argument("--timeout", type=float, default=300.0)
    sub.add_parser("current", help="print the store's schema revision and this code's head")
    args = parser.parse_args(argv)

    engine = make_engine(load_settings().database_url)
    if args.command == "migrate":
        upgrade(engine)  # this command is the one that migrates, whatever DENSAULYQ_MIGRATE says for the replicas
        print(f"store at {current_revision(engine)} (head {head_revision()})")
    elif args.command == "wait":
        try:
            print(f"store at {wait_for_schema(engine, timeout_s=args.timeout)}")
        except SchemaNotReady as exc:
            print(exc, file=sys.stderr)
            return 1
    else:
        print(f"store at {current_revision(engine)} (head {head_revision()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
