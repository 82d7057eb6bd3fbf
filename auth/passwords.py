"""The password rule for local users: at least 12 characters, not only whitespace, not a common password.

Common passwords: the 30,000 most frequent passwords of leaked-password corpora shipped by ``zxcvbn`` (Dropbox's
strength estimator, MIT), plus zxcvbn's guessability score, so "passwordpassword" or "123456789012" are refused even
though they are long enough. A passphrase longer than zxcvbn's 72 characters is scored on its first 72 (what makes
it strong must start there: 80 × "a" is still refused).
"""

from __future__ import annotations

from functools import lru_cache

from core.i18n import N_, Message

MIN_PASSWORD = 12
MIN_SCORE = 3  # zxcvbn 0–4: 3 is "safely unguessable" (about 10^8 guesses or more)
ZXCVBN_MAX = 72  # zxcvbn refuses to score longer passwords: a long passphrase is judged by its first 72 characters
PASSWORD_RULE = (f"at least {MIN_PASSWORD} characters, not only spaces, and not a common or easily guessed password "
                 "(e.g. a phrase of three or four unrelated words)")


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str | None, user: str = "") -> str | None:
    """Why ``password`` is refused, or None when it satisfies the rule (never echoes the password)."""
    password = password or ""
    if not password.strip():
        return Message(N_("the password must not be empty or only whitespace"))
    if len(password) < MIN_PASSWORD:
        return Message(N_("the password needs at least {n} characters"), n=MIN_PASSWORD)
    if password.lower() in _common() or password.strip().lower() in _common():
        return Message(N_("this is one of the most common passwords"))
    from zxcvbn import zxcvbn

    if zxcvbn(password[:ZXCVBN_MAX], user_inputs=[user] if user else [])["score"] < MIN_SCORE:
        return Message(N_("this password is too easy to guess (repeats, sequences, keyboard patterns or common "
                          "words)"))
    return None
