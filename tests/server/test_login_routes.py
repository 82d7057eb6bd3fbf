"""The log-in routes with Starlette's TestClient: CSRF, throttle, cookie flags, revocation, redirects, headers."""

from __future__ import annotations

import logging
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from auth import add_user
from auth.schema import auth_sessions, auth_throttle
from auth.service import SESSION_COOKIE, AuthConfig, client_address, identity_for_cookie
from auth.throttle import ThrottlePolicy, address_key, user_key
from core.access import SYSTEM, Identity
from core.config import load_settings
from server.login import LoginRoutes, safe_next
from server.login_gate import LoginRedirectMiddleware
from server.middleware import SecurityHeadersMiddleware
from tests.open_data_helpers import damaged

PASSWORD = "orange river tea lamp"


def _settings(tmp_path: Path, db_url: str, mode: str = "internal", **auth: object):
    extra = "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in auth.items())
    config = tmp_path / "config.toml"
    config.write_text(f'[app]\nmode = "{mode}"\n[auth]\nusers_file = "{tmp_path / "users.json"}"\n'
                      f'secret_key_file = "{tmp_path / "secret"}"\n{extra}', encoding="utf-8")
    return load_settings(config, env={"DATABASE_URL": db_url})


def _client(settings, page_paths=("/", "/map")) -> TestClient:
    async def page(_request):
        return PlainTextResponse("streamlit page")
    app = Starlette(routes=[*LoginRoutes(lambda: settings).routes(), Route("/map", page), Route("/", page)],
                    middleware=[Middleware(SecurityHeadersMiddleware),
                                Middleware(LoginRedirectMiddleware, page_paths=page_paths, settings=lambda: settings,
                                           oidc=lambda: False)])
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory) -> Path:
    """One seeded SQLite store, copied for each test (seeding takes seconds)."""
    from sqlalchemy import text

    from data_sources.seed import init_store
    from store import make_engine

    path = tmp_path_factory.mktemp("seeded") / "store.sqlite"
    engine = init_store(make_engine(f"sqlite:///{path}"))
    with engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    return path


@pytest.fixture()
def db_url(tmp_path, seeded_store) -> str:
    import shutil

    shutil.copy(seeded_store, tmp_path / "store.sqlite")
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


@pytest.fixture()
def internal(tmp_path, db_url):
    settings = _settings(tmp_path, db_url)
    add_user(tmp_path / "users.json", SYSTEM, "erlan", PASSWORD, "editor")
    return settings


def _csrf(client: TestClient, next_path: str = "/map") -> str:
    form = client.get("/auth/login", params={"next": next_path})
    assert form.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)


def _post(client, csrf, user="erlan", password=PASSWORD, next_path="/map", headers=None):
    return client.post("/auth/login", data={"csrf_token": csrf, "user": user, "password": password,
                                            "next": next_path}, headers=headers or {})


def _engine(settings):
    from data_sources.seed import open_store

    return open_store(settings.database_url)


def test_log_in_sets_a_signed_http_only_same_site_strict_cookie_and_returns_to_the_page(internal):
    client = _client(internal)
    reply = _post(client, _csrf(client, "/map?indicator=x&period=2022"), next_path="/map?indicator=x&period=2022")
    assert reply.status_code == 303 and reply.headers["location"] == "/map?indicator=x&period=2022"
    cookie = next(h for h in reply.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE + "="))
    flags = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in flags and "samesite=strict" in flags and "path=/" in flags
    assert any(f.startswith("max-age=") for f in flags)
    token_value = cookie.split(";")[0].split("=", 1)[1]
    cfg = AuthConfig.from_section(internal.section("auth"))
    assert identity_for_cookie(_engine(internal), cfg, cfg.signer(), token_value) == Identity("erlan", "editor")
    with _engine(internal).connect() as conn:  # the store keeps only a hash of the token
        stored = conn.execute(select(auth_sessions.c.token_hash)).scalars().all()
    assert len(stored) == 1 and cfg.signer().session_token(token_value, 60) not in stored
    assert client.get("/map").text == "streamlit page"  # the page address now passes the gate


@pytest.mark.parametrize("csrf", [None, "", "forged", "wrong-signature.abc.def"])
def test_a_post_without_the_right_csrf_token_is_forbidden(internal, csrf):
    client = _client(internal)
    _csrf(client)  # the form's cookie is present; the token in the form is missing or wrong
    data = {"user": "erlan", "password": PASSWORD, "next": "/"}
    if csrf is not None:
        data["csrf_token"] = csrf
    reply = client.post("/auth/login", data=data)
    assert reply.status_code == 403 and SESSION_COOKIE not in reply.headers.get("set-cookie", "")


def test_a_csrf_token_from_another_browser_is_forbidden(internal):
    mine, theirs = _client(internal), _client(internal)
    reply = _post(mine, _csrf(theirs))
    assert reply.status_code == 403


