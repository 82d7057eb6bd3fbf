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
    from store import init_store, make_engine
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
    """(name, value) of a valid log-in cookie of this instance (the one place that knows how one is made)."""
    from server.auth_gate import COOKIE_NAME, sign_session

    monkeypatch.setenv("DENSAULYQ_SECRET_KEY", "test-secret")
    return COOKIE_NAME, sign_session(user)
