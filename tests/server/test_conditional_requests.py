"""A revalidation is cheap and never stale for long: an ``If-None-Match`` on the open-data routes (API, embed) is
answered with ``304`` before any SQL, from the process's cached copy of the store's data version, and a write to the
store gives the same request a new ETag once that copy is refreshed (at most ``VERSION_CHECK_S`` seconds later)."""

from __future__ import annotations

import time

import pandas as pd
import pytest
from sqlalchemy import event

from core.access import Identity
from server.context import read_context
from store import version as versions
from store.revisions import write_observations
from tests.open_data_helpers import route_client

PATHS = ["/embed/map?indicator=life_expectancy_years",
         "/api/v1/observations?indicator=life_expectancy_years&period=2022", "/api/v1/indicators"]


@pytest.fixture()
def db_url(seeded_db_url: str) -> str:
    return seeded_db_url


class StatementCount:
    """SQL statements the read context's engine runs while the block is open."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __enter__(self) -> StatementCount:
        self.engine = read_context().engine
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def _seen(self, _conn, _cursor, statement, *_args) -> None:
        self.statements.append(statement)

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The clock that ages the cached data version, stopped (a slow first build must not age it); move it by
    adding to ``clock[0]``."""
    now = [time.monotonic()]
    monkeypatch.setattr(versions, "_clock", lambda: now[0])
    return now


@pytest.mark.parametrize("path", PATHS)
def test_a_revalidation_runs_no_sql_and_answers_304(app_env: str, clock: list[float], path: str) -> None:
    client = route_client()
    first = client.get(path)
    assert first.status_code == 200
    with StatementCount() as sql:
        again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["cache-control"] == first.headers["cache-control"]
    assert sql.statements == []


def test_a_repeated_request_is_answered_from_the_body_cache_without_sql(app_env: str, clock: list[float]) -> None:
    client = route_client()
    first = client.get(PATHS[0])
    with StatementCount() as sql:
        second = client.get(PATHS[0])
    assert second.status_code == 200 and second.content == first.content and sql.statements == []


def test_a_write_to_the_store_changes_the_etag_within_the_version_check(
        app_env: str, store, clock: list[float]) -> None:
    client = route_client()
    path = "/api/v1/observations?indicator=life_expectancy_years&period=2022&region=KZ-75"
    first = client.get(path)
    etag = first.headers["etag"]
    row = pd.DataFrame([{**{k: first.json()["data"][0][k] for k in ("indicator_id", "region", "period")},
                         "value": 80.5}])
    write_observations(store, row, {"id": "test-correction", "title": "Correction", "licence": "CC0-1.0",
                                    "kind": "upload"}, Identity("editor", "editor"))
    # Within the staleness bound the process may still answer from its copy of the version ...
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    clock[0] += versions.VERSION_CHECK_S + 0.1
    # ... after it, the write is seen: a new ETag and the new value, for the revalidation and for the embed.
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.json()["data"][0]["value"] == 80.5


def test_the_internal_instance_asks_the_store_on_every_request(app_env: str, store,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.open_data_helpers import login_cookie

    monkeypatch.setenv("DENSAULYQ_MODE", "internal")
    client = route_client()
    client.cookies.set(*login_cookie(monkeypatch))
    path = "/api/v1/observations?indicator=life_expectancy_years&period=2022&region=KZ-75"
    first = client.get(path)
    row = pd.DataFrame([{**{k: first.json()["data"][0][k] for k in ("indicator_id", "region", "period")},
                         "value": 81.5}])
    write_observations(store, row, {"id": "test-correction", "title": "Correction", "licence": "CC0-1.0",
                                    "kind": "upload"}, Identity("editor", "editor"))
    changed = client.get(path, headers={"If-None-Match": first.headers["etag"]})  # an editor sees their change at once
    assert changed.status_code == 200 and changed.json()["data"][0]["value"] == 81.5


def test_a_page_route_answers_its_revalidation_with_the_shared_helper(app_env: str, clock: list[float]) -> None:
    """How a server-rendered page (``/view/…``) uses ``server.caching.not_modified``: 304 before it reads anything,
    and its ETag depends on its query (another language, another ETag)."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, Response
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from server.caching import not_modified

    built: list[str] = []

    def page(request: Request) -> Response:
        _etag, headers, unchanged = not_modified(read_context(), request)
        if unchanged is not None:
            return unchanged
        built.append(request.url.query)
        return HTMLResponse("<p>view</p>", headers=headers)

    client = TestClient(Starlette(routes=[Route("/view/map", page)]))
    first = client.get("/view/map?lang=kk")
    assert first.headers["cache-control"] == "public, max-age=300"
    with StatementCount() as sql:
        again = client.get("/view/map?lang=kk", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and sql.statements == [] and built == ["lang=kk"]
    assert client.get("/view/map?lang=ru").headers["etag"] != first.headers["etag"]
