"""``python -m auth add-user NAME --role editor``: manage the local users of the internal instance.

The password is asked twice on a terminal; without one (scripts, containers, CI) it is read from the first line of
stdin with ``--password-stdin`` or from the environment variable ``DENSAULYQ_PASSWORD``. Roles: ``viewer`` (reads the
internal pages), ``editor`` (also imports data and enters KPI actuals), ``admin`` (also publishes quarters, loads the
framework, manages users). Also ``list-users`` and ``remove-user NAME``. The file is
``config.toml [auth].users_file``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from auth.passwords import PASSWORD_RULE
from auth.users import UserError, add_user, list_users, remove_user, users_file
from core.access import ROLES, SYSTEM
from core.config import load_settings

PASSWORD_ENV = "DENSAULYQ_PASSWORD"


def _password(args: argparse.Namespace) -> str | None:
    """The new password from stdin, the environment or the terminal (asked twice); None when they differ."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise UserError(f"no terminal to ask the password on: pass --password-stdin or set {PASSWORD_ENV}")
    password = getpass.getpass(f"Password for {args.name}: ")
    return password if password == getpass.getpass("Repeat: ") else None


def _end_sessions(name: str) -> None:
    """Log the user out everywhere (their sessions in the store are revoked)."""
    from auth.sessions import revoke_user_sessions
    from store import make_engine

    engine = make_engine(load_settings().database_url)
    try:
        revoke_user_sessions(engine, name)
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m auth", description="Manage local users of the internal instance")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser(
        "add-user", help="add a user, or reset a user's password and role",
        description=f"Add a user, or reset a user's password and role. Password rule: {PASSWORD_RULE}. "
                    f"Without a terminal, give the password with --password-stdin or in ${PASSWORD_ENV}.")
    add.add_argument("name", help="2–64 letters, digits or _ . @ -")
    add.add_argument("--role", choices=ROLES, default="viewer",
                     help="viewer (default): reads; editor: also imports data and enters KPI actuals; "
                          "admin: also publishes quarters, loads the KPI framework, manages users")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    sub.add_parser("list-users")
    rm = sub.add_parser("remove-user")
    rm.add_argument("name")
    args = parser.parse_args(argv)
    path = users_file(load_settings().section("auth"))
    try:
        if args.command == "add-user":
            password = _password(args)
            if password is None:
                print("error: the passwords differ", file=sys.stderr)
                return 2
            add_user(path, SYSTEM, args.name, password, args.role)
            _end_sessions(args.name)  # a reset password or role takes effect at once
            print(f"{args.name} ({args.role}) saved in {path}")
        elif args.command == "list-users":
            for name, role in list_users(path):
                print(f"{name}\t{role}")
        else:
            remove_user(path, SYSTEM, args.name)
            _end_sessions(args.name)
            print(f"{args.name} removed from {path}")
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