def test_wrong_passwords_are_throttled_with_growing_delays_counted_in_the_store(internal, caplog):
    client = _client(internal)
    engine = _engine(internal)
    csrf = _csrf(client)
    blocks = []
    with caplog.at_level(logging.WARNING, logger="densaulyq.auth"):
        for attempt in range(1, 8):
            reply = _post(client, csrf, password=f"wrong guess {attempt}")
            assert reply.status_code == 401, attempt
            with engine.connect() as conn:
                row = conn.execute(select(auth_throttle).where(auth_throttle.c.key == user_key("erlan"))).one()
                blocks.append(0.0 if row.blocked_until is None
                              else (row.blocked_until - row.last_failure_at).total_seconds())
                assert row.failures == attempt
                if row.blocked_until is not None:  # the right password is refused while blocked, unchecked
                    assert _post(client, csrf).status_code == 429
                    conn.execute(update(auth_throttle).values(blocked_until=datetime.now(UTC) - timedelta(seconds=1)))
                    conn.commit()
    assert blocks == [0, 0, 0, 1, 2, 4, 8]
    assert "wrong guess" not in caplog.text and "erlan" in caplog.text and "testclient" in caplog.text
    assert _post(client, csrf).status_code == 303  # once the delay has passed, the right password works
    with engine.connect() as conn:
        assert conn.execute(select(auth_throttle.c.failures).where(auth_throttle.c.key == user_key("erlan"))
                            ).first() is None  # cleared by the success


def test_guessing_many_user_names_from_one_address_blocks_the_address(tmp_path, db_url):
    # a first delay of a minute: with the default second, a slow machine (an argon2 check per guess) outlasts it
    settings = _settings(tmp_path, db_url, throttle_base_delay_s=60.0)
    add_user(tmp_path / "users.json", SYSTEM, "erlan", PASSWORD, "editor")
    client = _client(settings)
    csrf = _csrf(client)
    for n in range(4):
        assert _post(client, csrf, user=f"guess{n}", password="nope nope nope").status_code == 401
    reply = _post(client, csrf)  # even the right user and password, from this address
    assert reply.status_code == 429 and int(reply.headers["retry-after"]) >= 1
    assert "Too many failed attempts" in reply.text


def test_throttle_policy_doubles_up_to_a_cap():
    policy = ThrottlePolicy(free=2, base=1.5, cap=10)
    assert [policy.delay(n) for n in range(1, 8)] == [0, 0, 1.5, 3, 6, 10, 10]


def test_x_forwarded_for_is_used_only_from_a_trusted_proxy(tmp_path, db_url):
    settings = _settings(tmp_path, db_url, trusted_proxies=["10.0.0.0/8"])
    add_user(tmp_path / "users.json", SYSTEM, "erlan", PASSWORD, "editor")
    trusted = AuthConfig.from_section(settings.section("auth")).trusted_proxies
    assert client_address("10.1.2.3", "203.0.113.9", trusted) == "203.0.113.9"
    assert client_address("10.1.2.3", "198.51.100.1, 203.0.113.9, 10.0.0.5", trusted) == "203.0.113.9"
    assert client_address("192.0.2.7", "203.0.113.9", trusted) == "192.0.2.7"  # an untrusted peer cannot pick one
    assert client_address("10.1.2.3", "not-an-address", trusted) == "10.1.2.3"

    client = _client(settings)  # TestClient's peer is "testclient": not a trusted proxy
    csrf = _csrf(client)
    for n in range(4):
        _post(client, csrf, password=f"wrong {n}", headers={"X-Forwarded-For": f"203.0.113.{n}"})
    with _engine(settings).connect() as conn:
        keys = set(conn.execute(select(auth_throttle.c.key)).scalars())
    assert keys == {user_key("erlan"), address_key("testclient")}


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example",
                                    "javascript:alert(1)", "evil.example", "/%0d%0aSet-Cookie:x=1", "/auth/logout",
                                    "\\\\evil.example"])
def test_open_redirects_are_refused(internal, target):
    assert safe_next(target) in ("/", "/%0d%0aSet-Cookie:x=1")
    client = _client(internal)
    reply = _post(client, _csrf(client, target), next_path=target)
    assert reply.status_code == 303
    location = reply.headers["location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location


def test_log_out_revokes_the_session_in_the_store_and_clears_the_cookie(internal):
    client = _client(internal)
    _post(client, _csrf(client))
    stolen = client.cookies.get(SESSION_COOKIE)
    reply = client.get("/auth/logout")
    assert reply.status_code == 303 and reply.headers["location"].startswith("/auth/login")
    cleared = next(h for h in reply.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE + "="))
    assert "max-age=0" in cleared.lower() or "expires=thu, 01 jan 1970" in cleared.lower()
    cfg = AuthConfig.from_section(internal.section("auth"))
    assert identity_for_cookie(_engine(internal), cfg, cfg.signer(), stolen) is None  # a kept copy is worthless
    other = _client(internal)
    other.cookies.set(SESSION_COOKIE, stolen)
    assert other.get("/map").status_code == 303


