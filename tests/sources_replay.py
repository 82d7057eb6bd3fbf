"""Replaying recorded-shape API replies (tests/fixtures/api) through the ``responses`` library."""

from __future__ import annotations

import json
import math
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import responses
from sqlalchemy import select

from core.config import Settings
from data_sources.http import HttpClient, HttpSettings
from store.schema import observation_revisions, observations, sources

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "api"
WB_BASE = "https://wb.test/v2"
WHO_BASE = "https://who.test/api"
WB_CODES = tuple(p.stem for p in sorted((FIXTURES / "worldbank").glob("*.json")))


def settings(per_page: int = 100, **sources) -> Settings:
    raw = {"sources": {"worldbank": {"base_url": WB_BASE, "per_page": per_page}, "who_gho": {"base_url": WHO_BASE},
                       **sources}}
    return Settings(mode="internal", default_language="en", default_indicator="life_expectancy_years",
                    database_url="sqlite://", raw=raw)


def client(retries: int = 2) -> HttpClient:
    return HttpClient(HttpSettings(retries=retries, backoff_factor=0, cache=False, read_timeout=2))


def wb_reply(code: str) -> list:
    return json.loads((FIXTURES / "worldbank" / f"{code}.json").read_text(encoding="utf-8"))


def who_reply(code: str) -> dict:
    return json.loads((FIXTURES / "who_gho" / f"{code}.json").read_text(encoding="utf-8"))


def paginate(reply: list, page: int, per_page: int) -> list:
    """The recorded full reply as the API would serve page ``page`` of ``per_page`` rows."""
    header, rows = reply
    rows = rows or []
    pages = math.ceil(len(rows) / per_page) if rows else 0
    chunk = rows[(page - 1) * per_page: page * per_page] if rows else None
    return [{**header, "page": page, "pages": pages, "per_page": per_page, "total": len(rows)}, chunk]


def wb_url(code: str, country: str = "KZ") -> str:
    return f"{WB_BASE}/country/{country}/indicator/{code}"


def serve_worldbank(rsps: responses.RequestsMock, code: str, reply: list | None = None) -> None:
    """Serve a code's reply, paginated by the request's per_page/page like the real API."""
    data = reply if reply is not None else wb_reply(code)

    def callback(request):
        query = parse_qs(urlparse(request.url).query)
        page, per_page = int(query.get("page", ["1"])[0]), int(query.get("per_page", ["50"])[0])
        return 200, {"Content-Type": "application/json"}, json.dumps(paginate(data, page, per_page))

    rsps.add_callback(responses.GET, wb_url(code), callback=callback)


def serve_who(rsps: responses.RequestsMock, code: str, reply: dict | None = None) -> None:
    rsps.add(responses.GET, f"{WHO_BASE}/{code}", json=reply if reply is not None else who_reply(code))


def store_contents(engine) -> dict[str, pd.DataFrame]:
    """Full contents of the observation and revision tables (to compare before/after a failure)."""
    with engine.connect() as conn:
        return {table.name: pd.DataFrame(
                    conn.execute(select(table).order_by(*table.primary_key.columns)).mappings().all())
                for table in (observations, observation_revisions)}


def source_row(engine, source_id: str) -> dict | None:
    with engine.connect() as conn:
        row = conn.execute(select(sources).where(sources.c.id == source_id)).mappings().first()
    return dict(row) if row else None


def assert_unchanged(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> None:
    for name, frame in before.items():
        pd.testing.assert_frame_equal(frame, after[name], check_like=False)
