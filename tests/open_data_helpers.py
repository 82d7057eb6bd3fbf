"""Shared pieces of the open-data tests: a client on the app's HTTP routes, a store with a small count."""

from __future__ import annotations

import csv
import io

from sqlalchemy import update
from starlette.applications import Starlette
from starlette.testclient import TestClient

from server.app import app_middleware, app_routes

SMALL_CELL = {"indicator": "breast_cancer_screening_coverage_pct", "period": "2025Q3", "region": "KZ-43"}


def route_client() -> TestClient:
    """The routes and middleware ``dashboard.py`` mounts on its ``st.App``, without the Streamlit runtime."""
    return TestClient(Starlette(routes=app_routes(), middleware=app_middleware()))


def plant_small_count(db_url: str) -> None:
    """One regional screening count below the public threshold (4 women screened in Kyzylorda, 2025Q3)."""
    from data_sources.seed import init_store
    from store import make_engine
    from store.schema import observations

    engine = init_store(make_engine(db_url))
    with engine.begin() as conn:
        conn.execute(update(observations).where(
            (observations.c.indicator_id == SMALL_CELL["indicator"]) & (observations.c.region == SMALL_CELL["region"])
            & (observations.c.period == SMALL_CELL["period"])).values(numerator=4.0, value=4.0 / 50_000 * 100))


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def json_as_csv_text(value: object) -> str:
    """How a JSON value is written in the API's CSV (empty for null, true/false, shortest float repr, a text that
    would start a spreadsheet formula behind an apostrophe)."""
    from core.exports import neutralise

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else neutralise(str(value))


def login_cookie(monkeypatch, user: str = "analyst") -> tuple[str, str]:
    """(name, value) of a valid log-in cookie of this instance (the one place that knows how one is made): a live
    session for ``user`` in the store, its token signed with the instance's key, and ``user`` present in the user
    file (stubbed, so no test writes the repository's ``var/users.json``)."""
    from auth.service import SESSION_COOKIE, AuthConfig
    from auth.sessions import start_session
    from core.config import load_settings
    from data_sources.seed import open_store

    monkeypatch.setenv("DENSAULYQ_SECRET_KEY", "test-secret")
    monkeypatch.setattr("auth.service.load_users", lambda _path: {user: {"role": "viewer"}})
    settings = load_settings()
    cfg = AuthConfig.from_section(settings.section("auth"))
    token = start_session(open_store(settings.database_url), user, cfg.session_lifetime)
    return SESSION_COOKIE, cfg.signer().sign_session(token)


def damaged(signed: str) -> str:
    """``signed`` with one signature character changed. Not the last ones: the last base64 character of the
    signature carries unused bits, so replacing the tail with "xx" left it valid about once in a thousand runs."""
    return signed[:-5] + ("A" if signed[-5] != "A" else "B") + signed[-4:]
