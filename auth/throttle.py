"""Growing delays after failed log-ins, per user name and per client address, counted in the store.

After ``free`` consecutive failures of one key, each further failure blocks that key for ``base × 2^(n − free − 1)``
seconds (1, 2, 4, … capped at ``cap``). A success clears the user's counter; an address's counter is not cleared by a
success (one valid account must not reset a guesser's address), it lapses after ``window`` seconds without failures.
Counters live in the store, so several replicas on one database throttle together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from auth.schema import auth_throttle, ensure_auth_schema
from auth.sessions import _aware


@dataclass(frozen=True)
class ThrottlePolicy:
    free: int = 3           # failures allowed without delay
    base: float = 1.0       # seconds of the first delay
    cap: float = 900.0      # longest delay (15 minutes)
    window: float = 3600.0  # a counter idle this long starts again at zero

    def delay(self, failures: int) -> float:
        """Seconds a key is blocked after its ``failures``-th consecutive failure."""
        if failures <= self.free:
            return 0.0
        return min(self.cap, self.base * 2 ** min(failures - self.free - 1, 40))


def user_key(name: str) -> str:
    return "user:" + (name or "").strip().lower()[:150]


def address_key(address: str) -> str:
    return "addr:" + (address or "unknown")[:150]


def blocked_for(engine: Engine, keys: Iterable[str], now: datetime | None = None) -> float:
    """Seconds until every key may try again (0 when none is blocked)."""
    now = now or datetime.now(UTC)
    with ensure_auth_schema(engine).connect() as conn:
        rows = conn.execute(select(auth_throttle.c.blocked_until).where(auth_throttle.c.key.in_(list(keys)))).all()
    waits = [(_aware(r.blocked_until) - now).total_seconds() for r in rows if r.blocked_until is not None]
    return max([0.0, *waits])


def failures(engine: Engine, key: str) -> int:
    with ensure_auth_schema(engine).connect() as conn:
        return conn.execute(select(auth_throttle.c.failures).where(auth_throttle.c.key == key)).scalar() or 0


def record_failure(engine: Engine, keys: Iterable[str], policy: ThrottlePolicy,
                   now: datetime | None = None) -> float:
    """Count one failure for each key (atomically: an UPDATE locks the row); the longest resulting block in s."""
    now = now or datetime.now(UTC)
    longest = 0.0
    for key in keys:
        for _attempt in range(3):  # an INSERT racing another replica's INSERT retries as an UPDATE
            try:
                longest = max(longest, _fail_once(engine, key, policy, now))
                break
            except IntegrityError:
                continue
    return longest


def _fail_once(engine: Engine, key: str, policy: ThrottlePolicy, now: datetime) -> float:
    with ensure_auth_schema(engine).begin() as conn:
        row = conn.execute(select(auth_throttle.c.failures, auth_throttle.c.last_failure_at)
                           .where(auth_throttle.c.key == key).with_for_update()).first()
        if row is None:
            count = 1
        else:
            stale = row.last_failure_at is None or (now - _aware(row.last_failure_at)).total_seconds() > policy.window
            count = 1 if stale else row.failures + 1
        delay = policy.delay(count)
        values = {"failures": count, "last_failure_at": now,
                  "blocked_until": now + timedelta(seconds=delay) if delay else None}
        if row is None:
            conn.execute(insert(auth_throttle).values(key=key, **values))
        else:
            conn.execute(update(auth_throttle).where(auth_throttle.c.key == key).values(**values))
    return delay


def clear(engine: Engine, key: str) -> None:
    with ensure_auth_schema(engine).begin() as conn:
        conn.execute(delete(auth_throttle).where(auth_throttle.c.key == key))
