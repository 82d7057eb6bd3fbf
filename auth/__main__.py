"""``python -m auth add-user NAME --role editor`` (password prompted, or one line on stdin with --password-stdin).

Also ``list-users`` and ``remove-user NAME``. The file is ``config.toml [auth].users_file``.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from auth.users import UserError, add_user, list_users, remove_user, users_file
from core.access import ROLES, SYSTEM
from core.config import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m auth", description="Manage local users of the internal instance")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add-user", help="add a user, or reset a user's password and role")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, default="viewer")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    sub.add_parser("list-users")
    rm = sub.add_parser("remove-user")
    rm.add_argument("name")
    args = parser.parse_args(argv)
    path = users_file(load_settings().section("auth"))
    try:
        if args.command == "add-user":
            if args.password_stdin:
                password = sys.stdin.readline().rstrip("\n")
            else:
                password = getpass.getpass(f"Password for {args.name}: ")
                if password != getpass.getpass("Repeat: "):
                    print("error: the passwords differ", file=sys.stderr)
                    return 2
            add_user(path, SYSTEM, args.name, password, args.role)
            print(f"{args.name} ({args.role}) saved in {path}")
        elif args.command == "list-users":
            for name, role in list_users(path):
                print(f"{name}\t{role}")
        else:
            remove_user(path, SYSTEM, args.name)
            print(f"{args.name} removed from {path}")
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
