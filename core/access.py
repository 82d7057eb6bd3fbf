"""Who may do what. Roles are checked here, in the domain layer, not only by hiding buttons in the UI.

Every domain function that writes takes an ``Identity`` and calls :func:`require` first, so a write without an
editor (or admin) identity raises :class:`PermissionDenied` whatever page, CLI or test calls it.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import N_, Message

ROLES: tuple[str, ...] = ("viewer", "editor", "admin")  # each role includes the rights of the ones before it


class PermissionDenied(PermissionError):
    """The identity lacks the role an action needs (or the instance is public and read-only)."""


@dataclass(frozen=True)
class Identity:
    user: str
    role: str = "viewer"
    mode: str = "internal"  # the instance mode the identity acts in; "public" can never write

    def has(self, role: str) -> bool:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
        return self.role in ROLES and ROLES.index(self.role) >= ROLES.index(role)


ANONYMOUS = Identity(user="anonymous", role="viewer", mode="public")
SYSTEM = Identity(user="system (CLI)", role="admin", mode="internal")  # the refresh/import CLI run by an operator


def require(identity: Identity | None, role: str) -> Identity:
    """Return ``identity`` if it may act as ``role``; raise PermissionDenied otherwise."""
    if identity is None:
        raise PermissionDenied(Message(N_("this action needs the {role} role; no identity was given"), role=role))
    if identity.mode == "public":
        raise PermissionDenied(Message(N_("the public instance is read-only")))
    if not identity.has(role):
        raise PermissionDenied(Message(N_("{user} is a {user_role}; this action needs the {role} role"),
                                       user=identity.user, user_role=identity.role, role=role))
    return identity
