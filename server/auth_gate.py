"""Who may read the internal instance over plain HTTP: the log-in cookie, checked without Streamlit.

Minimal version for the open-data routes: a session cookie signed with the instance's secret (itsdangerous) whose
signature and age are valid counts as logged in. The log-in routes replace :func:`is_logged_in` with their own
check (token record in the store) without changing its signature; ``/api`` and ``/embed`` only call this.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request

from core.paths import REPO_ROOT

COOKIE_NAME = "densaulyq_session"
SALT = "densaulyq-login"
DEFAULT_MAX_AGE_S = 8 * 3600
SECRET_FILE = REPO_ROOT / "var" / "secret_key"


@lru_cache(maxsize=4)
def _file_secret(path: Path) -> str:
    """The instance's signing secret, created once (0600) when no DENSAULYQ_SECRET_KEY is configured."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def secret_key() -> str:
    return os.environ.get("DENSAULYQ_SECRET_KEY") or _file_secret(SECRET_FILE)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key(), salt=SALT)


def sign_session(user: str) -> str:
    """The cookie value for a logged-in ``user``."""
    return _serializer().dumps({"user": user})


def logged_in_user(request: Request, max_age_s: int = DEFAULT_MAX_AGE_S) -> str | None:
    value = request.cookies.get(COOKIE_NAME)
    if not value:
        return None
    try:
        payload = _serializer().loads(value, max_age=max_age_s)
    except BadSignature:
        return None
    user = payload.get("user") if isinstance(payload, dict) else None
    return user if isinstance(user, str) and user else None


def is_logged_in(request: Request) -> bool:
    """True when the request carries a valid log-in cookie of this instance."""
    return logged_in_user(request) is not None
