"""Local user file for the internal instance when no identity provider is configured: argon2 password hashes.

The file (JSON, path from ``config.toml [auth].users_file``) maps user name → {role, hash}. It is written
atomically with owner-only permissions. Changing users needs an admin identity (the CLI acts as SYSTEM).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from auth.passwords import password_problem
from core.access import ROLES, Identity, require
from core.i18n import N_, Message
from core.paths import REPO_ROOT

_hasher = PasswordHasher()
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")


class UserError(ValueError):
    """A user name, role or password that cannot be used; the message says which and why."""


def users_file(auth_section: Mapping[str, Any]) -> Path:
    path = Path(str(auth_section.get("users_file", "var/users.json")))
    return path if path.is_absolute() else REPO_ROOT / path


def load_users(path: Path) -> dict[str, dict[str, str]]:
    if not Path(path).exists():
        return {}
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise UserError(f"{path}: expected a mapping of user name to role and hash")
    return data


def _write(path: Path, users: dict[str, dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".users.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(users, fh, indent=2, sort_keys=True)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def add_user(path: Path, identity: Identity | None, name: str, password: str, role: str = "viewer") -> None:
    """Add a user or reset an existing one's password and role (admins)."""
    require(identity, "admin")
    if not NAME_PATTERN.match(name or ""):
        raise UserError(Message(N_("user name {name}: use 2–64 letters, digits or _ . @ -"), name=repr(name)))
    if role not in ROLES:
        raise UserError(Message(N_("role {role}: must be one of {roles}"), role=repr(role), roles=", ".join(ROLES)))
    problem = password_problem(password, name)
    if problem:
        raise UserError(Message(N_("password: {problem}"), problem=problem))
    users = load_users(path)
    users[name] = {"role": role, "hash": _hasher.hash(password)}
    _write(Path(path), users)


def remove_user(path: Path, identity: Identity | None, name: str) -> None:
    require(identity, "admin")
    users = load_users(path)
    if name not in users:
        raise UserError(Message(N_("user name {name}: no such user"), name=repr(name)))
    del users[name]
    _write(Path(path), users)


def list_users(path: Path) -> list[tuple[str, str]]:
    """(name, role) pairs; never the hashes."""
    return sorted((name, entry.get("role", "viewer")) for name, entry in load_users(path).items())


def authenticate(path: Path, name: str, password: str) -> Identity | None:
    """The identity for a correct name and password, else None (same answer for unknown user and wrong password)."""
    entry = load_users(path).get(name or "")
    if entry is None:
        _hasher.hash("timing-equaliser")  # do the same work so response time does not reveal which names exist
        return None
    try:
        _hasher.verify(entry["hash"], password or "")
    except (VerificationError, InvalidHashError):
        return None
    role = entry.get("role", "viewer")
    return Identity(user=name, role=role if role in ROLES else "viewer", mode="internal")
