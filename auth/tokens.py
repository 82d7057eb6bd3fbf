"""Signing of the session and CSRF cookies (itsdangerous), and the secret key they are signed with.

The key comes from ``DENSAULYQ_SECRET_KEY`` or, when unset, from the file ``[auth] secret_key_file`` (created with a
random key and owner-only permissions on first use). Replicas behind one load balancer need the same key.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

SESSION_SALT = "densaulyq.session"
CSRF_SALT = "densaulyq.csrf"


def load_secret(key_file: Path, env: dict[str, str] | None = None) -> str:
    env = dict(os.environ) if env is None else env
    if env.get("DENSAULYQ_SECRET_KEY"):
        return env["DENSAULYQ_SECRET_KEY"]
    key_file = Path(key_file)
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


class Signer:
    """Signs and checks cookie values; a value that is forged, altered or older than ``max_age`` reads as None."""

    def __init__(self, secret: str) -> None:
        self._session = URLSafeTimedSerializer(secret, salt=SESSION_SALT)
        self._csrf = URLSafeTimedSerializer(secret, salt=CSRF_SALT)

    def sign_session(self, token: str) -> str:
        return self._session.dumps(token)

    def session_token(self, cookie: str | None, max_age: float) -> str | None:
        return _loads(self._session, cookie, max_age)

    def sign_csrf(self, nonce: str) -> str:
        return self._csrf.dumps(nonce)

    def csrf_nonce(self, token: str | None, max_age: float) -> str | None:
        return _loads(self._csrf, token, max_age)


def _loads(serializer: URLSafeTimedSerializer, value: str | None, max_age: float) -> str | None:
    if not value or len(value) > 1000:
        return None
    try:
        loaded = serializer.loads(value, max_age=max_age)
    except BadSignature:  # includes SignatureExpired
        return None
    return loaded if isinstance(loaded, str) else None
