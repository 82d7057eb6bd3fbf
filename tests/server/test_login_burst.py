"""Issue 21 §3: 40 simultaneous wrong passwords run at most ``free + 1`` password checks, every one answered (401 or
429, never 500), on SQLite and PostgreSQL, through the real log-in route; a store that cannot count is a refusal."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

import server.login
from auth import add_user
from auth.schema import auth_throttle
from auth.throttle import address_key, user_key
from core.access import SYSTEM
from tests.server.test_login_routes import PASSWORD, _client, _csrf, _engine, _post, _settings

BURST = 40
FREE = 3


@pytest.fixture()
def internal_any_db(tmp_path, any_db_url):
    settings = _settings(tmp_path, any_db_url, throttle_free_attempts=FREE, throttle_base_delay_s=60.0)
    add_user(tmp_path / "users.json", SYSTEM, "erlan", PASSWORD, "editor")
    yield settings
    _engine(settings).dispose()


@pytest.fixture()
def counted_checks(monkeypatch):
    """The real password check, counted."""
    calls, lock, real = [0], threading.Lock(), server.login.authenticate

    def counting(*args):
        with lock:
            calls[0] += 1
        return real(*args)
    monkeypatch.setattr(server.login, "authenticate", counting)
    return calls


def test_a_burst_of_wrong_passwords_runs_at_most_the_allowed_checks_and_never_fails(internal_any_db,
                                                                                      counted_checks):
    settings = internal_any_db
    first = _client(settings)
    csrf = _csrf(first)
    start = threading.Barrier(BURST)
    statuses: list[int] = []

    def guess(n: int) -> None:
        client = _client(settings)
        client.cookies.update(first.cookies)  # the same browser's form, 40 tabs at once
        start.wait(30)
        statuses.append(_post(client, csrf, password=f"wrong guess {n}").status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(BURST)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(statuses) == BURST and set(statuses) <= {401, 429}, sorted(statuses)
    assert counted_checks[0] == statuses.count(401) == FREE + 1  # counted before the check, not after
    with _engine(settings).connect() as conn:
        rows = {r.key: r for r in conn.execute(select(auth_throttle))}
    user, address = rows[user_key("erlan")], rows[address_key("testclient")]
    assert user.failures == address.failures == FREE + 1  # every checked guess counted, none lost
    # the real user waits the policy's delay after free + 1 failures (60 s here), not the 15-minute cap
    assert (user.blocked_until - user.last_failure_at).total_seconds() == 60.0
    with _engine(settings).begin() as conn:
        conn.execute(update(auth_throttle).values(blocked_until=datetime.now(UTC) - timedelta(seconds=1)))
    assert _post(first, csrf).status_code == 303


def test_a_store_that_cannot_count_the_attempt_refuses_it_without_checking(internal_any_db, counted_checks,
                                                                            monkeypatch):
    def locked(*_args, **_kwargs):
        raise OperationalError("UPDATE auth_throttle …", {}, Exception("database is locked"))
    monkeypatch.setattr(server.login, "claim_attempt", locked)
    client = _client(internal_any_db)
    reply = _post(client, _csrf(client))  # even the right password: not counted, so not checked
    assert reply.status_code == 429 and reply.headers["retry-after"] == "5"
    assert "could not be counted just now" in reply.text and "Traceback" not in reply.text
    assert counted_checks[0] == 0


def test_a_success_gives_the_address_its_attempt_back(internal_any_db):
    """Colleagues logging in one after another from one office address never add up to a block."""
    for _colleague in range(FREE + 3):
        client = _client(internal_any_db)
        assert _post(client, _csrf(client)).status_code == 303
    with _engine(internal_any_db).connect() as conn:
        left = conn.execute(select(auth_throttle.c.failures, auth_throttle.c.blocked_until)
                            .where(auth_throttle.c.key == address_key("testclient"))).one()
    assert left.failures == 0 and left.blocked_until is None
