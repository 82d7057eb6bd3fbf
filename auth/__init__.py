"""Log-in for the internal instance: a local user file with argon2 hashes (when no OIDC provider is configured)."""

from auth.users import UserError, add_user, authenticate, list_users, load_users, remove_user, users_file

__all__ = ["UserError", "add_user", "authenticate", "list_users", "load_users", "remove_user", "users_file"]