def test_a_session_cookie_grants_nothing_when_forged_expired_or_its_user_removed(internal, tmp_path):
    from auth import remove_user
    from auth.sessions import start_session

    cfg = AuthConfig.from_section(internal.section("auth"))
    engine, signer = _engine(internal), cfg.signer()
    token = start_session(engine, "erlan", timedelta(hours=1))
    assert identity_for_cookie(engine, cfg, signer, signer.sign_session(token)) == Identity("erlan", "editor")
    assert identity_for_cookie(engine, cfg, signer, token) is None  # unsigned
    assert identity_for_cookie(engine, cfg, signer, damaged(signer.sign_session(token))) is None
    other_key = AuthConfig.from_section({**internal.section("auth"), "secret_key_file": str(tmp_path / "k2")})
    assert identity_for_cookie(engine, cfg, signer, other_key.signer().sign_session(token)) is None
    expired = start_session(engine, "erlan", timedelta(seconds=-1))
    assert identity_for_cookie(engine, cfg, signer, signer.sign_session(expired)) is None
    remove_user(cfg.users_path, SYSTEM, "erlan")
    assert identity_for_cookie(engine, cfg, signer, signer.sign_session(token)) is None


def test_page_addresses_of_the_internal_instance_go_to_the_log_in_form_first(internal):
    client = _client(internal)
    reply = client.get("/map", params={"indicator": "physicians_per_10k"})
    assert reply.status_code == 303
    assert reply.headers["location"] == "/auth/login?next=%2Fmap%3Findicator%3Dphysicians_per_10k"
    assert client.get("/auth/login?next=/map").status_code == 200


def test_the_public_instance_has_no_log_in(tmp_path, db_url):
    client = _client(_settings(tmp_path, db_url, mode="public"))
    assert client.get("/auth/login").status_code == 404
    assert client.post("/auth/login", data={}).status_code == 404
    assert client.get("/map").text == "streamlit page"  # no redirect in public


def test_log_in_form_tells_how_an_account_is_made_and_may_not_be_framed(internal):
    reply = _client(internal).get("/auth/login")
    assert "python -m auth add-user NAME --role editor" in reply.text and "12 characters" in reply.text
    assert reply.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in reply.headers["content-security-policy"]
    assert reply.headers["cache-control"] == "no-store"


def test_embed_paths_alone_may_be_framed():
    async def page(_request):
        return PlainTextResponse("x")
    app = Starlette(routes=[Route("/embed/map", page), Route("/map", page)],
                    middleware=[Middleware(SecurityHeadersMiddleware)])
    client = TestClient(app)
    assert "x-frame-options" not in client.get("/embed/map").headers
    assert client.get("/map").headers["x-frame-options"] == "DENY"


def test_concurrent_password_checks_are_bounded(internal, monkeypatch):
    import server.login

    running, peak, lock = [0], [0], threading.Lock()

    def slow_check(_path, _name, _password):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.2)
        with lock:
            running[0] -= 1
        return None

    monkeypatch.setattr(server.login, "authenticate", slow_check)
    cfg = AuthConfig.from_section(internal.section("auth"))
    threads = [threading.Thread(target=server.login.LoginRoutes._check, args=(cfg, f"u{n}", "x")) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == cfg.max_concurrent_checks == 2


def test_sessions_and_throttle_counters_work_on_sqlite_and_postgresql(any_db_url):
    from auth.sessions import revoke_session, session_user, start_session
    from auth.throttle import blocked_for, failures, record_failure
    from store import make_engine

    engine = make_engine(any_db_url)
    token = start_session(engine, "erlan", timedelta(hours=1))
    assert session_user(engine, token) == "erlan" and session_user(engine, token + "x") is None
    assert revoke_session(engine, token) and session_user(engine, token) is None
    assert not revoke_session(engine, token)  # twice is a no-op

    policy = ThrottlePolicy(free=1, base=2)
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    delays = [record_failure(engine, [user_key("x"), address_key("192.0.2.1")], policy, now) for _unused in range(4)]
    assert delays == [0, 2, 4, 8] and failures(engine, user_key("x")) == 4
    assert blocked_for(engine, [address_key("192.0.2.1")], now) == 8
    assert blocked_for(engine, [address_key("192.0.2.1")], now + timedelta(seconds=9)) == 0
    later = now + timedelta(seconds=policy.window + 1)  # an idle counter starts again
    assert record_failure(engine, [user_key("x")], policy, later) == 0 and failures(engine, user_key("x")) == 1
    engine.dispose()
