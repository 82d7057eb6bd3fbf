"""Growing delays after failed log-ins, per user name and per client address, counted in the store.

After ``free`` consecutive failures of one key, each further failure blocks that key for ``base × 2^(n − free − 1)``
seconds (1, 2, 4, … capped at ``cap``). An attempt is counted as a failure BEFORE its password is checked
(atomically, in one write transaction), so simultaneous guesses cannot outrun the count. A success clears the user's
counter and gives the address back the one attempt it counted; an address's counter is not cleared by a success (one
valid account must not reset a guesser's address), it lapses after ``window`` seconds without failures.
Counters live in the store, so several replicas on one database throttle together.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from auth.schema import auth_throttle
from auth.sessions import _aware
from store.db import ensure_schema, write_transaction


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
    with ensure_schema(engine).connect() as conn:
        rows = conn.execute(select(auth_throttle.c.blocked_until).where(auth_throttle.c.key.in_(list(keys)))).all()
    waits = [(_aware(r.blocked_until) - now).total_seconds() for r in rows if r.blocked_until is not None]
    return max([0.0, *waits])


def failures(engine: Engine, key: str) -> int:
    with ensure_schema(engine).connect() as conn:
        return conn.execute(select(auth_throttle.c.failures).where(auth_throttle.c.key == key)).scalar() or 0


@dataclass(frozen=True)
class Attempt:
    """What counting one log-in attempt decided: ``wait`` > 0 means refused (seconds until a key is free, nothing
    counted); otherwise the attempt is counted and ``delay`` is the block it already set, should it fail."""

    wait: float
    delay: float = 0.0

    @property
    def allowed(self) -> bool:
        return self.wait <= 0


def claim_attempt(engine: Engine, keys: Iterable[str], policy: ThrottlePolicy,
                  now: datetime | None = None) -> Attempt:
    """Count one attempt for every key BEFORE its password is checked, in one write transaction, unless a key is
    blocked. Counted first, a burst of simultaneous guesses runs at most ``free + 1`` password checks: each later
    attempt sees the block the earlier ones set. A success gives its count back (:func:`clear`, :func:`refund`).
    Raises SQLAlchemyError when the store cannot count (the caller refuses the attempt)."""
    now = now or datetime.now(UTC)
    with _locked_rows(engine, keys) as (conn, rows):
        waits = [(_aware(r.blocked_until) - now).total_seconds() for r in rows if r.blocked_until is not None]
        wait = max([0.0, *waits])
        if wait > 0:
            return Attempt(wait=wait)
        return Attempt(wait=0.0, delay=_count(conn, rows, policy, now))


def record_failure(engine: Engine, keys: Iterable[str], policy: ThrottlePolicy,
                   now: datetime | None = None) -> float:
    """Count one failure for each key (blocked or not), atomically; the longest resulting block in seconds."""
    now = now or datetime.now(UTC)
    with _locked_rows(engine, keys) as (conn, rows):
        return _count(conn, rows, policy, now)


def refund(engine: Engine, keys: Iterable[str], policy: ThrottlePolicy) -> None:
    """Give back one counted attempt per key (a log-in that succeeded, or whose password was never checked), so
    colleagues logging in from one office address do not add up to a block."""
    with _locked_rows(engine, keys) as (conn, rows):
        for row in rows:
            count = max(0, row.failures - 1)
            delay = policy.delay(count)
            last = _aware(row.last_failure_at) if row.last_failure_at is not None else None
            conn.execute(update(auth_throttle).where(auth_throttle.c.key == row.key).values(
                failures=count, blocked_until=last + timedelta(seconds=delay) if delay and last else None))


@contextmanager
def _locked_rows(engine: Engine, keys: Iterable[str]) -> Iterator[tuple[Connection, list]]:
    """The keys' rows (created at 0 when missing), locked for this write transaction: SQLite takes its write lock
    at BEGIN IMMEDIATE (waiting up to its busy timeout), PostgreSQL locks the rows (in key order: no deadlock)."""
    ordered = sorted(set(keys))
    with write_transaction(ensure_schema(engine)) as conn:
        dialect_insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        conn.execute(dialect_insert(auth_throttle).values([{"key": k, "failures": 0} for k in ordered])
                     .on_conflict_do_nothing(index_elements=["key"]))
        rows = conn.execute(select(auth_throttle).where(auth_throttle.c.key.in_(ordered))
                            .order_by(auth_throttle.c.key).with_for_update()).all()
        yield conn, rows


def _count(conn: Connection, rows: list, policy: ThrottlePolicy, now: datetime) -> float:
    longest = 0.0
    for row in rows:
        stale = row.last_failure_at is None or (now - _aware(row.last_failure_at)).total_seconds() > policy.window
        count = 1 if stale else row.failures + 1
        delay = policy.delay(count)
        conn.execute(update(auth_throttle).where(auth_throttle.c.key == row.key).values(
            failures=count, last_failure_at=now, blocked_until=now + timedelta(seconds=delay) if delay else None))
        longest = max(longest, delay)
    return longest


def clear(engine: Engine, key: str) -> None:
    with ensure_schema(engine).begin() as conn:
        conn.execute(delete(auth_throttle).where(auth_throttle.c.key == key))
